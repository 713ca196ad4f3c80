using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Tests.Properties;

public sealed class LedgerProperties
{
    private static bool Balances(Posting posting) =>
        posting.Lines.Sum(l => l.Debit.Cents) == posting.Lines.Sum(l => l.Credit.Cents)
        && posting.Lines.Where(l => l.GlAccount == GlAccounts.AccountsReceivable).Sum(l => l.Debit.Cents - l.Credit.Cents) == posting.AmountOnAccount.Cents;

    [Fact]
    public void Every_bill_posting_balances_and_moves_the_account_by_the_bill_total()
    {
        var property = Prop.ForAll(Generators.Bills.ToArbitrary(), bill =>
        {
            if (!bill.Total.IsPositive)
            {
                // Zero and negative bills are refused with a clerk's message, never an unbalanced posting.
                Assert.Throws<DomainException>(() => PostingRules.ForBill(bill));
                return true;
            }

            var posting = PostingRules.ForBill(bill);
            var reversal = PostingRules.Reverse(posting, FinancialTransactionType.BillCancellation);
            return Balances(posting) && posting.AmountOnAccount == bill.Total && Balances(reversal) && reversal.AmountOnAccount == -bill.Total;
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void Every_bill_posting_credits_each_service_with_its_own_revenue()
    {
        var property = Prop.ForAll(Generators.Bills.Where(b => b.Total.IsPositive).ToArbitrary(), bill =>
        {
            var posting = PostingRules.ForBill(bill);
            return Enum.GetValues<Service>().All(service =>
            {
                var gl = GlAccounts.RevenueFor(service);
                var expected = bill.Segments.Where(s => s.Service == service).Sum(s => s.Total.Cents);
                var actual = posting.Lines.Where(l => l.GlAccount == gl).Sum(l => l.Credit.Cents - l.Debit.Cents);
                return expected == actual;
            });
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void Every_payment_posting_and_its_return_balance()
    {
        var property = Prop.ForAll(Generators.Cents(1, TenMillionDollars).ToArbitrary(), cents =>
        {
            var posting = PostingRules.ForPayment(Money.FromCents(cents));
            var returned = PostingRules.Reverse(posting, FinancialTransactionType.ReturnedPayment);
            return Balances(posting) && posting.AmountOnAccount.Cents == -cents && Balances(returned) && returned.AmountOnAccount.Cents == cents;
        });

        Check.One(Generators.Config, property);
    }

    private const long TenMillionDollars = 1_000_000_000;

    [Fact]
    public void Settling_never_applies_more_than_is_open_and_keeps_the_net_balance()
    {
        var property = Prop.ForAll(Generators.OpenItems.ToArbitrary(), items =>
        {
            var allocations = AllocationRule.Settle(items);
            var byKey = items.ToDictionary(i => i.Key);
            var appliedToCharge = allocations.GroupBy(a => a.ChargeKey).ToDictionary(g => g.Key, g => g.Sum(a => a.Amount.Cents));
            var appliedFromCredit = allocations.GroupBy(a => a.CreditKey).ToDictionary(g => g.Key, g => g.Sum(a => a.Amount.Cents));

            var everyAllocationPositive = allocations.All(a => a.Amount.IsPositive);
            var chargesOnlyCharges = appliedToCharge.All(kv => byKey[kv.Key].Open.IsPositive && kv.Value <= byKey[kv.Key].Open.Cents);
            var creditsOnlyCredits = appliedFromCredit.All(kv => byKey[kv.Key].Open.IsNegative && kv.Value <= -byKey[kv.Key].Open.Cents);

            // After settlement: open charges + unapplied credits (negative) == the same sum before.
            var after = items.Select(i => i.Open.Cents
                - appliedToCharge.GetValueOrDefault(i.Key)
                + appliedFromCredit.GetValueOrDefault(i.Key)).ToList();
            var netKept = after.Sum() == items.Sum(i => i.Open.Cents);

            // It settles as far as it can: what is left is only charges or only credits, never both.
            var settledFully = !(after.Any(a => a > 0) && after.Any(a => a < 0));
            return everyAllocationPositive && chargesOnlyCharges && creditsOnlyCredits && netKept && settledFully;
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void Credits_pay_charges_in_priority_then_due_date_order_and_never_skip_one_left_open()
    {
        var property = Prop.ForAll(Generators.OpenItems.ToArbitrary(), items =>
        {
            var allocations = AllocationRule.Settle(items);
            var applied = allocations.GroupBy(a => a.ChargeKey).ToDictionary(g => g.Key, g => g.Sum(a => a.Amount.Cents));
            var charges = items.Where(i => i.Open.IsPositive).OrderBy(i => i.Priority).ThenBy(i => i.DueDate).ThenBy(i => i.Key).ToList();

            // Walking the charges in order: once one is left with anything open, no later charge got a cent.
            var leftOpen = false;
            foreach (var charge in charges)
            {
                var paid = applied.GetValueOrDefault(charge.Key);
                if (leftOpen && paid > 0)
                {
                    return false;
                }

                leftOpen |= paid < charge.Open.Cents;
            }

            return true;
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void Aging_buckets_sum_to_the_open_items()
    {
        var items = from list in Gen.ListOf(
                        from posted in Generators.Dates
                        from cents in Generators.Cents(-50_000, 200_000)
                        select new PastDueItem(posted, Money.FromCents(cents)))
                    from asOf in Generators.Dates
                    select (Items: list.ToArray(), AsOf: asOf);
        var property = Prop.ForAll(items.ToArbitrary(), input =>
        {
            var buckets = PastDueBuckets.Of(input.Items, input.AsOf);
            var total = input.Items.Sum(i => i.Open.Cents);
            var pastDue = input.Items.Where(i => i.Open.IsPositive && i.DueOn < input.AsOf).Sum(i => i.Open.Cents);
            var over90 = input.Items.Where(i => i.Open.IsPositive && input.AsOf.DayNumber - i.DueOn.DayNumber > 90).Sum(i => i.Open.Cents);
            return buckets.Total.Cents == total && buckets.PastDue.Cents == pastDue && buckets.Over90.Cents == over90;
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void A_trial_balance_of_balanced_postings_balances_and_ties_to_the_accounts()
    {
        var postings = Gen.ListOf(Gen.OneOf(
            Generators.Bills.Where(b => b.Total.IsPositive).Select(PostingRules.ForBill),
            Generators.Cents(1, 500_000).Select(c => PostingRules.ForPayment(Money.FromCents(c))),
            Generators.Bills.Where(b => b.Total.IsPositive).Select(b => PostingRules.Reverse(PostingRules.ForBill(b), FinancialTransactionType.BillCancellation))));
        var property = Prop.ForAll(postings.ToArbitrary(), list =>
        {
            var totals = list.SelectMany(p => p.Lines).GroupBy(l => l.GlAccount)
                .Select(g => (g.Key, Money.Sum(g.Select(l => l.Debit)), Money.Sum(g.Select(l => l.Credit))));
            var subLedger = Money.Sum(list.Select(p => p.AmountOnAccount));

            var trialBalance = TrialBalance.From(totals, subLedger, ChartOfAccounts.Default);

            return trialBalance.TotalDebits == trialBalance.TotalCredits
                && trialBalance.Balances
                && trialBalance.ReceivableControl == subLedger
                && trialBalance.TiesToSubLedger;
        });

        Check.One(Generators.Config, property);
    }
}
