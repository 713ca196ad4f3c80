using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Receivables;
using OpenCIS.Tests.Core.Ledger;

namespace OpenCIS.Tests.Properties;

/// <summary>
/// Refunds, balance transfers and write-offs among bills, payments and reversals: after any sequence
/// on a few accounts the trial balance ties out, the transfer clearing account nets to zero, and each
/// account's open items (charges less unapplied credits) equal its balance. The open items are kept
/// the way <c>AccountLedger</c> keeps them: every posting adds an item and the core
/// <see cref="AllocationRule"/> settles credits against charges.
/// </summary>
public sealed class ReceivablesProperties
{
    private const int Accounts = 3;

    private enum Kind
    {
        Bill,
        Payment,
        Reverse,
        Refund,
        Transfer,
        WriteOff,
        WriteOffReversal,
    }

    /// <summary>One step: what to do, to which account, the other account of a transfer, an amount and a fraction (of a credit, a balance, or which earlier posting).</summary>
    private sealed record Step(Kind Kind, int Account, int Other, long Cents, int Pick);

    private static readonly Gen<Step> Steps =
        from kind in Gen.Elements(Enum.GetValues<Kind>())
        from account in Gen.Choose(0, Accounts - 1)
        from other in Gen.Choose(0, Accounts - 1)
        from cents in Generators.Cents(1, 80_000)
        from pick in Gen.Choose(1, 100)
        select new Step(kind, account, other, cents, pick);

    private sealed class Model
    {
        private long nextKey;

        public List<(int Account, Posting Posting)> Posted { get; } = [];
        public List<int> ReversedIndexes { get; } = [];
        public List<OpenItemBalance>[] OpenItems { get; } = Enumerable.Range(0, Accounts).Select(_ => new List<OpenItemBalance>()).ToArray();

        public Money Balance(int account) => Money.Sum(OpenItems[account].Select(i => i.Open));

        public void Post(int account, Posting posting, DateOnly on)
        {
            Posted.Add((account, posting));
            var items = OpenItems[account];
            if (!posting.AmountOnAccount.IsZero)
            {
                items.Add(new OpenItemBalance(nextKey++, on, 100, posting.AmountOnAccount));
            }

            var open = items.ToDictionary(i => i.Key, i => i.Open.Cents);
            foreach (var allocation in AllocationRule.Settle(items))
            {
                open[allocation.ChargeKey] -= allocation.Amount.Cents;
                open[allocation.CreditKey] += allocation.Amount.Cents;
            }

            var settled = items.Select(i => i with { Open = Money.FromCents(open[i.Key]) }).Where(i => !i.Open.IsZero).ToList();
            items.Clear();
            items.AddRange(settled);
        }
    }

