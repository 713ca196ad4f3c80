using System.Globalization;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;

namespace OpenCIS.Core.Rating;

/// <summary>A period's power factor (none: it could not be measured) and the words that say where it came from, or why not.</summary>
public sealed record MeasuredPowerFactor(decimal? Factor, string Note);

/// <summary>
/// A billing period's average power factor from the meter's interval days: the real energy over the apparent energy,
/// kWh / √(kWh² + kvarh²), from the period's kWh and kvarh totals, rounded to three decimals (half away from zero), the
/// precision a tariff states its target in (0.90). Every day of the period must have its reactive (kvarh) and its real
/// (kWh) intervals, as a time-of-use register needs every day: a missing day would overstate the factor. A period with
/// no energy at all has a factor of 1 (nothing to adjust).
/// </summary>
public static class PowerFactors
{
    /// <summary>The name the power factor's note is kept under among a rating input's value notes.</summary>
    public const string Name = "power_factor";

    public const int Decimals = 3;

    public static MeasuredPowerFactor FromIntervals(IReadOnlyList<IntervalDay> days, BillingPeriod period)
    {
        ArgumentNullException.ThrowIfNull(days);
        var inPeriod = days.Where(d => period.Contains(d.Day)).ToList();
        var reactive = ByDay(inPeriod.Where(d => UnitConversion.IsReactive(d.Unit)), Unit.Kvarh);
        var real = ByDay(inPeriod.Where(d => UnitConversion.IsEnergy(d.Unit)), Unit.Kwh);
        if (Missing(reactive, period) is { } noReactive)
        {
            return new MeasuredPowerFactor(null, $"no reactive energy (kvarh) interval reads for {noReactive}");
        }

        if (Missing(real, period) is { } noReal)
        {
            return new MeasuredPowerFactor(null, $"no real energy (kWh) interval reads for {noReal}");
        }

        var kwh = real.Values.Sum();
        var kvarh = reactive.Values.Sum();
        if (kwh == 0m && kvarh == 0m)
        {
            return new MeasuredPowerFactor(1m, $"Power factor 1: no energy in {period.Days} days of interval reads. ");
        }

        var factor = decimal.Round(kwh / SquareRoot((kwh * kwh) + (kvarh * kvarh)), Decimals, MidpointRounding.AwayFromZero);
        return new MeasuredPowerFactor(factor,
            $"Power factor {Show(factor)} = {Show(kwh)} kWh / √({Show(kwh)}² kWh + {Show(kvarh)}² kvarh), from {period.Days} days of interval reads. ");
    }

    /// <summary>Each day's total in the unit (varh in kvarh, Wh in kWh); the first of a day's days counts, as for registers.</summary>
    private static Dictionary<DateOnly, decimal> ByDay(IEnumerable<IntervalDay> days, Unit unit) =>
        days.GroupBy(d => d.Day).ToDictionary(g => g.Key, g => UnitConversion.Default.Convert(new Quantity(g.First().Total, g.First().Unit), unit).Value);

    /// <summary>The days of the period with no value, in words ("2 days of 2026-07-01 to 2026-07-31 (2026-07-10, 2026-07-11)"), or none.</summary>
    private static string? Missing(Dictionary<DateOnly, decimal> have, BillingPeriod period)
    {
        var missing = Enumerable.Range(0, period.Days).Select(period.Start.AddDays).Where(d => !have.ContainsKey(d)).ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        var shown = string.Join(", ", missing.Take(5).Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        return $"{missing.Count} day{(missing.Count == 1 ? "" : "s")} of {period.Start:yyyy-MM-dd} to {period.End:yyyy-MM-dd} ({shown}{(missing.Count > 5 ? ", ..." : "")})";
    }

    /// <summary>The square root in decimal: Newton's method from the binary estimate, to decimal's precision.</summary>
    private static decimal SquareRoot(decimal value)
    {
        if (value <= 0m)
        {
            return 0m;
        }

        var root = (decimal)Math.Sqrt((double)value);
        for (var i = 0; i < 4; i++)
        {
            root = (root + (value / root)) / 2m;
        }

        return root;
    }

    private static string Show(decimal value) => value.ToString("#,##0.###", CultureInfo.InvariantCulture);
}
