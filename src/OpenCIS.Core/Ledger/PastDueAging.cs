using OpenCIS.Core.Common;

namespace OpenCIS.Core.Ledger;

/// <summary>An amount open on a date, with the date it fell due.</summary>
public sealed record PastDueItem(DateOnly DueOn, Money Open);

/// <summary>
/// Receivables by days past due, for the finance aging report: Current (not yet past due),
/// 1-30, 31-60, 61-90 and over 90 days past the due date. Credits sit in Current, so the
/// buckets always sum to the balance. The one aging definition: the account screen, the reports and
/// (later) collections all age by it.
/// </summary>
public sealed record PastDueBuckets(Money Current, Money Days1To30, Money Days31To60, Money Days61To90, Money Over90)
{
    public static readonly PastDueBuckets Empty = new(Money.Zero, Money.Zero, Money.Zero, Money.Zero, Money.Zero);

    public Money Total => Current + Days1To30 + Days31To60 + Days61To90 + Over90;

    public Money PastDue => Days1To30 + Days31To60 + Days61To90 + Over90;

    public static PastDueBuckets operator +(PastDueBuckets left, PastDueBuckets right) => new(
        left.Current + right.Current, left.Days1To30 + right.Days1To30, left.Days31To60 + right.Days31To60, left.Days61To90 + right.Days61To90, left.Over90 + right.Over90);

    public static PastDueBuckets Of(IEnumerable<PastDueItem> items, DateOnly asOf)
    {
        Span<long> cents = stackalloc long[5];
        foreach (var item in items)
        {
            var daysPastDue = asOf.DayNumber - item.DueOn.DayNumber;
            var bucket = item.Open.IsNegative || daysPastDue <= 0 ? 0
                : daysPastDue <= 30 ? 1
                : daysPastDue <= 60 ? 2
                : daysPastDue <= 90 ? 3
                : 4;
            cents[bucket] = checked(cents[bucket] + item.Open.Cents);
        }

        return new(Money.FromCents(cents[0]), Money.FromCents(cents[1]), Money.FromCents(cents[2]), Money.FromCents(cents[3]), Money.FromCents(cents[4]));
    }
}

/// <summary>One open item as the history reconstructs it: its amount, posting and due dates.</summary>
public sealed record HistoricItem(long ItemId, long AccountId, DateOnly PostedOn, DateOnly DueOn, Money Amount);

/// <summary>A credit applied to a charge, identified by the two items.</summary>
public sealed record HistoricAllocation(long ChargeItemId, long CreditItemId, Money Amount);

/// <summary>
/// What was open on a past date, rebuilt from postings rather than today's open amounts. An
/// allocation takes effect on the later of its two items' posting dates: a credit is applied
/// when it is posted to the charges already there, or when a charge is posted to the credits
/// waiting for it, so that is the first day both sides existed.
/// </summary>
public static class OpenItemHistory
{
    public static IEnumerable<(long AccountId, PastDueItem Item)> OpenOn(IEnumerable<HistoricItem> items, IEnumerable<HistoricAllocation> allocations, DateOnly asOf) =>
        ItemsOpenOn(items, allocations, asOf).Select(o => (o.AccountId, o.Item));

    /// <summary>The same, each amount with the item it is open on (what it was for: a bill, an invoice of a type, a credit).</summary>
    public static IEnumerable<(long ItemId, long AccountId, PastDueItem Item)> ItemsOpenOn(IEnumerable<HistoricItem> items, IEnumerable<HistoricAllocation> allocations, DateOnly asOf)
    {
        var posted = items.Where(i => i.PostedOn <= asOf).ToDictionary(i => i.ItemId);
        var open = posted.ToDictionary(p => p.Key, p => p.Value.Amount.Cents);
        foreach (var allocation in allocations)
        {
            // Both items must have been posted by the date; the posting date bound above guarantees the later one was.
            if (posted.ContainsKey(allocation.ChargeItemId) && posted.ContainsKey(allocation.CreditItemId))
            {
                open[allocation.ChargeItemId] = checked(open[allocation.ChargeItemId] - allocation.Amount.Cents);
                open[allocation.CreditItemId] = checked(open[allocation.CreditItemId] + allocation.Amount.Cents);
            }
        }

        return open.Where(o => o.Value != 0).Select(o => (o.Key, posted[o.Key].AccountId, new PastDueItem(posted[o.Key].DueOn, Money.FromCents(o.Value))));
    }
}

/// <summary>An item's open amount now, with what it needs to be rewound to a past date.</summary>
public sealed record OpenNowItem(long ItemId, long AccountId, DateOnly DueOn, Money OpenNow);

/// <summary>
/// An allocation made on or after the day after the as-of date, seen from the item that was
/// already posted by then: <paramref name="Undo"/> is what it took off that item's open amount
/// (positive for a charge it settled, negative for a credit it used up).
/// </summary>
public sealed record LaterAllocation(long ItemId, long AccountId, DateOnly DueOn, Money Undo);

public static class OpenItemRewind
{
    /// <summary>
    /// What was open on a past date, from today's open amounts of the items posted by then plus
    /// the allocations whose other item was posted after it: equal to <see cref="OpenItemHistory.OpenOn"/>
    /// (which reads every item and allocation) while reading only open items and recent history.
    /// </summary>
    public static IEnumerable<(long AccountId, PastDueItem Item)> OpenOn(IEnumerable<OpenNowItem> openNow, IEnumerable<LaterAllocation> later) =>
        ItemsOpenOn(openNow, later).Select(o => (o.AccountId, o.Item));

    /// <summary>The same, each amount with the item it is open on.</summary>
    public static IEnumerable<(long ItemId, long AccountId, PastDueItem Item)> ItemsOpenOn(IEnumerable<OpenNowItem> openNow, IEnumerable<LaterAllocation> later)
    {
        var open = new Dictionary<long, (long AccountId, DateOnly DueOn, long Cents)>();
        foreach (var item in openNow)
        {
            open[item.ItemId] = (item.AccountId, item.DueOn, item.OpenNow.Cents);
        }

        foreach (var allocation in later)
        {
            open[allocation.ItemId] = open.TryGetValue(allocation.ItemId, out var o)
                ? (o.AccountId, o.DueOn, checked(o.Cents + allocation.Undo.Cents))
                : (allocation.AccountId, allocation.DueOn, allocation.Undo.Cents);
        }

        return open.Where(o => o.Value.Cents != 0).Select(o => (o.Key, o.Value.AccountId, new PastDueItem(o.Value.DueOn, Money.FromCents(o.Value.Cents))));
    }
}
