using FsCheck;
using FsCheck.Fluent;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Tests.Persistence;

namespace OpenCIS.Tests.Properties;

/// <summary>
/// After any sequence of bills, payments, adjustments and cancellations (each cancellation the exact
/// reversal of an earlier, not yet canceled bill) posted through <see cref="AccountLedger"/>, the
/// account's balance is the sum of its open items and of its transactions, and every transaction balances.
/// The postings are only added to the unit of work, never saved, so one migrated SQLite file serves every case.
/// </summary>
public sealed class CorrectionProperties
{
    private enum Step
    {
        Bill,
        Pay,
        Adjust,
        CancelBill,
    }

    private static readonly Gen<(Step Step, long Cents, int Pick)[]> Sequences =
        Gen.ListOf(
            from step in Gen.Elements(Step.Bill, Step.Pay, Step.Adjust, Step.CancelBill)
            from cents in Generators.Cents(1, 50_000)
            from sign in Gen.Elements(-1L, 1L)
            from pick in Gen.Choose(0, 20)
            select (step, step == Step.Adjust ? sign * cents : cents, pick))
        .Select(s => s.Take(25).ToArray());

    [Fact]
    public async Task After_any_sequence_of_corrections_the_balance_is_the_open_items_and_every_transaction_balances()
    {
        await using var database = await TestDatabases.CreateAsync(TestProvider.Sqlite, "correction property");
        await database.MigrateAsync();
        await using var db = database.Context();
        var day = new DateOnly(2026, 11, 5);
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        var accountId = 0L;

        var property = Prop.ForAll(Sequences.ToArbitrary(), steps =>
        {
            db.ChangeTracker.Clear();
            // FsCheck's property is synchronous: the load completes here, long before the context is disposed.
#pragma warning disable CA2025
            var ledger = AccountLedger.LoadAsync(db, ++accountId, CancellationToken.None).GetAwaiter().GetResult();
#pragma warning restore CA2025
            var postings = new List<Posting>();
            var openBills = new List<(FinancialTransaction Transaction, Posting Posting)>();
            foreach (var (step, cents, pick) in steps)
            {
                Posting posting;
                long? reverses = null;
                switch (step)
                {
                    case Step.Bill:
                        var bill = new BillProposal(new AccountId(accountId), new BillingPeriod(day, day.AddDays(29)),
                            [new BillSegment(new ServiceAgreementId(1), Service.Water, "W", null, null, [new OpenCIS.Core.Rating.ChargeLine("W", "Water", Money.FromCents(cents), "", null)])]);
                        posting = PostingRules.ForBill(bill);
                        break;
                    case Step.Pay:
                        posting = PostingRules.ForPayment(Money.FromCents(cents));
                        break;
                    case Step.Adjust:
                        posting = PostingRules.ForAdjustment(Money.FromCents(cents));
                        break;
                    default:
                        if (openBills.Count == 0)
                        {
                            continue;
                        }

                        var canceled = openBills[pick % openBills.Count];
                        openBills.Remove(canceled);
                        posting = PostingRules.Reverse(canceled.Posting, FinancialTransactionType.BillCancellation);
                        reverses = canceled.Transaction.Id;
                        break;
                }

                var parts = step == Step.Bill ? new List<AccountLedger.ChargePart> { new(Service.Water, posting.AmountOnAccount) } : null;
                var transaction = ledger.Post(db, posting, day, day, parts, "property", null, now, reverses);
                postings.Add(posting);
                if (step == Step.Bill)
                {
                    openBills.Add((transaction, posting));
                }
            }

            var openItems = db.ChangeTracker.Entries<OpenItem>().Select(e => e.Entity).Where(i => i.AccountId == accountId).Sum(i => i.OpenCents);
            var transactions = db.ChangeTracker.Entries<FinancialTransaction>().Select(e => e.Entity).Where(t => t.AccountId == accountId).ToList();
            return ledger.Balance.Cents == openItems
                && openItems == postings.Sum(p => p.AmountOnAccount.Cents)
                && transactions.All(t => t.GlEntries.Sum(g => g.DebitCents) == t.GlEntries.Sum(g => g.CreditCents))
                && transactions.Sum(t => t.AmountCents) == openItems;
        });

        Check.One(Generators.Config, property);
    }
}
