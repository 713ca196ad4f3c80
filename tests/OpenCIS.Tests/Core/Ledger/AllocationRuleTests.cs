using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Tests.Core.Ledger;

public sealed class AllocationRuleTests
{
    private static OpenItemBalance Item(long key, string due, long cents, int priority = 100) =>
        new(key, DateOnly.Parse(due, System.Globalization.CultureInfo.InvariantCulture), priority, Money.FromCents(cents));

    private static Allocation Applied(long charge, long credit, long cents) => new(charge, credit, Money.FromCents(cents));

    [Fact]
    public void A_credit_pays_the_oldest_charge_first()
    {
        var allocations = AllocationRule.Settle([
            Item(1, "2026-03-01", 3000),
            Item(2, "2026-01-01", 5000),
            Item(3, "2026-02-01", 2000),
            Item(9, "2026-03-10", -6000),
        ]);

        Assert.Equal([Applied(2, 9, 5000), Applied(3, 9, 1000)], allocations.ToArray());
    }

    [Fact]
    public void Priority_comes_before_age()
    {
        var allocations = AllocationRule.Settle([
            Item(1, "2026-01-01", 5000),
            Item(2, "2026-03-01", 2000, priority: 10), // a fee or deposit the utility collects first
            Item(3, "2026-02-01", 3000),
            Item(9, "2026-03-10", -6000),
        ]);

        Assert.Equal([Applied(2, 9, 2000), Applied(1, 9, 4000)], allocations.ToArray());
    }

    [Fact]
    public void A_charge_the_payment_names_is_paid_before_priority_and_age()
    {
        var allocations = AllocationRule.Settle([
            Item(1, "2026-01-01", 5000),
            Item(2, "2026-03-01", 2000, priority: 10),
            Item(3, "2026-02-01", 3000) with { First = true }, // an invoice paid by its number
            Item(9, "2026-03-10", -6000),
        ]);

        Assert.Equal([Applied(3, 9, 3000), Applied(2, 9, 2000), Applied(1, 9, 1000)], allocations.ToArray());
    }

    [Fact]
    public void Same_priority_and_due_date_go_in_posting_order()
    {
        var allocations = AllocationRule.Settle([
            Item(5, "2026-01-01", 1000),
            Item(4, "2026-01-01", 1000),
            Item(9, "2026-03-10", -1500),
        ]);

        Assert.Equal([Applied(4, 9, 1000), Applied(5, 9, 500)], allocations.ToArray());
    }

    [Fact]
    public void The_oldest_credit_is_used_first_and_any_excess_stays_unapplied()
    {
        var allocations = AllocationRule.Settle([
            Item(8, "2026-03-10", -4000),
            Item(7, "2026-02-10", -1000),
            Item(1, "2026-01-01", 3000),
        ]);

        Assert.Equal([Applied(1, 7, 1000), Applied(1, 8, 2000)], allocations.ToArray());
    }

    [Fact]
    public void Nothing_to_apply_without_both_a_charge_and_a_credit()
    {
        Assert.Empty(AllocationRule.Settle([Item(1, "2026-01-01", 3000), Item(2, "2026-01-02", 0)]));
        Assert.Empty(AllocationRule.Settle([Item(1, "2026-01-01", -3000)]));
        Assert.Empty(AllocationRule.Settle([]));
    }
}
