using System.Collections.Immutable;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;

namespace OpenCIS.Core.Rating;

/// <summary>The holiday sets a time-of-use tariff may name.</summary>
public static class TimeOfUseHolidays
{
    public const string None = "none";
    public const string Nerc = "nerc";
    public const string UsFederal = "us-federal";

    public static readonly IReadOnlyList<string> Names = [None, Nerc, UsFederal];

    public static HolidayCalendar Calendar(string name) => name switch
    {
        Nerc => HolidayCalendar.Nerc,
        UsFederal => HolidayCalendar.UsFederal,
        None => HolidayCalendar.None,
        _ => throw new DomainException($"'{name}' is not a holiday set; use one of {string.Join(", ", Names)}.", "holidays"),
    };
}

/// <summary>
/// Sums a service's interval reads into a tariff's time-of-use registers, and finds its highest demand. Every day of the
/// bill's period must have its intervals: a register missing a day would be billed short, so a gap is an error naming
/// the days.
/// </summary>
public static class TimeOfUse
{
    /// <summary>The day's kind under a holiday set: a weekend is a weekend even when a holiday falls on it.</summary>
    public static DayType DayTypeOf(DateOnly day, HolidayCalendar holidays) =>
        day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? DayType.Weekend
        : holidays.HolidayOn(day) is not null ? DayType.Holiday
        : DayType.Weekday;

    /// <summary>The register that holds an hour of a day under the charge's periods.</summary>
    public static string RegisterOf(RegisterCharge charge, DateOnly day, DayType dayType, int hour) =>
        charge.TimeOfUse.FirstOrDefault(p => p.Holds(day.Month, dayType, hour))?.Register
            ?? charge.OtherHours
            ?? throw new DomainException($"Charge {charge.Code} has no register for hour {hour}:00 of {day:yyyy-MM-dd}, and no register for other hours.", "registers");

    /// <summary>Each priced register's use in the period, from the interval days (which must cover it).</summary>
    public static ImmutableDictionary<string, decimal> Registers(RegisterCharge charge, IReadOnlyList<IntervalDay> days, BillingPeriod period)
    {
        ArgumentNullException.ThrowIfNull(charge);
        var holidays = TimeOfUseHolidays.Calendar(charge.Holidays);
        var sums = charge.Prices.Keys.ToDictionary(k => k, _ => 0m, StringComparer.Ordinal);
        // The hours' registers depend only on the month and the kind of day: worked out once for each pair the
        // period meets, not for each of its hundreds of hours.
        var layouts = new Dictionary<(int Month, DayType Kind), string?[]>();
        foreach (var day in Covering(days, period, charge.Code))
        {
            var kind = DayTypeOf(day.Day, holidays);
            if (!layouts.TryGetValue((day.Day.Month, kind), out var layout) || layout.Length < day.Hours.Length)
            {
                Array.Resize(ref layout, Math.Max(IntervalDay.HoursInDay, day.Hours.Length));
                layouts[(day.Day.Month, kind)] = layout;
            }

            for (var hour = 0; hour < day.Hours.Length; hour++)
            {
                var register = layout[hour] ??= RegisterOf(charge, day.Day, kind, hour);
                ref var sum = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(sums, register, out _);
                sum += day.Hours[hour];
            }
        }

        return sums.ToImmutableDictionary(StringComparer.Ordinal);
    }

    /// <summary>The period's highest interval demand and the day and minute it began, from interval days that cover the period.</summary>
    public static (decimal Demand, DateOnly Day, int Minute) Peak(IReadOnlyList<IntervalDay> days, BillingPeriod period, string code)
    {
        var peak = Covering(days, period, code).OrderByDescending(d => d.PeakDemand).ThenBy(d => d.Day).First();
        return (peak.PeakDemand, peak.Day, peak.PeakMinute);
    }

    /// <summary>The interval days of the period, or an error naming the days it lacks.</summary>
    public static IReadOnlyList<IntervalDay> Covering(IReadOnlyList<IntervalDay> days, BillingPeriod period, string code)
    {
        ArgumentNullException.ThrowIfNull(days);
        var inPeriod = days.Where(d => d.Day >= period.Start && d.Day <= period.End).GroupBy(d => d.Day).Select(g => g.First()).ToList();
        if (inPeriod.Count == period.Days)
        {
            return inPeriod;
        }

        var have = inPeriod.Select(d => d.Day).ToHashSet();
        var missing = Enumerable.Range(0, period.Days).Select(period.Start.AddDays).Where(d => !have.Contains(d)).ToList();
        var shown = string.Join(", ", missing.Take(5).Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        throw new DomainException(
            $"Charge {code} needs the service's interval reads for every day of {period.Start:yyyy-MM-dd} to {period.End:yyyy-MM-dd}; {missing.Count} day{(missing.Count == 1 ? " has" : "s have")} none ({shown}{(missing.Count > 5 ? ", ..." : "")}).",
            "intervals");
    }
}
