using OpenCIS.Core.Common;

namespace OpenCIS.Core.Billing;

/// <summary>
/// A cycle's scheduling rules: the day of the month its meters are read, how many business days
/// after the read the bills go out, how many calendar days after the bill date they fall due, and
/// how many days before the read date a read still counts.
/// </summary>
public sealed record CycleRules(int ReadDayOfMonth, int BillDaysAfterRead, int DueDays, int ReadWindowDays)
{
    public const int BillDaysAfterReadMax = 20;
    public const int DueDaysMax = 90;
    public const int ReadWindowDaysMax = 31;

    /// <summary>Refuses rules no schedule can be made of, naming the field at fault.</summary>
    public CycleRules Validated()
    {
        if (ReadDayOfMonth is < 1 or > 31)
        {
            throw new DomainException($"The read day of the month must be from 1 to 31, not {ReadDayOfMonth}.", "readDayOfMonth");
        }

        if (BillDaysAfterRead is < 0 or > BillDaysAfterReadMax)
        {
            throw new DomainException($"Bills go out from 0 to {BillDaysAfterReadMax} business days after the read, not {BillDaysAfterRead}.", "billDaysAfterRead");
        }

        if (DueDays is < 1 or > DueDaysMax)
        {
            throw new DomainException($"Bills fall due from 1 to {DueDaysMax} days after the bill date, not {DueDays}.", "dueDays");
        }

        if (ReadWindowDays is < 1 or > ReadWindowDaysMax)
        {
            throw new DomainException($"The read window is from 1 to {ReadWindowDaysMax} days, not {ReadWindowDays}.", "readWindowDays");
        }

        return this;
    }
}

/// <summary>A scheduled date and, when a weekend or holiday moved it, the holidays it was moved past (empty for weekends alone).</summary>
public sealed record ScheduledDate(DateOnly Date, DateOnly Nominal, IReadOnlyList<string> MovedPastHolidays)
{
    public bool Moved => Date != Nominal;
}

/// <summary>One month of a cycle's schedule: the read window ends on the read date.</summary>
public sealed record CycleMonth(int Year, int Month, ScheduledDate Read, DateOnly ReadWindowStart, ScheduledDate Bill, ScheduledDate Due)
{
    public DateOnly ReadWindowEnd => Read.Date;
}

/// <summary>
/// Where a cycle's read, bill and due dates fall in any month, from its rules and a holiday calendar.
/// Pure: the same rules and calendar always give the same dates.
/// </summary>
public static class BillingSchedule
{
    /// <summary>No run of weekends and holidays is this long; a calendar that says otherwise is a mistake, not a schedule.</summary>
    private const int ClosedDaysInARowMax = 30;

    /// <summary>
    /// The month's dates: the read date is the read day (the month's last day when shorter), moved
    /// to the next business day; the bill date is that many business days after the read; the due
    /// date is the due days after the bill date, moved forward to the next business day.
    /// </summary>
    public static CycleMonth For(CycleRules rules, HolidayCalendar calendar, int year, int month)
    {
        rules.Validated();
        var nominalRead = new DateOnly(year, month, Math.Min(rules.ReadDayOfMonth, DateTime.DaysInMonth(year, month)));
        var read = NextBusinessDay(nominalRead, calendar);
        var bill = AddBusinessDays(read.Date, rules.BillDaysAfterRead, calendar);
        var due = NextBusinessDay(bill.Date.AddDays(rules.DueDays), calendar);
        return new CycleMonth(year, month, read, read.Date.AddDays(-rules.ReadWindowDays + 1), bill, due);
    }

    /// <summary>The schedule for <paramref name="months"/> months starting with the month of <paramref name="from"/>.</summary>
    public static IReadOnlyList<CycleMonth> Months(CycleRules rules, HolidayCalendar calendar, DateOnly from, int months)
    {
        if (months is < 1 or > 36)
        {
            throw new DomainException($"A schedule covers from 1 to 36 months, not {months}.", "months");
        }

        var first = new DateOnly(from.Year, from.Month, 1);
        return [.. Enumerable.Range(0, months).Select(i => first.AddMonths(i)).Select(m => For(rules, calendar, m.Year, m.Month))];
    }

    /// <summary>
    /// The schedule month whose bill date is <paramref name="date"/>, or null when the cycle does not bill
    /// that day. A month's bill date can fall in the next month (a read on the 30th, bills two business
    /// days later), so the previous month is asked too.
    /// </summary>
    public static CycleMonth? MonthBilledOn(CycleRules rules, HolidayCalendar calendar, DateOnly date)
    {
        var previous = date.AddMonths(-1);
        return new[] { For(rules, calendar, previous.Year, previous.Month), For(rules, calendar, date.Year, date.Month) }
            .FirstOrDefault(m => m.Bill.Date == date);
    }

    /// <summary>
    /// The latest schedule month whose bill date falls in the <paramref name="days"/> days up to and
    /// including <paramref name="date"/>, or null when none does: what a schedule that was not running on
    /// a bill date (the host down that day) still owes.
    /// </summary>
    public static CycleMonth? LatestMonthBilledWithin(CycleRules rules, HolidayCalendar calendar, DateOnly date, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        for (var back = 0; back < days; back++)
        {
            if (MonthBilledOn(rules, calendar, date.AddDays(-back)) is { } month)
            {
                return month;
            }
        }

        return null;
    }

    /// <summary>A bill's due date: <paramref name="days"/> after the bill date, rolled forward past weekends and holidays.</summary>
    public static DateOnly DueDate(DateOnly billDate, int days, HolidayCalendar calendar) => NextBusinessDay(billDate.AddDays(days), calendar).Date;

    /// <summary><paramref name="date"/> itself when it is a business day, else the first business day after it.</summary>
    public static ScheduledDate NextBusinessDay(DateOnly date, HolidayCalendar calendar)
    {
        var moved = new List<string>();
        var day = date;
        for (var closed = 0; !calendar.IsBusinessDay(day); closed++)
        {
            if (closed == ClosedDaysInARowMax)
            {
                throw new DomainException($"No business day within {ClosedDaysInARowMax} days of {date:yyyy-MM-dd}; check the holiday calendar.", "holidayCalendar");
            }

            if (calendar.HolidayOn(day) is { } holiday)
            {
                moved.Add(holiday);
            }

            day = day.AddDays(1);
        }

        return new ScheduledDate(day, date, moved);
    }

    /// <summary>The business day <paramref name="days"/> business days after <paramref name="start"/>, naming the holidays skipped on the way.</summary>
    public static ScheduledDate AddBusinessDays(DateOnly start, int days, HolidayCalendar calendar)
    {
        var skipped = new List<string>();
        var day = start;
        var nominal = start.AddDays(days);
        for (var counted = 0; counted < days;)
        {
            day = day.AddDays(1);
            if (calendar.IsBusinessDay(day))
            {
                counted++;
            }
            else if (calendar.HolidayOn(day) is { } holiday)
            {
                skipped.Add(holiday);
            }
        }

        return new ScheduledDate(day, nominal, skipped);
    }
}
