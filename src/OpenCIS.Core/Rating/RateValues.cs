using System.Globalization;
using System.Text.RegularExpressions;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Rating;

/// <summary>
/// A value a tariff names and the utility sets from time to time, in force from its date until the next one: a rider's
/// price per unit (a purchased-power or fuel adjustment, set monthly) or the gas's heating value (therms per CCF).
/// </summary>
public sealed record RateValue(string Name, DateOnly EffectiveFrom, decimal Value);

/// <summary>A value for a bill's period, and the words that say how it came from more than one value.</summary>
public sealed record PeriodValue(decimal Value, string Note);

/// <summary>
/// Looks up a dated value for a period: the value in force, or, when it changed inside the period, each value weighted by
/// its share of the period's days (a rider of $0.010 for 10 days and $0.013 for 20 is $0.012 for the bill).
/// </summary>
public static partial class RateValues
{
    /// <summary>The name the gas's heating value is kept under (therms per CCF).</summary>
    public const string HeatingValue = "heating_value";

    /// <summary>The longest name a value may have.</summary>
    public const int MaxNameLength = 40;

    /// <summary>The value for the period, or null when some day of it has no value in force (the first value came later).</summary>
    public static PeriodValue? ForPeriod(IEnumerable<RateValue> values, BillingPeriod period)
    {
        ArgumentNullException.ThrowIfNull(values);
        var ordered = values.OrderBy(v => v.EffectiveFrom).ToList();
        var atStart = ordered.LastOrDefault(v => v.EffectiveFrom <= period.Start);
        if (atStart is null)
        {
            return null;
        }

        var spans = new List<(RateValue Value, int Days)>();
        var from = period.Start;
        var current = atStart;
        foreach (var next in ordered.Where(v => v.EffectiveFrom > period.Start && v.EffectiveFrom <= period.End))
        {
            spans.Add((current, next.EffectiveFrom.DayNumber - from.DayNumber));
            (from, current) = (next.EffectiveFrom, next);
        }

        spans.Add((current, period.End.DayNumber - from.DayNumber + 1));
        spans.RemoveAll(s => s.Days == 0);
        if (spans.Count == 1)
        {
            return new PeriodValue(spans[0].Value.Value, "");
        }

        var days = spans.Sum(s => s.Days);
        var weighted = spans.Sum(s => s.Value.Value * s.Days) / days;
        var parts = string.Join(" + ", spans.Select(s => $"{Show(s.Value.Value)} x {s.Days} days"));
        return new PeriodValue(weighted, $"{atStart.Name} changed during the period: ({parts}) / {days} days = {Show(weighted)}. ");
    }

    /// <summary>Why a name cannot be a value's name, or null when it can: letters, digits, '_' and '-', starting with a letter.</summary>
    public static string? ProblemWithName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "is required"
        : name.Length > MaxNameLength ? $"is longer than {MaxNameLength} characters"
        : !NamePattern().IsMatch(name) ? $"'{name}' is not a name: letters, digits, '_' and '-', starting with a letter"
        : null;

    private static string Show(decimal value) => value.ToString("0.00####", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$")]
    private static partial Regex NamePattern();
}
