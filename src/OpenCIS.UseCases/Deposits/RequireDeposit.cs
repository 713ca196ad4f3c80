using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Deposits;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Deposits;

namespace OpenCIS.UseCases.Deposits;

/// <summary>Require a deposit of an account. <see cref="WaiverReason"/> (a letter of credit, a guarantor) waives it unless the customer's record increases it.</summary>
public sealed record RequireDepositRequest(string AccountNumber, string? WaiverReason, string? IdempotencyKey);

public sealed record DepositOutcome(DepositView Deposit, long BalanceCents, bool AlreadyDone, string Message);

/// <summary>
/// Decides an account's deposit from its class and its customer's record (the core <see cref="DepositPolicy"/>)
/// and bills it as a charge due like a bill, its credit held on GL 2200. A waived deposit is recorded with
/// its reason and posts nothing. An account has at most one deposit open (billed or held). With an
/// idempotency key the same clerk's retry returns the first outcome and posts nothing.
/// </summary>
public sealed class RequireDeposit(OpenCisDbContext db, DepositPolicy policy, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<DepositOutcome> ExecuteAsync(RequireDepositRequest request, string user, CancellationToken cancellationToken = default)
    {
        var key = Idempotency.CheckKey(request.IdempotencyKey, user);
        var fingerprint = Idempotency.Fingerprint("require", request.AccountNumber, request.WaiverReason);
        if (await EarlierAsync(key, fingerprint, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var account = await CorrectionBilling.FindAccountAsync(db, request.AccountNumber, cancellationToken);
        var today = calendar.Today();
        var now = clock.GetUtcNow();
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, account.Id, cancellationToken);
        if (await EarlierAsync(key, fingerprint, cancellationToken) is { } raced)
        {
            // The same request reached the account lock first: answer with it.
            await transaction.RollbackAsync(cancellationToken);
            return raced;
        }

        if (account.Status != AccountStatus.Active)
        {
            throw new DomainException($"Account {account.AccountNumber} is {account.Status}; a deposit is required of an active account.", "accountNumber");
        }

        if (await db.Deposits.AsNoTracking().FirstOrDefaultAsync(d => d.AccountId == account.Id && (d.Status == DepositStatus.Billed || d.Status == DepositStatus.Held), cancellationToken) is { } open)
        {
            throw new DomainException($"Account {account.AccountNumber} already has deposit {open.Id} ({open.Status}, {Money.FromCents(open.BilledCents)}).", "accountNumber");
        }

        var history = await CreditHistoryAsync(account, request.WaiverReason, today, cancellationToken);
        var standard = policy.RequiredByClass.GetValueOrDefault(account.Class.ToString(), Money.Zero);
        var decision = policy.Decide(account.Class.ToString(), history);
        var deposit = Deposit.Decide(account.Id, standard, decision, today, today.AddDays(policy.DueDays), user, now, key, fingerprint);
        db.Deposits.Add(deposit);
        var charge = decision.IsWaived
            ? null
            : (await AccountLedger.LoadAsync(db, account.Id, cancellationToken)).Post(db, DepositPostingRules.ForDepositCharge(decision.Amount), today, deposit.DueOn!.Value, null, user, $"Deposit: {decision.Reason}", now);
        // The same request may have won a race on its key: then answer with that one.
        if (await Idempotency.SaveOrFindEarlierAsync(db, transaction, key, () => EarlierAsync(key, fingerprint, cancellationToken), "deposit", cancellationToken) is { } collided)
        {
            return collided;
        }

        if (charge is not null)
        {
            deposit.Billed(charge.Id);
        }

        AuditLog.Record(db, now, user, "Deposit", deposit.Id, account.Id, decision.IsWaived ? "Waive deposit" : "Bill deposit", null,
            new { Kind = decision.Kind.ToString(), Amount = decision.Amount.ToPlainString(), Standard = standard.ToPlainString(), deposit.ChargeTransactionId, history }, decision.Reason);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var message = decision.IsWaived
            ? $"No deposit billed to account {account.AccountNumber}. {decision.Reason}"
            : $"Deposit of {decision.Amount} billed to account {account.AccountNumber}, due {deposit.DueOn:yyyy-MM-dd}. {decision.Reason}";
        return await DepositQueries.OutcomeAsync(db, policy, deposit.Id, today, alreadyDone: false, message, cancellationToken);
    }

    /// <summary>
    /// The customer's record: the best on-time run on the main customer's other accounts, and returned
    /// payments and write-offs on any of their accounts (this one included) in the last twelve months.
    /// </summary>
    private async Task<CreditHistory> CreditHistoryAsync(Account account, string? waiverReason, DateOnly today, CancellationToken cancellationToken)
    {
        var customerIds = await db.AccountCustomers.AsNoTracking()
            .Where(c => c.AccountId == account.Id && c.Role == AccountRole.Main && c.EndedOn == null)
            .Select(c => c.CustomerId).ToListAsync(cancellationToken);
        var accountIds = await db.AccountCustomers.AsNoTracking()
            .Where(c => customerIds.Contains(c.CustomerId))
            .Select(c => c.AccountId).Distinct().ToListAsync(cancellationToken);
        if (!accountIds.Contains(account.Id))
        {
            accountIds.Add(account.Id);
        }

        var yearAgo = today.AddMonths(-12);
        var bad = await db.FinancialTransactions.AsNoTracking()
            .Where(t => accountIds.Contains(t.AccountId) && t.EffectiveOn > yearAgo && t.EffectiveOn <= today
                && (t.Type == FinancialTransactionType.ReturnedPayment || t.Type == FinancialTransactionType.WriteOff))
            .GroupBy(t => t.Type).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);

        var others = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id) && a.Id != account.Id)
            .Select(a => new { a.Id, a.OpenedOn }).ToListAsync(cancellationToken);
        var onTimeMonths = 0;
        if (others.Count > 0)
        {
            var otherIds = others.Select(o => o.Id).ToList();
            var billed = await db.OpenItems.AsNoTracking().Where(o => otherIds.Contains(o.AccountId) && o.AmountCents > 0)
                .Select(o => o.AccountId).Distinct().ToListAsync(cancellationToken);
            var late = await DepositHistory.LateOnAsync(db, otherIds, others.Min(o => o.OpenedOn), today, cancellationToken);
            // An account that was never charged proves nothing about paying on time.
            onTimeMonths = others.Where(o => billed.Contains(o.Id)).Select(o => DepositPolicy.OnTimeMonths(o.OpenedOn, late[o.Id], today)).DefaultIfEmpty(0).Max();
        }

        return new CreditHistory(onTimeMonths, bad.GetValueOrDefault(FinancialTransactionType.ReturnedPayment), bad.GetValueOrDefault(FinancialTransactionType.WriteOff),
            string.IsNullOrWhiteSpace(waiverReason) ? null : waiverReason.Trim());
    }

    private async Task<DepositOutcome?> EarlierAsync(RequestKey? key, string fingerprint, CancellationToken cancellationToken) =>
        await Idempotency.EarlierAsync(db.Deposits, Deposit.RequestKey, key, d => new { d.Id, d.RequestFingerprint }, d => d.RequestFingerprint == fingerprint,
                d => $"deposit request (deposit {d.Id})", cancellationToken) is { } earlier
            ? await DepositQueries.OutcomeAsync(db, policy, earlier.Id, calendar.Today(), alreadyDone: true, "This deposit was already required; nothing was billed again.", cancellationToken)
            : null;
}
