using System.Collections.Immutable;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Rating;

/// <summary>One account's bill for one service, rated under the schedule in force and under a proposed one.</summary>
public sealed record ComparedBill(string AccountClass, string Service, Money Current, Money Proposed)
{
    public Money Change => Proposed - Current;

    /// <summary>The change as a percentage of the current bill; null when the current bill is zero.</summary>
    public decimal? ChangePercent => Current.IsZero ? null : Change.Cents * 100m / Current.Cents;
}

/// <summary>How many bills changed by how much, in percent.</summary>
public sealed record ChangeBucket(string Label, int Bills);

/// <summary>A class and service's comparison: averages before and after, and the spread of the changes.</summary>
public sealed record ComparisonGroup(
    string AccountClass,
    string Service,
    int Bills,
    Money AverageCurrent,
    Money AverageProposed,
    Money AverageChange,
    decimal? ChangePercent,
    ImmutableArray<ChangeBucket> Distribution);

/// <summary>
/// Sums up a rate comparison: per account class and service, the number of bills, the average bill
/// before and after (rounded to the cent once, from the exact totals), the change in dollars and
/// percent (of the total current billing), and how many bills fall in each band of change.
/// </summary>
public static class RateComparisonSummary
{
    /// <summary>The bands of change: upper bounds in percent, inclusive; the last band is open.</summary>
    private static readonly (decimal? UpTo, string Label)[] Bands =
    [
        (-10m, "down more than 10%"),
        (-0.005m, "down up to 10%"),
        (0.005m, "no change"),
        (5m, "up to 5%"),
        (10m, "up 5% to 10%"),
        (20m, "up 10% to 20%"),
        (null, "up more than 20%"),
    ];

    public static ImmutableArray<ComparisonGroup> Summarize(IEnumerable<ComparedBill> bills) =>
    [
        .. bills.GroupBy(b => (b.AccountClass, b.Service))
            .OrderBy(g => g.Key.AccountClass, StringComparer.Ordinal).ThenBy(g => g.Key.Service, StringComparer.Ordinal)
            .Select(g => Group(g.Key.AccountClass, g.Key.Service, [.. g])),
    ];

    public static ComparisonGroup Group(string accountClass, string service, IReadOnlyList<ComparedBill> bills)
    {
        var current = bills.Sum(b => b.Current.Cents);
        var proposed = bills.Sum(b => b.Proposed.Cents);
        Money Average(long cents) => Money.Round(cents / 100m / bills.Count);
        var distribution = Bands.Select(band => new ChangeBucket(band.Label, 0)).ToArray();
        foreach (var bill in bills)
        {
            var percent = bill.ChangePercent ?? (bill.Change.IsZero ? 0m : bill.Change.IsPositive ? decimal.MaxValue : decimal.MinValue);
            var index = Array.FindIndex(Bands, band => band.UpTo is not { } upTo || percent <= upTo);
            distribution[index] = distribution[index] with { Bills = distribution[index].Bills + 1 };
        }

        return new ComparisonGroup(
            accountClass,
            service,
            bills.Count,
            Average(current),
            Average(proposed),
            Average(proposed - current),
            current == 0 ? null : Math.Round((proposed - current) * 100m / current, 2, MidpointRounding.AwayFromZero),
            [.. distribution]);
    }
}
