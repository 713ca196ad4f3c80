namespace OpenCIS.Core.Portal;

/// <summary>One bill's use of a service: the period's end and the quantity billed.</summary>
public sealed record UsagePoint(DateOnly PeriodEnd, decimal Quantity);

/// <summary>A period's use beside the same period a year before, when there was one.</summary>
public sealed record UsageCompared(DateOnly Period, decimal Quantity, decimal? YearBefore);

/// <summary>
/// The customer's use set beside last year's: by bill (the bill whose period ended within <see cref="MatchDays"/> days of a
/// year before, the nearest), and by day from interval reads (the same calendar day a year before). Nothing is invented:
/// a period with no counterpart has none.
/// </summary>
public static class UsageComparison
{
    public const int MatchDays = 15;

    public static IReadOnlyList<UsageCompared> ByBill(IReadOnlyList<UsagePoint> bills, int count)
    {
        var ordered = bills.OrderBy(b => b.PeriodEnd).ToList();
        return ordered.Skip(Math.Max(0, ordered.Count - count)).Select(b =>
        {
            var yearBefore = b.PeriodEnd.AddYears(-1);
            var match = ordered.Where(o => Math.Abs(o.PeriodEnd.DayNumber - yearBefore.DayNumber) <= MatchDays)
                .OrderBy(o => Math.Abs(o.PeriodEnd.DayNumber - yearBefore.DayNumber)).FirstOrDefault();
            return new UsageCompared(b.PeriodEnd, b.Quantity, match?.Quantity);
        }).ToList();
    }

    public static IReadOnlyList<UsageCompared> ByDay(IReadOnlyDictionary<DateOnly, decimal> days, DateOnly through, int count) =>
        Enumerable.Range(0, count).Select(i => through.AddDays(i - count + 1))
            .Where(days.ContainsKey)
            .Select(d => new UsageCompared(d, days[d], days.TryGetValue(d.AddYears(-1), out var before) ? before : null))
            .ToList();
}
