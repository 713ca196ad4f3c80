using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Tests.Collections;

/// <summary>The courtesy limit counts the waivers of the twelve months up to today; a waiver mirrors its charge and nothing else can be waived.</summary>
public sealed class ChargeWaiverRuleTests
{
    private static readonly DateOnly Today = new(2026, 11, 17);

    [Fact]
    public void Waivers_within_the_courtesy_limit_of_the_last_twelve_months_post_and_the_next_needs_a_supervisor()
    {
        Assert.True(ChargeWaivers.Decide(1, [], Today).Courtesy);
        // One a year ago to the day has dropped out; one a day later has not.
        Assert.True(ChargeWaivers.Decide(1, [Today.AddMonths(-12)], Today).Courtesy);
        var held = ChargeWaivers.Decide(1, [Today.AddMonths(-12).AddDays(1)], Today);
        Assert.False(held.Courtesy);
        Assert.Equal("the courtesy limit of 1 in 12 months is used (last on 2025-11-18), so a Supervisor must approve", held.Reason);
        Assert.Equal("courtesy waiver 2 of 2 in 12 months", ChargeWaivers.Decide(2, [Today.AddDays(-3)], Today).Reason);
        Assert.False(ChargeWaivers.Decide(0, [], Today).Courtesy);
    }

    [Fact]
    public void A_waiver_is_the_exact_mirror_of_a_late_charge_and_a_bill_cannot_be_waived()
    {
        var charge = PostingRules.ForLateCharge([(OpenCIS.Core.Billing.Service.Water, Money.FromCents(3_00)), (OpenCIS.Core.Billing.Service.Sewer, Money.FromCents(1_25))]);
        var waiver = ChargeWaivers.Posting(charge);
        Assert.Equal(FinancialTransactionType.CollectionWaiver, waiver.Type);
        Assert.Equal(Money.FromCents(-4_25), waiver.AmountOnAccount);
        Assert.Equal(charge.Lines.Select(l => (l.GlAccount, l.Debit, l.Credit)), waiver.Lines.Select(l => (l.GlAccount, l.Credit, l.Debit)));
        Assert.Throws<DomainException>(() => ChargeWaivers.Posting(PostingRules.ForPayment(Money.FromCents(10_00))));
    }
}
