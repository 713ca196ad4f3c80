using OpenCIS.Core.Billing;

namespace OpenCIS.Core.Collections;

/// <summary>The day's forecast the utility posts: the low and the high, in degrees Fahrenheit.</summary>
public readonly record struct DailyTemperature(DateOnly Date, int LowF, int HighF);

/// <summary>
/// The days collections runs over, worked out once for every account: the holidays (and so the days
/// before them) and the posted temperatures, looked up by date without allocating. Notice periods in
/// business days count on the same holiday calendar the billing schedule uses.
/// </summary>
public sealed class CollectionCalendar
{
    public const int DaysMax = 4_000;

    private readonly DateOnly first;
    private readonly string?[] holidays;
    private readonly DailyTemperature?[] temperatures;

    private CollectionCalendar(HolidayCalendar calendar, DateOnly first, string?[] holidays, DailyTemperature?[] temperatures)
    {
        Holidays = calendar;
        this.first = first;
        this.holidays = holidays;
        this.temperatures = temperatures;
    }

    public HolidayCalendar Holidays { get; }

    /// <summary>A calendar for the days from <paramref name="from"/> to <paramref name="to"/> (and the day after, for "the day before a holiday").</summary>
    public static CollectionCalendar For(HolidayCalendar holidays, DateOnly from, DateOnly to, IEnumerable<DailyTemperature> temperatures)
    {
        var days = to.DayNumber - from.DayNumber + 2;
        if (days is < 2 or > DaysMax)
        {
            throw new Common.DomainException($"A collections calendar covers from 1 to {DaysMax - 1} days, not {days - 1} ({from:yyyy-MM-dd} to {to:yyyy-MM-dd}).", "range");
        }

        var names = new string?[days];
        foreach (var year in Enumerable.Range(from.Year, to.AddDays(1).Year - from.Year + 1))
        {
            foreach (var (date, name) in holidays.In(year))
            {
                var index = date.DayNumber - from.DayNumber;
                if (index >= 0 && index < days)
                {
                    names[index] = name;
                }
            }
        }

        var posted = new DailyTemperature?[days];
        foreach (var temperature in temperatures)
        {
            var index = temperature.Date.DayNumber - from.DayNumber;
            if (index >= 0 && index < days)
            {
                posted[index] = temperature;
            }
        }

        return new CollectionCalendar(holidays, from, names, posted);
    }

    public string? HolidayOn(DateOnly date)
    {
        var index = date.DayNumber - first.DayNumber;
        return index >= 0 && index < holidays.Length ? holidays[index] : Holidays.HolidayOn(date);
    }

    public DailyTemperature? TemperatureOn(DateOnly date)
    {
        var index = date.DayNumber - first.DayNumber;
        return index >= 0 && index < temperatures.Length ? temperatures[index] : null;
    }

    /// <summary>The date a notice given on <paramref name="noticeDate"/> runs out: calendar days, or business days on the holiday calendar.</summary>
    public DateOnly NoticeEnds(DateOnly noticeDate, NoticePeriod period) =>
        period.BusinessDays ? BillingSchedule.AddBusinessDays(noticeDate, period.Days, Holidays).Date : noticeDate.AddDays(period.Days);

    /// <summary>Why <paramref name="date"/> is a day the policy forbids disconnections, or null when it is not.</summary>
    public string? NoDisconnectReason(NoDisconnectDays forbidden, DateOnly date)
    {
        if (forbidden == NoDisconnectDays.None)
        {
            return null;
        }

        if ((forbidden & NoDisconnectDays.Holidays) != 0 && HolidayOn(date) is { } holiday)
        {
            return $"no disconnects on holidays ({holiday})";
        }

        if ((forbidden & NoDisconnectDays.Weekends) != 0 && date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            return "no disconnects on weekends";
        }

        if ((forbidden & NoDisconnectDays.Fridays) != 0 && date.DayOfWeek == DayOfWeek.Friday)
        {
            return "no disconnects on Fridays";
        }

        if ((forbidden & NoDisconnectDays.DayBeforeHoliday) != 0 && HolidayOn(date.AddDays(1)) is { } next)
        {
            return $"no disconnects the day before a holiday ({next})";
        }

        return null;
    }

    /// <summary>The first day on or after <paramref name="date"/> that is not a forbidden day (at most a month on).</summary>
    public DateOnly FirstAllowedDay(NoDisconnectDays forbidden, DateOnly date)
    {
        var day = date;
        for (var i = 0; i < 31 && NoDisconnectReason(forbidden, day) is not null; i++)
        {
            day = day.AddDays(1);
        }

        return day;
    }
}
