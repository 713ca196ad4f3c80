using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.UseCases.Billing;

/// <summary>One bill of an account on budget billing, as its screens list them: actual charges and the budget side by side.</summary>
public sealed record BudgetBillView(long BillId, DateOnly BillDate, Money ActualCharges, Money BudgetAmount, Money Billed, Money Deferred, Money DeferredBalance, bool TrueUp);

/// <summary>An account's budget billing: the active plan (if any), the deferred balance, the amount its history suggests, its plans and bills.</summary>
public sealed record BudgetPlanView(
    long AccountId,
    string AccountNumber,
    BudgetPlanRow? Active,
    Money DeferredBalance,
    BudgetHistory History,
    Money? SuggestedAmount,
    int DefaultTrueUpMonth,
    IReadOnlyList<BudgetPlanRow> Plans,
    IReadOnlyList<BudgetBillView> Bills)
{
    /// <summary>Set by ending a plan: the deferred balance that was settled on the account.</summary>
    public Money? Settled { get; init; }
}

/// <summary>What an account's budget plan brings to its next bill: the plan, the deferred balance and the history a review averages.</summary>
public sealed record BudgetState(BudgetPlanRow Plan, Money DeferredBalance, BudgetHistory History);

/// <summary>
/// Budget billing (the equal payment plan): enrolls an account, ends its plan, and shows it. The bills do the rest:
/// every bill of an account on a plan is decided by the core <see cref="Core.Billing.BudgetBilling"/> (the billing run,
/// a released held bill, a final, average or corrected bill), its actual charges posted to revenue and the difference
/// from the budget amount to the account's deferred balance (GL 1250). Ending a plan between bills settles the
/// deferred balance at once; a final bill settles it on the bill. Collections see what the account owes, which on a
/// plan is the budget amounts billed, not the actual charges deferred.
/// </summary>
public sealed class BudgetPlans(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public const int DefaultReviewEveryMonths = 3;

    public async Task<BudgetPlanView> GetAsync(string accountNumber, CancellationToken cancellationToken = default)
    {
        var account = await FindAsync(accountNumber, cancellationToken);
        var today = calendar.Today();
        var plans = await db.BudgetPlans.AsNoTracking().Where(p => p.AccountId == account.Id).OrderByDescending(p => p.Id).ToListAsync(cancellationToken);
        var deferred = (await BudgetAccounts.DeferredBalancesAsync(db, [account.Id], cancellationToken)).GetValueOrDefault(account.Id);
        var history = (await BudgetAccounts.HistoriesAsync(db, [account.Id], today, cancellationToken)).GetValueOrDefault(account.Id) ?? BudgetHistory.None;
        var trueUp = DefaultTrueUpMonth(today);
        Money? suggested = history.Bills == 0 ? null : Core.Billing.BudgetBilling.MonthlyAmount(history, Money.FromCents(deferred), Core.Billing.BudgetBilling.MonthsToTrueUp(today, trueUp));
        var bills = await db.Bills.AsNoTracking().Where(b => b.AccountId == account.Id && b.BudgetAmountCents != null).OrderByDescending(b => b.Id).Take(24)
            .Select(b => new { b.Id, b.BillDate, b.Status, b.CurrentChargesCents, b.BudgetAmountCents, b.BudgetDeferredCents, b.BudgetBalanceCents, b.BudgetTrueUp })
            .ToListAsync(cancellationToken);
        return new BudgetPlanView(account.Id, account.AccountNumber, plans.FirstOrDefault(p => p.Status == BudgetPlanStatus.Active), Money.FromCents(deferred), history, suggested, trueUp, plans,
            [.. bills.Where(b => b.Status == BillStatus.Issued).Select(b => new BudgetBillView(b.Id, b.BillDate, Money.FromCents(b.CurrentChargesCents), Money.FromCents(b.BudgetAmountCents ?? 0),
                Money.FromCents(b.CurrentChargesCents - (b.BudgetDeferredCents ?? 0)), Money.FromCents(b.BudgetDeferredCents ?? 0), Money.FromCents(b.BudgetBalanceCents ?? 0), b.BudgetTrueUp))]);
    }

    /// <summary>
    /// Enrolls the account. The monthly amount is the average of its last twelve months' actual charges rounded up to the
    /// dollar, unless one is given (a new customer has no history, so one must be); the plan trues up in
    /// <paramref name="trueUpMonth"/> (by default the month before the enrollment's anniversary: the twelfth bill) and
    /// is reviewed every <paramref name="reviewEveryMonths"/> months.
    /// </summary>
    public async Task<BudgetPlanView> EnrollAsync(string accountNumber, Money? monthlyAmount, int? trueUpMonth, int? reviewEveryMonths, string user, CancellationToken cancellationToken = default)
    {
        var account = await FindAsync(accountNumber, cancellationToken);
        if (account.Status != AccountStatus.Active)
        {
            throw new DomainException($"Account {account.AccountNumber} is {account.Status.ToString().ToLowerInvariant()}; only an active account enrolls in budget billing.", "accountNumber");
        }

        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, account.Id, cancellationToken);
        if (await db.BudgetPlans.AnyAsync(p => p.AccountId == account.Id && p.Status == BudgetPlanStatus.Active, cancellationToken))
        {
            throw new DomainException($"Account {account.AccountNumber} is already on budget billing.", "accountNumber");
        }

        var today = calendar.Today();
        var month = trueUpMonth ?? DefaultTrueUpMonth(today);
        var every = reviewEveryMonths ?? DefaultReviewEveryMonths;
        var deferred = (await BudgetAccounts.DeferredBalancesAsync(db, [account.Id], cancellationToken)).GetValueOrDefault(account.Id);
        var amount = monthlyAmount ?? Core.Billing.BudgetBilling.MonthlyAmount(
            (await BudgetAccounts.HistoriesAsync(db, [account.Id], today, cancellationToken)).GetValueOrDefault(account.Id) ?? BudgetHistory.None,
            Money.FromCents(deferred), Core.Billing.BudgetBilling.MonthsToTrueUp(today, month));
        var plan = BudgetPlan.Checked(amount, month, every, today.AddMonths(every));
        var row = BudgetPlanRow.Enroll(account.Id, plan, today, user);
        db.BudgetPlans.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, clock.GetUtcNow(), user, "BudgetPlan", row.Id, account.Id, "Enroll in budget billing", null,
            new { row.MonthlyAmountCents, row.TrueUpMonth, row.ReviewEveryMonths, row.NextReviewOn }, monthlyAmount is null ? "Amount from the last twelve months" : "Amount given");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(account.AccountNumber, cancellationToken);
    }

    /// <summary>
    /// Ends the account's plan today and settles its deferred balance at once (a <see cref="FinancialTransactionType.BudgetSettlement"/>:
    /// actual charges not yet billed become owed, budget paid ahead becomes a credit), so the next bill is billed as any other.
    /// </summary>
    public async Task<BudgetPlanView> EndAsync(string accountNumber, string reason, string user, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("A reason is required to end a budget plan.", "reason");
        }

        var account = await FindAsync(accountNumber, cancellationToken);
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, account.Id, cancellationToken);
        var plan = await db.BudgetPlans.SingleOrDefaultAsync(p => p.AccountId == account.Id && p.Status == BudgetPlanStatus.Active, cancellationToken)
            ?? throw new DomainException($"Account {account.AccountNumber} is not on budget billing.", "accountNumber");
        var today = calendar.Today();
        plan.End(today, user, reason);
        var deferred = Money.FromCents((await BudgetAccounts.DeferredBalancesAsync(db, [account.Id], cancellationToken)).GetValueOrDefault(account.Id));
        if (!deferred.IsZero)
        {
            var cycle = await db.BillingCycles.AsNoTracking().SingleAsync(c => c.Code == account.CycleCode, cancellationToken);
            var due = BillingSchedule.DueDate(today, cycle.DueDays, await Cycles.BillingCalendars.ForCycleAsync(db, cycle, cancellationToken));
            var ledger = await AccountLedger.LoadAsync(db, account.Id, cancellationToken);
            ledger.Post(db, PostingRules.ForBudgetSettlement(deferred), today, due, null, user, $"Budget billing ended: deferred balance of {deferred} settled", clock.GetUtcNow());
        }

        AuditLog.Record(db, clock.GetUtcNow(), user, "BudgetPlan", plan.Id, account.Id, "End budget billing", new { Status = BudgetPlanStatus.Active },
            new { plan.Status, plan.EndedOn, SettledCents = deferred.Cents }, reason.Trim());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(account.AccountNumber, cancellationToken) with { Settled = deferred };
    }

    /// <summary>The month before the enrollment's anniversary: the plan's twelfth bill trues it up.</summary>
    public static int DefaultTrueUpMonth(DateOnly enrolledOn) => (enrolledOn.Month + 10) % 12 + 1;

    private async Task<Account> FindAsync(string accountNumber, CancellationToken cancellationToken) =>
        await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.AccountNumber == accountNumber.Trim(), cancellationToken)
        ?? throw new DomainException($"There is no account {accountNumber}.", "accountNumber");
}

