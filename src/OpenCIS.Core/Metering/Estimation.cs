using System.Collections.Immutable;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Metering;

/// <summary>Measured use over a past period (from consecutive billable reads), in the meter's unit.</summary>
public sealed record UsageHistory(DateOnly From, DateOnly To, decimal Usage)
{
    public int Days => To.DayNumber - From.DayNumber;

    public decimal Daily => Days > 0 ? Usage / Days : 0m;
}

/// <summary>An estimate and how it was made, for the read's record and the bill's "Estimated" note.</summary>
public sealed record UsageEstimate(decimal Usage, string Method);

/// <summary>
/// Estimation (the E of VEE). From the same period last year when history covers it, otherwise
/// from the trailing average daily use of the last three measured periods; either way scaled to
/// the days being estimated. Estimates are whole units of the register, rounded half away from zero.
/// </summary>
public static class Estimation
{
    public static UsageEstimate? Estimate(IEnumerable<UsageHistory> history, DateOnly from, DateOnly to, Unit unit)
    {
        var days = to.DayNumber - from.DayNumber;
        if (days <= 0)
        {
            return null;
        }

        var periods = history.Where(h => h.Days > 0).OrderBy(h => h.From).ToImmutableArray();
        var lastYearFrom = from.AddYears(-1);
        var lastYearTo = to.AddYears(-1);
        var overlapping = periods.Where(h => h.To > lastYearFrom && h.From < lastYearTo).ToList();
        var covered = overlapping.Sum(h => Math.Min(h.To.DayNumber, lastYearTo.DayNumber) - Math.Max(h.From.DayNumber, lastYearFrom.DayNumber));
        if (overlapping.Count > 0 && covered >= days * 0.8)
        {
            var usage = overlapping.Sum(h => h.Daily * (Math.Min(h.To.DayNumber, lastYearTo.DayNumber) - Math.Max(h.From.DayNumber, lastYearFrom.DayNumber)));
            var daily = usage / covered;
            var estimate = decimal.Round(daily * days, 0, MidpointRounding.AwayFromZero);
            return new UsageEstimate(estimate, $"Same period last year ({lastYearFrom:yyyy-MM-dd} to {lastYearTo:yyyy-MM-dd}): {new Quantity(decimal.Round(daily, 1), unit)} a day x {days} days = {new Quantity(estimate, unit)}.");
        }

        var recent = periods.Where(h => h.To <= from).TakeLast(3).ToList();
        if (recent.Count == 0)
        {
            return null;
        }

        var trailingDaily = recent.Sum(h => h.Usage) / recent.Sum(h => h.Days);
        var trailing = decimal.Round(trailingDaily * days, 0, MidpointRounding.AwayFromZero);
        return new UsageEstimate(trailing, $"Average of the last {recent.Count} period{(recent.Count == 1 ? "" : "s")}: {new Quantity(decimal.Round(trailingDaily, 1), unit)} a day x {days} days = {new Quantity(trailing, unit)}.");
    }
}
