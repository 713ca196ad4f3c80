using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Tests.Core;

public sealed class BudgetBillingTests
{
    private static Money D(decimal dollars) => Money.Round(dollars);

    private static readonly BudgetPlan Plan = new(D(90), TrueUpMonth: 11, ReviewEveryMonths: 3, NextReviewOn: new DateOnly(2027, 3, 1));

    [Fact]
    public void A_month_bills_the_budget_amount_and_defers_the_rest()
    {
        var over = BudgetBilling.Decide(Plan, Money.Zero, D(130.85m), new DateOnly(2027, 1, 5), BudgetHistory.None);
        Assert.Equal((D(90), D(90), D(40.85m), D(40.85m), false), (over.BudgetAmount, over.Billed, over.Deferred, over.DeferredBalance, over.TrueUp));

        var under = BudgetBilling.Decide(Plan, D(40.85m), D(52), new DateOnly(2027, 2, 5), BudgetHistory.None);
        Assert.Equal((D(90), D(-38), D(2.85m)), (under.Billed, under.Deferred, under.DeferredBalance));
        Assert.Equal(Plan, under.Plan);
    }

    [Fact]
    public void The_true_up_month_bills_actual_charges_with_the_deferred_balance_and_sets_the_amount_again()
    {
        var history = new BudgetHistory(11, D(990));
        var trueUp = BudgetBilling.Decide(Plan, D(120), D(100), new DateOnly(2027, 11, 5), history);
        Assert.True(trueUp.TrueUp);
        Assert.Equal((D(220), D(-120), Money.Zero), (trueUp.Billed, trueUp.Deferred, trueUp.DeferredBalance));
        // (990 + 100) / 12 = 90.83, rounded up to the dollar.
        Assert.Equal(D(91), trueUp.Plan.MonthlyAmount);
        Assert.Equal(new DateOnly(2028, 2, 5), trueUp.Plan.NextReviewOn);

        // Budget paid ahead of use comes back as a credit.
        var credit = BudgetBilling.Decide(Plan, D(-150), D(40), new DateOnly(2027, 11, 5), history);
        Assert.Equal(D(-110), credit.Billed);
    }

    [Fact]
    public void A_final_bill_settles_whatever_the_month()
    {
        var final = BudgetBilling.Decide(Plan, D(60), D(80), new DateOnly(2027, 4, 5), BudgetHistory.None, settle: true);
        Assert.Equal((true, D(140), Money.Zero), (final.TrueUp, final.Billed, final.DeferredBalance));
    }

    [Fact]
    public void A_due_review_spreads_the_deferred_balance_over_the_months_left()
    {
        // March to October is 8 budget bills before November's true-up; $1,200 over 12 bills averages $100; $90 deferred
        // adds $11.25 a month: $111.25, rounded up to $112.
        var reviewed = BudgetBilling.Decide(Plan, D(90), D(100), new DateOnly(2027, 3, 5), new BudgetHistory(12, D(1200)));
        Assert.Equal(D(112), reviewed.BudgetAmount);
        Assert.Equal(new DateOnly(2027, 6, 5), reviewed.Plan.NextReviewOn);
        Assert.Contains("changes from $90.00 to $112.00", reviewed.Note, StringComparison.Ordinal);
        Assert.Equal(8, BudgetBilling.MonthsToTrueUp(new DateOnly(2027, 3, 5), 11));
        Assert.Equal(12, BudgetBilling.MonthsToTrueUp(new DateOnly(2027, 11, 5), 11));
        Assert.Equal(1, BudgetBilling.MonthsToTrueUp(new DateOnly(2027, 10, 5), 11));
    }

    [Fact]
    public void An_amount_needs_history_or_is_given_and_a_plan_is_checked_by_field()
    {
        Assert.Equal("monthlyAmount", Assert.Throws<DomainException>(() => BudgetBilling.MonthlyAmount(BudgetHistory.None, Money.Zero, 12)).Field);
        Assert.Equal("monthlyAmount", Assert.Throws<DomainException>(() => BudgetPlan.Checked(D(85.50m), 11, 3, default)).Field);
        Assert.Equal("monthlyAmount", Assert.Throws<DomainException>(() => BudgetPlan.Checked(D(-5), 11, 3, default)).Field);
        Assert.Equal("trueUpMonth", Assert.Throws<DomainException>(() => BudgetPlan.Checked(D(85), 13, 3, default)).Field);
        Assert.Equal("reviewEveryMonths", Assert.Throws<DomainException>(() => BudgetPlan.Checked(D(85), 11, 0, default)).Field);
        // A credit larger than a year's use never asks for less than nothing.
        Assert.Equal(Money.Zero, BudgetBilling.MonthlyAmount(new BudgetHistory(12, D(600)), D(-2000), 3));
    }

    [Fact]
    public void A_budget_bill_posts_actual_charges_to_revenue_and_the_difference_to_the_deferred_balance()
    {
        var proposal = new BillProposal(new AccountId(1), new BillingPeriod(new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 31)),
            [new BillSegment(new ServiceAgreementId(1), Service.Water, "W-RES", null, null, [new OpenCIS.Core.Rating.ChargeLine("BASE", "Base", D(130.85m), "", null)])]);
        var posting = PostingRules.ForBill(proposal, D(90));
        Assert.Equal(D(90), posting.AmountOnAccount);
        Assert.Contains(new GlLine(GlAccounts.BudgetDeferred, D(40.85m), Money.Zero), posting.Lines);
        Assert.Contains(new GlLine(GlAccounts.WaterSales, Money.Zero, D(130.85m)), posting.Lines);

        var settlement = PostingRules.ForBudgetSettlement(D(-25));
        Assert.Equal((FinancialTransactionType.BudgetSettlement, D(-25)), (settlement.Type, settlement.AmountOnAccount));
    }
}
