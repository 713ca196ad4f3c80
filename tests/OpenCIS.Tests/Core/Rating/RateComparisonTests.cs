using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Common;
using OpenCIS.Core.Rating;
using OpenCIS.Tests.Properties;

namespace OpenCIS.Tests.Core.Rating;

public sealed class RateComparisonTests
{
    private static ComparedBill Bill(string accountClass, long before, long after) => new(accountClass, "Water", Money.FromCents(before), Money.FromCents(after));

    [Fact]
    public void Groups_give_average_bills_before_and_after_the_change_in_percent_of_billing_and_its_spread()
    {
        var groups = RateComparisonSummary.Summarize([
            Bill("Residential", 10_000, 10_300), // +3%
            Bill("Residential", 20_000, 21_400), // +7%
            Bill("Residential", 5_000, 5_000),   // no change
            Bill("Commercial", 100_000, 85_000), // -15%
        ]);

        Assert.Equal(["Commercial", "Residential"], groups.Select(g => g.AccountClass).ToArray());
        var residential = groups[1];
        Assert.Equal(3, residential.Bills);
        Assert.Equal("$116.67", residential.AverageCurrent.ToString());
        Assert.Equal("$122.33", residential.AverageProposed.ToString());
        Assert.Equal("$5.67", residential.AverageChange.ToString());
        Assert.Equal(4.86m, residential.ChangePercent); // 1,700 / 35,000
        Assert.Equal(
            ["no change: 1", "up to 5%: 1", "up 5% to 10%: 1"],
            residential.Distribution.Where(d => d.Bills > 0).Select(d => $"{d.Label}: {d.Bills}").ToArray());
        Assert.Equal(1, groups[0].Distribution.Single(d => d.Label == "down more than 10%").Bills);
    }

    [Fact]
    public void Every_bill_falls_in_exactly_one_band()
    {
        var bills = Gen.Choose(0, 500_000).Zip(Gen.Choose(0, 500_000)).Select(p => Bill("Residential", p.Item1, p.Item2)).ListOf();
        var property = Prop.ForAll(bills.ToArbitrary(), list =>
            list.Count == 0 || RateComparisonSummary.Summarize(list).Single().Distribution.Sum(d => d.Bills) == list.Count);
        Check.One(Generators.Config, property);
    }
}
