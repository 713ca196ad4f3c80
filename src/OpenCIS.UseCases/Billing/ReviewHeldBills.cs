using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.UseCases.Billing;

/// <summary>The review's rules of one class of account, as screens and the API show them (none: its bills are never held).</summary>
public sealed record ReviewRulesView(AccountClass AccountClass, BillReviewRules? Rules, string? UpdatedBy, DateTimeOffset? UpdatedAt);

/// <summary>A bill the pre-bill review held, with its reasons.</summary>
public sealed record HeldBillView(long BillId, long AccountId, string AccountNumber, AccountClass AccountClass, long? BillingRunId, DateOnly BillDate,
    DateOnly PeriodStart, DateOnly PeriodEnd, Money CurrentCharges, IReadOnlyList<string> Reasons);

public sealed record HeldBillsPage(IReadOnlyList<HeldBillView> Bills, int Total, int Page, int PageSize);

/// <summary>What releasing or canceling a held bill did.</summary>
public sealed record HeldBillOutcome(long BillId, BillStatus Status, DateOnly? BillDate, DateOnly? DueDate, Money AmountDue, string Message);

/// <summary>
/// The pre-bill review: its rules by class of account, and the bills a billing run held under them. A clerk releases a
/// held bill (it is issued as of the release: dated that day, due by its cycle's terms, its charges posted to
/// receivables, its summary counting the payments since the last bill) or cancels it (nothing was posted; the next run
/// bills the period again, after a read is corrected). Each rule change, release and cancellation is audited.
/// </summary>
public sealed class ReviewHeldBills(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public const int MaxPageSize = 200;

    public async Task<IReadOnlyList<ReviewRulesView>> RulesAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.BillReviewRules.AsNoTracking().ToDictionaryAsync(r => r.AccountClass, cancellationToken);
        return [.. Enum.GetValues<AccountClass>().Select(c => rows.TryGetValue(c, out var row)
            ? new ReviewRulesView(c, row.ToRules(), row.UpdatedBy, row.UpdatedAt)
            : new ReviewRulesView(c, null, null, null))];
    }

    /// <summary>Sets (or with null removes) a class's rules; a negative percent or amount is refused naming the field.</summary>
    public async Task<ReviewRulesView> SetRulesAsync(AccountClass accountClass, BillReviewRules? rules, string user, CancellationToken cancellationToken = default)
    {
        if (rules is not null)
        {
            Check(rules.HighPercent, "highPercent");
            Check(rules.LowPercent, "lowPercent");
            Check(rules.HighAmount?.Dollars, "highAmount");
            Check(rules.LowAmount?.Dollars, "lowAmount");
            Check(rules.VeryLarge?.Dollars, "veryLarge");
            if (rules.LowPercent is > 100m)
            {
                throw new DomainException($"A bill cannot be more than 100% below its average; {rules.LowPercent}% would hold nothing.", "lowPercent");
            }
        }

        var row = await db.BillReviewRules.SingleOrDefaultAsync(r => r.AccountClass == accountClass, cancellationToken);
        var before = row?.ToRules();
        var now = clock.GetUtcNow();
        if (rules is null)
        {
            if (row is not null)
            {
                db.BillReviewRules.Remove(row);
            }
        }
        else
        {
            if (row is null)
            {
                row = new BillReviewRuleRow { AccountClass = accountClass };
                db.BillReviewRules.Add(row);
            }

            row.Set(rules, user, now);
        }

        AuditLog.Record(db, now, user, "BillReviewRules", (long)accountClass, null, rules is null ? "Remove bill review rules" : "Set bill review rules", before, rules, $"Pre-bill review for {accountClass} accounts");
        await db.SaveChangesAsync(cancellationToken);
        return new ReviewRulesView(accountClass, rules, rules is null ? null : user, rules is null ? null : now);
    }

    /// <summary>The held bills (of one run, when given), oldest first, a page at a time.</summary>
    public async Task<HeldBillsPage> HeldAsync(long? runId, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var held = db.Bills.AsNoTracking().Where(b => b.Status == BillStatus.Held && (runId == null || b.BillingRunId == runId));
        var total = await held.CountAsync(cancellationToken);
        var rows = await held.OrderBy(b => b.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Join(db.Accounts, b => b.AccountId, a => a.Id, (b, a) => new { b.Id, b.AccountId, a.AccountNumber, a.Class, b.BillingRunId, b.BillDate, b.PeriodStart, b.PeriodEnd, b.CurrentChargesCents, b.HoldReasons })
            .ToListAsync(cancellationToken);
        return new HeldBillsPage([.. rows.Select(r => new HeldBillView(r.Id, r.AccountId, r.AccountNumber, r.Class, r.BillingRunId, r.BillDate, r.PeriodStart, r.PeriodEnd,
            Money.FromCents(r.CurrentChargesCents), (r.HoldReasons ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)))], total, page, pageSize);
    }

    /// <summary>Issues a held bill today: posts its charges, dates it and sets its due date by the cycle's terms.</summary>
    public Task<HeldBillOutcome> ReleaseAsync(long billId, string user, CancellationToken cancellationToken = default) =>
        ReleaseOnAsync(billId, user, calendar.Today(), cancellationToken);

    /// <summary>Issues a held bill as of <paramref name="today"/> (the billing benchmark's clerk, in the month it bills).</summary>
    internal async Task<HeldBillOutcome> ReleaseOnAsync(long billId, string user, DateOnly today, CancellationToken cancellationToken)
    {
        var accountId = await HeldAccountAsync(billId, cancellationToken);
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, accountId, cancellationToken);
        var bill = await db.Bills.Include(b => b.Segments).ThenInclude(s => s.Lines).AsSplitQuery().SingleAsync(b => b.Id == billId, cancellationToken);
        if (bill.Status != BillStatus.Held)
        {
            throw new DomainException($"Bill {billId} is {bill.Status.ToString().ToLowerInvariant()}, not held.", "billId");
        }

        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == accountId, cancellationToken);
        var cycle = await db.BillingCycles.AsNoTracking().SingleAsync(c => c.Code == account.CycleCode, cancellationToken);
        var due = BillingSchedule.DueDate(today, cycle.DueDays, await Cycles.BillingCalendars.ForCycleAsync(db, cycle, cancellationToken));
        var now = clock.GetUtcNow();

        // The summary counts what came in since the last issued bill, up to the release.
        var last = await db.Bills.AsNoTracking().Where(b => b.AccountId == accountId && b.Status == BillStatus.Issued && b.Id < billId)
            .OrderByDescending(b => b.Id).Select(b => new { b.FinancialTransactionId, b.BillDate }).FirstOrDefaultAsync(cancellationToken);
        var since = db.FinancialTransactions.AsNoTracking().Where(t => t.AccountId == accountId && t.Type != FinancialTransactionType.Bill);
        since = last?.FinancialTransactionId is { } mark ? since.Where(t => t.Id > mark) : last is not null ? since.Where(t => t.EffectiveOn > last.BillDate) : since;
        var activity = await since.Select(t => new { t.Type, t.AmountCents }).ToListAsync(cancellationToken);
        var payments = activity.Where(t => t.Type == FinancialTransactionType.Payment).Sum(t => t.AmountCents);
        var adjustments = activity.Where(t => t.Type != FinancialTransactionType.Payment).Sum(t => t.AmountCents);

        var ledger = await AccountLedger.LoadAsync(db, accountId, cancellationToken);
        FinancialTransaction? posted = null;
        var proposal = Proposal(bill);
        // On budget billing the bill is billed as the plan says on the day it is released.
        var state = (await BudgetAccounts.LoadAsync(db, [accountId], today, cancellationToken)).GetValueOrDefault(accountId);
        var budget = BudgetAccounts.Decide(state, proposal, today);
        if (BudgetAccounts.PostingFor(proposal, budget) is { } post)
        {
            posted = ledger.Post(db, post.Posting, today, due, post.Parts, user, $"Bill {bill.Id} released from review", now);
            await db.SaveChangesAsync(cancellationToken);
        }

        if (budget is not null)
        {
            BudgetAccounts.Record(bill, budget);
            (await db.BudgetPlans.SingleAsync(p => p.Id == state!.Plan.Id, cancellationToken)).Follow(budget.Plan);
        }

        bill.Release(today, due, payments, adjustments, ledger.Balance.Cents, posted, user, now);
        AuditLog.Record(db, now, user, "Bill", bill.Id, accountId, "Release held bill", new { Status = BillStatus.Held, bill.HoldReasons },
            new { Status = BillStatus.Issued, BillDate = today, DueDate = due, AmountDueCents = ledger.Balance.Cents }, "Released from the pre-bill review");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new HeldBillOutcome(bill.Id, BillStatus.Issued, today, due, ledger.Balance,
            $"Bill {bill.Id} of account {account.AccountNumber} released: {Money.FromCents(bill.CurrentChargesCents)} of charges posted on {today:yyyy-MM-dd}, {ledger.Balance} due {due:yyyy-MM-dd}.");
    }

    /// <summary>Cancels a held bill: nothing was posted, so nothing is reversed; the next run bills its period again.</summary>
    public async Task<HeldBillOutcome> CancelAsync(long billId, string reason, string user, CancellationToken cancellationToken = default)
    {
        var accountId = await HeldAccountAsync(billId, cancellationToken);
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, accountId, cancellationToken);
        var bill = await db.Bills.SingleAsync(b => b.Id == billId, cancellationToken);
        if (bill.Status != BillStatus.Held)
        {
            throw new DomainException($"Bill {billId} is {bill.Status.ToString().ToLowerInvariant()}, not held.", "billId");
        }

        var now = clock.GetUtcNow();
        bill.Cancel(now, user, reason, null, null);
        AuditLog.Record(db, now, user, "Bill", bill.Id, accountId, "Cancel held bill", new { Status = BillStatus.Held, bill.HoldReasons }, new { Status = BillStatus.Canceled }, reason.Trim());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new HeldBillOutcome(bill.Id, BillStatus.Canceled, null, null, Money.Zero,
            $"Bill {bill.Id} canceled; nothing had been posted. The next run of the account's cycle bills {bill.PeriodStart:yyyy-MM-dd} on again.");
    }

    private async Task<long> HeldAccountAsync(long billId, CancellationToken cancellationToken)
    {
        var bill = await db.Bills.AsNoTracking().Where(b => b.Id == billId).Select(b => new { b.AccountId, b.Status }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException($"There is no bill {billId}.", "billId");
        return bill.Status == BillStatus.Held
            ? bill.AccountId
            : throw new DomainException($"Bill {billId} is {bill.Status.ToString().ToLowerInvariant()}, not held: only a held bill is released or canceled here.", "billId");
    }

    /// <summary>The bill's segments as the posting rules read them: each service's lines and their amounts.</summary>
    private static BillProposal Proposal(Bill bill) =>
        new(new AccountId(bill.AccountId), new BillingPeriod(bill.PeriodStart, bill.PeriodEnd), [.. bill.Segments.Select(s =>
            new Core.Billing.BillSegment(new ServiceAgreementId(s.ServiceAgreementId), s.Service, s.TariffCode, null, null,
                [.. s.Lines.OrderBy(l => l.Sequence).Select(l => new Core.Rating.ChargeLine(l.Code, l.Description, Money.FromCents(l.AmountCents), l.Trace, null))]))]);

    private static void Check(decimal? value, string field)
    {
        if (value is < 0m)
        {
            throw new DomainException($"{value} is negative; a review rule's percent or amount is zero or more.", field);
        }
    }
}
