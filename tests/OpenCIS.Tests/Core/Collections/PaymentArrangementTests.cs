using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using static OpenCIS.Tests.Core.Collections.TestPolicies;

namespace OpenCIS.Tests.Core.Collections;

public sealed class PaymentArrangementTests
{
    private static readonly ArrangementLimits Limits = Standard.Arrangements;

    [Fact]
    public void Installments_share_the_rest_after_the_down_payment_with_the_odd_cents_going_first()
    {
        var schedule = PaymentArrangements.Schedule(Dollars(100m), Dollars(25m), 3, D(2026, 1, 31));
        Assert.Equal(["25.00", "25.00", "25.00"], schedule.Select(i => i.Amount.ToPlainString()).ToArray());

        var odd = PaymentArrangements.Schedule(Money.FromCents(100_02), Money.FromCents(25_00), 3, D(2026, 1, 31));
        Assert.Equal([25_01L, 25_01L, 25_00L], odd.Select(i => i.Amount.Cents).ToArray());
        // Month ends clamp: 31 Jan, 28 Feb, 31 Mar.
        Assert.Equal([D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31)], odd.Select(i => i.DueOn).ToArray());
    }

    [Theory]
    [InlineData(300, 300, 50, 3, 0, "minimumDownPaymentPercent", "The down payment $50.00 is under the policy's minimum of 25% ($75.00).")]
    [InlineData(300, 300, 75, 7, 0, "installmentsMax", "7 installments is more than the policy's most of 6.")]
    [InlineData(40, 40, 10, 2, 0, "eligibleDebtMinimum", "A debt of $40.00 is under the policy's least eligible debt of $50.00.")]
    [InlineData(6000, 6000, 1500, 2, 0, "eligibleDebtMaximum", "A debt of $6,000.00 is over the policy's most eligible debt of $5,000.00.")]
    [InlineData(300, 300, 75, 3, 2, "arrangementsPer12MonthsMax", "The account has made 2 arrangements in the last 12 months; the policy allows 2.")]
    [InlineData(300, 400, 100, 3, 0, "amount", "The arranged amount $400.00 is more than the debt $300.00.")]
    public void Terms_outside_the_policy_are_refused_naming_the_limit(int debt, int arranged, int down, int installments, int earlier, string field, string message)
    {
        var refusal = Assert.Throws<DomainException>(() => PaymentArrangements.Validate(Limits, Dollars(debt), Dollars(arranged), Dollars(down), installments, earlier));
        Assert.Equal(field, refusal.Field);
        Assert.Equal(message, refusal.Message);
    }

    [Fact]
    public void Terms_within_the_policy_pass()
    {
        PaymentArrangements.Validate(Limits, Dollars(300m), Dollars(300m), Dollars(75m), 6, 1);
    }

    [Fact]
    public void An_arrangement_is_active_while_kept_broken_after_a_missed_installment_and_its_grace_and_completed_when_paid()
    {
        var arrangement = new PaymentArrangement(D(2026, 2, 5), Dollars(300m), Dollars(75m), PaymentArrangements.Schedule(Dollars(300m), Dollars(75m), 3, D(2026, 3, 5)));
        CollectionPayment[] kept = [new(D(2026, 2, 5), Dollars(75m)), new(D(2026, 3, 5), Dollars(75m))];

        var active = PaymentArrangements.StatusOn(arrangement, [.. kept], 5, D(2026, 3, 20));
        Assert.Equal(ArrangementState.Active, active.State);
        Assert.Equal("$150.00 of $300.00 paid; installment 2 of $75.00 due Apr 5, 2026", active.Reason);

        // Installment 2 is due 5 Apr; five days of grace run to 10 Apr; it breaks on the 11th.
        Assert.Equal(ArrangementState.Active, PaymentArrangements.StatusOn(arrangement, [.. kept], 5, D(2026, 4, 10)).State);
        var broken = PaymentArrangements.StatusOn(arrangement, [.. kept], 5, D(2026, 4, 11));
        Assert.Equal(ArrangementState.Broken, broken.State);
        Assert.Equal(D(2026, 4, 11), broken.Since);
        Assert.Equal("installment 2 of $75.00 due Apr 5, 2026 unpaid after 5 days of grace ($150.00 of $225.00 paid)", broken.Reason);

        CollectionPayment[] paid = [.. kept, new(D(2026, 4, 9), Dollars(150m))];
        var completed = PaymentArrangements.StatusOn(arrangement, [.. paid], 5, D(2026, 6, 1));
        Assert.Equal(ArrangementState.Completed, completed.State);
        Assert.Equal(D(2026, 4, 9), completed.Since);
    }

    [Fact]
    public void A_missed_down_payment_breaks_the_arrangement_after_the_grace_days()
    {
        var arrangement = new PaymentArrangement(D(2026, 2, 5), Dollars(300m), Dollars(75m), PaymentArrangements.Schedule(Dollars(300m), Dollars(75m), 3, D(2026, 3, 5)));
        var broken = PaymentArrangements.StatusOn(arrangement, [], 5, D(2026, 2, 11));
        Assert.Equal(ArrangementState.Broken, broken.State);
        Assert.StartsWith("down payment of $75.00 due Feb 5, 2026", broken.Reason, StringComparison.Ordinal);
    }
}
