using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage.Rating;
using OpenCIS.UseCases.Rating;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.Storage.Billing;
using BillSegment = OpenCIS.Storage.Billing.BillSegment;

namespace OpenCIS.UseCases.Billing.Corrections;

/// <summary>
/// What the correction workflows share: one account's billing context (loaded by a few queries, for
/// one account, where the billing run loads a chunk), the tariff lookup, and issuing a bill from a
/// core <see cref="BillProposal"/> with its posting and its summary that reconciles to the ledger.
/// </summary>
internal static class CorrectionBilling
{
    /// <summary>
    /// Opens the database transaction and takes the account lock every correction works under. An account
    /// row the caller already read is read again under the lock, so its checks see what another clerk
    /// committed meanwhile (a stopped service, a cash-only mark).
    /// </summary>
    public static async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginForAccountAsync(OpenCisDbContext db, long accountId, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountLocks.LockAccountAsync(db, accountId, cancellationToken);
        if (db.ChangeTracker.Entries<Account>().FirstOrDefault(e => e.Entity.Id == accountId) is { } read)
        {
            await read.ReloadAsync(cancellationToken);
        }

        return transaction;
    }

    public static async Task<Account> FindAccountAsync(OpenCisDbContext db, string accountNumber, CancellationToken cancellationToken) =>
        await db.Accounts.SingleOrDefaultAsync(a => a.AccountNumber == accountNumber.Trim(), cancellationToken)
        ?? throw new DomainException($"There is no account {accountNumber}.", "accountNumber");

    /// <summary>
    /// The account's latest issued bill, with its segments: where a final or average bill's period and reads start. Refused while a bill of the account is held
    /// for review, which would otherwise be billed twice once released.
    /// </summary>
    public static async Task<Bill?> LastIssuedBillAsync(OpenCisDbContext db, long accountId, CancellationToken cancellationToken)
    {
        if (await db.Bills.AsNoTracking().Where(b => b.AccountId == accountId && b.Status == BillStatus.Held).Select(b => new { b.Id, b.PeriodStart, b.PeriodEnd })
                .FirstOrDefaultAsync(cancellationToken) is { } held)
        {
            throw new DomainException($"Bill {held.Id} for {held.PeriodStart:yyyy-MM-dd} to {held.PeriodEnd:yyyy-MM-dd} is held for review; release or cancel it first.", "accountNumber");
        }

        return await LastIssuedAsync(db, accountId, cancellationToken);
    }

    private static async Task<Bill?> LastIssuedAsync(OpenCisDbContext db, long accountId, CancellationToken cancellationToken) =>
        await db.Bills.Include(b => b.Segments).ThenInclude(s => s.Lines).Include(b => b.Segments).ThenInclude(s => s.RemovedMeters)
            .Where(b => b.AccountId == accountId && b.Status == BillStatus.Issued)
            .OrderByDescending(b => b.Id).AsSplitQuery().FirstOrDefaultAsync(cancellationToken);

    public static BillProposal Decide(BillingInput input, UnitConversion conversion)
    {
        var decision = BillCalculator.Decide(input, conversion);
        return decision.Bill ?? throw new DomainException($"The bill cannot be calculated: {decision.ExceptionReason}", "reads");
    }

    /// <summary>
    /// Posts the proposal (when it charges anything) and adds the bill. The summary reconciles to the
    /// ledger by construction: the adjustments line is what remains of the balance after the previous
    /// balance, the payments and what the bill added, so a bill never misstates what is owed. An account on
    /// budget billing is billed as its plan says (<see cref="BudgetAccounts"/>): a final bill, or a rebill of a
    /// true-up (<paramref name="settleBudget"/>), settles the deferred balance; a final bill ends the plan. The
    /// plan is decided as of <paramref name="budgetOn"/> (a rebill's is the original's date), by default the bill date.
    /// It prints the bill messages for its account on its date, as a run's bill does.
    /// </summary>
    public static async Task<Bill> IssueAsync(
        OpenCisDbContext db,
        AccountLedger ledger,
        BillProposal proposal,
        BillKind kind,
        long? replacesBillId,
        DateOnly billDate,
        DateOnly dueDate,
        long previousBalanceCents,
        long paymentsCents,
        string user,
        string reason,
        DateTimeOffset now,
        CancellationToken cancellationToken,
        bool settleBudget = false,
        DateOnly? budgetOn = null)
    {
        var settle = settleBudget || kind == BillKind.Final;
        var decidedOn = budgetOn ?? billDate;
        var state = settle
            ? await BudgetAccounts.ForSettlingAsync(db, ledger.AccountId, decidedOn, cancellationToken)
            : (await BudgetAccounts.LoadAsync(db, [ledger.AccountId], decidedOn, cancellationToken)).GetValueOrDefault(ledger.AccountId);
        if (state is { Plan.Status: BudgetPlanStatus.Ended, DeferredBalance.IsZero: true })
        {
            state = null;
        }

        var budget = BudgetAccounts.Decide(state, proposal, decidedOn, settle);
        FinancialTransaction? transaction = null;
        if (BudgetAccounts.PostingFor(proposal, budget) is { } post)
        {
            transaction = ledger.Post(db, post.Posting, billDate, dueDate, post.Parts, user, reason, now);
        }

        var amountDue = ledger.Balance.Cents;
        var bill = new Bill
        {
            AccountId = ledger.AccountId,
            BillDate = billDate,
            DueDate = dueDate,
            PeriodStart = proposal.Period.Start,
            PeriodEnd = proposal.Period.End,
            PreviousBalanceCents = previousBalanceCents,
            PaymentsCents = paymentsCents,
            AdjustmentsCents = checked(amountDue - previousBalanceCents - paymentsCents - (transaction?.AmountCents ?? 0)),
            CurrentChargesCents = proposal.Total.Cents,
            AmountDueCents = amountDue,
            Transaction = transaction,
            Status = BillStatus.Issued,
            Kind = kind,
            ReplacesBillId = replacesBillId,
            Messages = await BillMessageBook.PrintedForAsync(db, ledger.AccountId, billDate, cancellationToken),
            Segments = proposal.Segments.Select(BillSegment.From).ToList(),
        };
        if (budget is not null)
        {
            BudgetAccounts.Record(bill, budget);
            var plan = await db.BudgetPlans.SingleAsync(p => p.Id == state!.Plan.Id, cancellationToken);
            if (plan.Status == BudgetPlanStatus.Active)
            {
                plan.Follow(budget.Plan);
                if (kind == BillKind.Final)
                {
                    plan.End(billDate, user, "Final bill: the deferred balance settled on it");
                }
            }
        }

        db.Bills.Add(bill);
        return bill;
    }

    /// <summary>
    /// Payments posted to the account since its last bill, for the next bill's summary: after the bill's
    /// transaction, or, for a bill that posted nothing (a rebill or average bill of zero), after its date,
    /// as the billing run counts them; every payment when there is no bill yet.
    /// </summary>
    public static async Task<long> PaymentsSinceAsync(OpenCisDbContext db, long accountId, Bill? lastBill, CancellationToken cancellationToken)
    {
        var payments = db.FinancialTransactions.Where(t => t.AccountId == accountId && t.Type == FinancialTransactionType.Payment);
        if (lastBill?.FinancialTransactionId is { } billTransaction)
        {
            payments = payments.Where(t => t.Id > billTransaction);
        }
        else if (lastBill is not null)
        {
            payments = payments.Where(t => t.EffectiveOn > lastBill.BillDate);
        }

        return await payments.SumAsync(t => t.AmountCents, cancellationToken);
    }
}
