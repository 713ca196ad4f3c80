using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Tests.Properties;

public sealed class BudgetBillingProperties
{
    /// <summary>
    /// Any plan year (any monthly charges, any starting amount, reviews as they fall) ending with the true-up bills the
    /// account exactly its actual charges, leaves no deferred balance, and every bill's posting balances with its
    /// receivable line equal to what it billed.
    /// </summary>
    [Fact]
    public void A_plan_year_ending_in_its_true_up_bills_exactly_the_actual_charges()
    {
        var year =
            from charges in Gen.ArrayOf(Generators.Cents(0, 60_000), 12)
            from startDollars in Gen.Choose(0, 400)
            from every in Gen.Choose(1, 12)
            from startMonth in Gen.Choose(1, 12)
            select (Charges: charges, Start: Money.FromCents(startDollars * 100L), Every: every, StartMonth: startMonth);

        var property = Prop.ForAll(year.ToArbitrary(), y =>
        {
            var first = new DateOnly(2027, y.StartMonth, 5);
            var plan = new BudgetPlan(y.Start, first.AddMonths(11).Month, y.Every, first.AddMonths(y.Every));
            var deferred = Money.Zero;
            var billed = Money.Zero;
            var history = BudgetHistory.None;
            var balanced = true;
            for (var month = 0; month < 12; month++)
            {
                var actual = Money.FromCents(y.Charges[month]);
                var decision = BudgetBilling.Decide(plan, deferred, actual, first.AddMonths(month), history);
                var proposal = new BillProposal(new AccountId(1), new BillingPeriod(first.AddMonths(month - 1), first.AddMonths(month).AddDays(-1)),
                    [new BillSegment(new ServiceAgreementId(1), Service.Water, "W", null, null, [new OpenCIS.Core.Rating.ChargeLine("C", "C", actual, "", null)])]);
                if (!actual.IsZero || !decision.Billed.IsZero)
                {
                    var posting = PostingRules.ForBill(proposal, decision.Billed);
                    balanced &= posting.AmountOnAccount == decision.Billed
                        && Money.Sum(posting.Lines.Where(l => l.GlAccount == GlAccounts.BudgetDeferred).Select(l => l.Debit - l.Credit)) == decision.Deferred;
                }

                balanced &= decision.Deferred == actual - decision.Billed && decision.DeferredBalance == deferred + decision.Deferred;
                (plan, deferred, billed, history) = (decision.Plan, decision.DeferredBalance, billed + decision.Billed, history.With(actual));
                balanced &= decision.TrueUp == (month == 11);
            }

            return balanced && deferred.IsZero && billed == Money.FromCents(y.Charges.Sum());
        });

        Check.One(Generators.Config, property);
    }
}