/// <summary>
/// Loads what bills need of budget billing, for a billing run's chunk or one account, and decides a bill's posting with
/// it: the one place every kind of bill asks.
/// </summary>
internal static class BudgetAccounts
{
    /// <summary>The active plans of <paramref name="accountIds"/>, with their deferred balances and the history to <paramref name="billDate"/>; untracked.</summary>
    public static async Task<Dictionary<long, BudgetState>> LoadAsync(OpenCisDbContext db, IReadOnlyCollection<long> accountIds, DateOnly billDate, CancellationToken cancellationToken) =>
        await StatesAsync(db, await db.BudgetPlans.AsNoTracking().Where(p => accountIds.Contains(p.AccountId) && p.Status == BudgetPlanStatus.Active).ToListAsync(cancellationToken),
            billDate, cancellationToken);

    /// <summary>
    /// The account's plan for a bill that settles: the active one, or else the latest ended one (a rebill of the final
    /// bill that ended it, whose cancellation put the deferred balance back); none when the account never had one.
    /// </summary>
    public static async Task<BudgetState?> ForSettlingAsync(OpenCisDbContext db, long accountId, DateOnly billDate, CancellationToken cancellationToken)
    {
        var latest = await db.BudgetPlans.AsNoTracking().Where(p => p.AccountId == accountId).OrderByDescending(p => p.Status == BudgetPlanStatus.Active).ThenByDescending(p => p.Id)
            .FirstOrDefaultAsync(cancellationToken);
        return latest is null ? null : (await StatesAsync(db, [latest], billDate, cancellationToken)).GetValueOrDefault(accountId);
    }

