using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Portal;

namespace OpenCIS.Tests.Core.Portal;

/// <summary>Use beside last year's: each period is matched with the one a year before, or with none, and never invented.</summary>
public sealed class UsageComparisonTests
{
    [Fact]
    public void Each_bill_is_set_beside_the_bill_a_year_before_within_fifteen_days_and_a_gap_has_none()
    {
        var bills = new List<UsagePoint>
        {
            new(new DateOnly(2025, 10, 5), 4_100), new(new DateOnly(2025, 11, 20), 3_900),
            new(new DateOnly(2026, 10, 5), 4_400), new(new DateOnly(2026, 11, 5), 3_600),
        };
        var compared = UsageComparison.ByBill(bills, 2);
        Assert.Equal([new UsageCompared(new DateOnly(2026, 10, 5), 4_400, 4_100), new UsageCompared(new DateOnly(2026, 11, 5), 3_600, 3_900)], compared);
        Assert.Null(UsageComparison.ByBill([new(new DateOnly(2026, 11, 5), 10), new(new DateOnly(2025, 12, 1), 12)], 1)[0].YearBefore);
    }

    [Fact]
    public void Days_are_the_last_ones_read_beside_the_same_calendar_day_a_year_before()
    {
        var days = new Dictionary<DateOnly, decimal> { [new DateOnly(2026, 11, 21)] = 20, [new DateOnly(2026, 11, 22)] = 22, [new DateOnly(2025, 11, 22)] = 30 };
        var compared = UsageComparison.ByDay(days, new DateOnly(2026, 11, 22), 30);
        Assert.Equal([new UsageCompared(new DateOnly(2026, 11, 21), 20, null), new UsageCompared(new DateOnly(2026, 11, 22), 22, 30)], compared);
    }

    [Fact]
    public void Every_year_before_value_is_the_quantity_of_a_real_bill_and_the_last_bills_are_all_shown() =>
        Prop.ForAll(
            Gen.Choose(0, 800).ArrayOf().ToArbitrary(),
            Gen.Choose(1, 14).ToArbitrary(),
            (offsets, count) =>
            {
                var bills = offsets.Distinct().Select(o => new UsagePoint(new DateOnly(2024, 1, 1).AddDays(o), o * 10 + 1)).ToList();
                var compared = UsageComparison.ByBill(bills, count);
                var quantities = bills.Select(b => b.Quantity).ToHashSet();
                return compared.Count == Math.Min(count, bills.Count)
                    && compared.All(c => c.YearBefore is null || quantities.Contains(c.YearBefore.Value))
                    && compared.Select(c => c.Period).SequenceEqual(bills.Select(b => b.PeriodEnd).Order().TakeLast(compared.Count));
            }).QuickCheckThrowOnFailure();
}