    private static void Apply(Model model, Step step, DateOnly on)
    {
        var balance = model.Balance(step.Account);
        switch (step.Kind)
        {
            case Kind.Bill:
                model.Post(step.Account, PostingRules.ForBill(PostingRulesBill(step.Cents)), on);
                break;
            case Kind.Payment:
                model.Post(step.Account, PostingRules.ForPayment(Money.FromCents(step.Cents)), on);
                break;
            case Kind.Reverse:
                // A bill canceled or a payment returned: the mirror of an earlier one on the same account, once.
                var candidates = model.Posted.Select((p, index) => (p, index))
                    .Where(x => x.p.Account == step.Account && x.p.Posting.Type is FinancialTransactionType.Bill or FinancialTransactionType.Payment && !model.ReversedIndexes.Contains(x.index))
                    .ToList();
                if (candidates.Count > 0)
                {
                    var (original, index) = candidates[step.Pick % candidates.Count];
                    model.ReversedIndexes.Add(index);
                    model.Post(step.Account, PostingRules.Reverse(original.Posting,
                        original.Posting.Type == FinancialTransactionType.Bill ? FinancialTransactionType.BillCancellation : FinancialTransactionType.ReturnedPayment), on);
                }

                break;
            case Kind.Refund when balance.IsNegative:
                var refund = Money.FromCents(Math.Max(1, -balance.Cents * step.Pick / 100));
                ReceivablesRules.CheckRefund(refund, balance, "A");
                model.Post(step.Account, PostingRules.ForRefund(refund), on);
                break;
            case Kind.Transfer when !balance.IsZero && step.Other != step.Account:
                model.Post(step.Account, PostingRules.ForTransferOut(balance), on);
                model.Post(step.Other, PostingRules.ForTransferIn(balance), on);
                break;
            case Kind.WriteOff when balance.IsPositive:
                var amount = ReceivablesRules.WriteOffAmount(Money.FromCents(Math.Max(1, balance.Cents * step.Pick / 100)), balance, "A");
                model.Post(step.Account, PostingRules.ForWriteOff(amount), on);
                break;
            case Kind.WriteOffReversal:
                var writeOffs = model.Posted.Select((p, index) => (p, index))
                    .Where(x => x.p.Account == step.Account && x.p.Posting.Type == FinancialTransactionType.WriteOff && !model.ReversedIndexes.Contains(x.index))
                    .ToList();
                if (writeOffs.Count > 0)
                {
                    var (writeOff, index) = writeOffs[step.Pick % writeOffs.Count];
                    model.ReversedIndexes.Add(index);
                    model.Post(step.Account, PostingRules.ForWriteOffReversal(-writeOff.Posting.AmountOnAccount), on);
                }

                break;
            default:
                // A refund with no credit, a transfer of nothing or a write-off with nothing owed: the workflows refuse these.
                break;
        }
    }

    private static BillProposal PostingRulesBill(long cents) =>
        PostingRulesTests.Bill((Service.Water, cents / 2 + 1), (Service.Sewer, cents - cents / 2));

    [Fact]
    public void After_any_sequence_of_postings_reversals_refunds_transfers_and_write_offs_the_trial_balance_ties_out()
    {
        var property = Prop.ForAll(Gen.ListOf(Steps).Select(s => s.Take(60).ToArray()).ToArbitrary(), steps =>
        {
            var model = new Model();
            var day = new DateOnly(2026, 1, 1);
            foreach (var step in steps)
            {
                Apply(model, step, day);
                day = day.AddDays(3);
            }

            var lines = model.Posted.SelectMany(p => p.Posting.Lines).ToList();
            var totals = lines.GroupBy(l => l.GlAccount).Select(g => (g.Key, Money.Sum(g.Select(l => l.Debit)), Money.Sum(g.Select(l => l.Credit))));
            var subLedger = Money.Sum(Enumerable.Range(0, Accounts).Select(model.Balance));
            var trial = TrialBalance.From(totals, subLedger, ChartOfAccounts.Default);

            var eachAccountTies = Enumerable.Range(0, Accounts).All(a =>
                model.Balance(a) == Money.Sum(model.Posted.Where(p => p.Account == a).Select(p => p.Posting.AmountOnAccount))
                && !(model.OpenItems[a].Exists(i => i.Open.IsPositive) && model.OpenItems[a].Exists(i => i.Open.IsNegative)));
            var clearingNetsToZero = lines.Where(l => l.GlAccount == GlAccounts.BalanceTransferClearing).Sum(l => l.Debit.Cents - l.Credit.Cents) == 0;
            var refundsOwed = lines.Where(l => l.GlAccount == GlAccounts.RefundsPayable).Sum(l => l.Credit.Cents - l.Debit.Cents)
                == model.Posted.Where(p => p.Posting.Type == FinancialTransactionType.Refund).Sum(p => p.Posting.AmountOnAccount.Cents);

            return trial.Balances && trial.TiesToSubLedger && eachAccountTies && clearingNetsToZero && refundsOwed;
        });

        Check.One(Generators.Config, property);
    }
}