    private static async Task<Dictionary<long, BudgetState>> StatesAsync(OpenCisDbContext db, List<BudgetPlanRow> plans, DateOnly billDate, CancellationToken cancellationToken)
    {
        if (plans.Count == 0)
        {
            return [];
        }

        var ids = plans.Select(p => p.AccountId).ToList();
        var deferred = await DeferredBalancesAsync(db, ids, cancellationToken);
        var histories = await HistoriesAsync(db, ids, billDate, cancellationToken);
        return plans.ToDictionary(p => p.AccountId, p => new BudgetState(p, Money.FromCents(deferred.GetValueOrDefault(p.AccountId)), histories.GetValueOrDefault(p.AccountId) ?? BudgetHistory.None));
    }

    /// <summary>Accounts' deferred balances: their GL 1250 lines, debits less credits.</summary>
    public static async Task<Dictionary<long, long>> DeferredBalancesAsync(OpenCisDbContext db, IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken) =>
        await (from g in db.GlEntries
               join t in db.FinancialTransactions on g.FinancialTransactionId equals t.Id
               where g.GlAccount == GlAccounts.BudgetDeferred && accountIds.Contains(t.AccountId)
               group g by t.AccountId into byAccount
               select new { AccountId = byAccount.Key, Cents = byAccount.Sum(g => g.DebitCents - g.CreditCents) })
            .ToDictionaryAsync(x => x.AccountId, x => x.Cents, cancellationToken);

    /// <summary>Accounts' issued bills of the twelve months before <paramref name="billDate"/>: how many, and their actual charges.</summary>
    public static async Task<Dictionary<long, BudgetHistory>> HistoriesAsync(OpenCisDbContext db, IReadOnlyCollection<long> accountIds, DateOnly billDate, CancellationToken cancellationToken)
    {
        var since = billDate.AddMonths(-12);
        return (await db.Bills.AsNoTracking().Where(b => accountIds.Contains(b.AccountId) && b.Status == BillStatus.Issued && b.BillDate > since && b.BillDate <= billDate)
                .GroupBy(b => b.AccountId).Select(g => new { AccountId = g.Key, Count = g.Count(), Sum = g.Sum(b => b.CurrentChargesCents) })
                .ToListAsync(cancellationToken))
            .ToDictionary(r => r.AccountId, r => new BudgetHistory(r.Count, Money.FromCents(r.Sum)));
    }

    /// <summary>
    /// The bill's budget decision for an account on a plan (<paramref name="settle"/> on a final bill); none off budget
    /// billing, and none for a held bill, which learns it when it is released.
    /// </summary>
    public static BudgetBillDecision? Decide(BudgetState? state, BillProposal proposal, DateOnly billDate, bool settle = false) =>
        state is null ? null : Core.Billing.BudgetBilling.Decide(state.Plan.ToPlan(), state.DeferredBalance, proposal.Total, billDate, state.History, settle);

    /// <summary>
    /// What the bill posts: its charges to revenue and what the account is billed to receivables (by service, as charged,
    /// off budget billing; in one item on a plan, whose billed amount is not the services' charges); none for a bill of
    /// nothing.
    /// </summary>
    public static (Posting Posting, IReadOnlyList<AccountLedger.ChargePart>? Parts)? PostingFor(BillProposal proposal, BudgetBillDecision? budget)
    {
        var billed = budget?.Billed ?? proposal.Total;
        if (!proposal.Total.IsPositive && billed.IsZero)
        {
            return null;
        }

        var parts = budget is null
            ? proposal.Segments.GroupBy(s => s.Service).Select(g => new AccountLedger.ChargePart(g.Key, Money.Sum(g.Select(s => s.Total)))).ToList()
            : null;
        return (PostingRules.ForBill(proposal, billed), parts);
    }

    /// <summary>Keeps the decision on the bill.</summary>
    public static void Record(Bill bill, BudgetBillDecision budget) =>
        bill.SetBudget(budget.BudgetAmount.Cents, budget.Deferred.Cents, budget.DeferredBalance.Cents, budget.TrueUp);
}
