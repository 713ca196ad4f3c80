using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Tests.Core.Ledger;

public sealed class AgingTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 22);

    public enum Bucket
    {
        Current,
        Days30,
        Days60,
        Days90,
        Days120Plus,
    }

    [Theory]
    [InlineData(0, Bucket.Current)]
    [InlineData(29, Bucket.Current)]
    [InlineData(30, Bucket.Days30)]
    [InlineData(59, Bucket.Days30)]
    [InlineData(60, Bucket.Days60)]
    [InlineData(89, Bucket.Days60)]
    [InlineData(90, Bucket.Days90)]
    [InlineData(119, Bucket.Days90)]
    [InlineData(120, Bucket.Days120Plus)]
    [InlineData(1000, Bucket.Days120Plus)]
    [InlineData(-3, Bucket.Current)] // posted after the as-of date
    public void A_charge_falls_in_the_bucket_for_its_age_in_days(int ageDays, Bucket expected)
    {
        var buckets = Aging.Compute([new AgingItem(AsOf.AddDays(-ageDays), Money.FromCents(1234))], AsOf);

        var amounts = new Dictionary<Bucket, Money>
        {
            [Bucket.Current] = buckets.Current,
            [Bucket.Days30] = buckets.Days30,
            [Bucket.Days60] = buckets.Days60,
            [Bucket.Days90] = buckets.Days90,
            [Bucket.Days120Plus] = buckets.Days120Plus,
        };
        foreach (var (bucket, amount) in amounts)
        {
            Assert.Equal(bucket == expected ? 1234 : 0, amount.Cents);
        }

        Assert.Equal(expected == Bucket.Current ? 0 : 1234, buckets.Arrears.Cents);
    }

    [Fact]
    public void An_unapplied_credit_sits_in_current_whatever_its_age_and_the_buckets_sum_to_the_balance()
    {
        var buckets = Aging.Compute([
            new AgingItem(AsOf.AddDays(-200), Money.FromCents(-5000)),
            new AgingItem(AsOf.AddDays(-45), Money.FromCents(3000)),
            new AgingItem(AsOf.AddDays(-130), Money.FromCents(7000)),
        ], AsOf);

        Assert.Equal(new AgingBuckets(Money.FromCents(-5000), Money.FromCents(3000), Money.Zero, Money.Zero, Money.FromCents(7000)), buckets);
        Assert.Equal(5000, buckets.Total.Cents);
    }
}
