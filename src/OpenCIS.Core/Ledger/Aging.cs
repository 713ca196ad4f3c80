using OpenCIS.Core.Common;

namespace OpenCIS.Core.Ledger;

/// <summary>An open amount with the date its charge was posted (the bill date).</summary>
public sealed record AgingItem(DateOnly PostedDate, Money Open);

/// <summary>
/// Receivables aged from the date each charge was billed: Current is 0-29 days old, then
/// 30-59, 60-89, 90-119 and 120 days or more. Unapplied credits sit in Current, so the buckets
/// always sum to the balance.
/// </summary>
public sealed record AgingBuckets(Money Current, Money Days30, Money Days60, Money Days90, Money Days120Plus)
{
    public static readonly AgingBuckets Empty = new(Money.Zero, Money.Zero, Money.Zero, Money.Zero, Money.Zero);

    public Money Total => Current + Days30 + Days60 + Days90 + Days120Plus;

    /// <summary>Amount 30 days old or more: what collections call arrears.</summary>
    public Money Arrears => Days30 + Days60 + Days90 + Days120Plus;

    public static AgingBuckets operator +(AgingBuckets left, AgingBuckets right) => new(
        left.Current + right.Current,
        left.Days30 + right.Days30,
        left.Days60 + right.Days60,
        left.Days90 + right.Days90,
        left.Days120Plus + right.Days120Plus);
}

public static class Aging
{
    public static AgingBuckets Compute(IEnumerable<AgingItem> items, DateOnly asOf)
    {
        long current = 0, days30 = 0, days60 = 0, days90 = 0, days120 = 0;
        foreach (var item in items)
        {
            var age = asOf.DayNumber - item.PostedDate.DayNumber;
            if (item.Open.IsNegative || age < 30)
            {
                current = checked(current + item.Open.Cents);
            }
            else if (age < 60)
            {
                days30 = checked(days30 + item.Open.Cents);
            }
            else if (age < 90)
            {
                days60 = checked(days60 + item.Open.Cents);
            }
            else if (age < 120)
            {
                days90 = checked(days90 + item.Open.Cents);
            }
            else
            {
                days120 = checked(days120 + item.Open.Cents);
            }
        }

        return new AgingBuckets(Money.FromCents(current), Money.FromCents(days30), Money.FromCents(days60), Money.FromCents(days90), Money.FromCents(days120));
    }
}
