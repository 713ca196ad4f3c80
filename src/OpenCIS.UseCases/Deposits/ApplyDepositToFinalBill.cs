using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Deposits;
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

public sealed record ApplyDepositRequest(string AccountNumber, string? IdempotencyKey);

/// <summary>
/// When service stops, the deposit is credited to the account against its final bill: the amount billed
/// comes off the deposits-held liability (an unpaid part cancels its own open charge) and, for a paid
/// deposit, the interest earned since it was paid is credited from the interest expense account.
/// <see cref="StopService"/> calls <see cref="ApplyOnFinalAsync"/> in its own transaction; this workflow
/// does the same for an account final-billed before it had its deposit applied.
/// </summary>
public sealed class ApplyDepositToFinalBill(OpenCisDbContext db, DepositPolicy policy, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<DepositOutcome> ExecuteAsync(ApplyDepositRequest request, string user, CancellationToken cancellationToken = default)
    {
        var key = Idempotency.CheckKey(request.IdempotencyKey, user);
        var fingerprint = Idempotency.Fingerprint("apply", request.AccountNumber);
        if (await EarlierAsync(key, fingerprint, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var account = await CorrectionBilling.FindAccountAsync(db, request.AccountNumber, cancellationToken);
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, account.Id, cancellationToken);
        if (await EarlierAsync(key, fingerprint, cancellationToken) is { } raced)
        {
            await transaction.RollbackAsync(cancellationToken);
            return raced;
        }

        if (account.Status == AccountStatus.Active)
        {
            throw new DomainException($"Account {account.AccountNumber} is active: a deposit is applied to the final bill when service stops (or refunded after on-time payment).", "accountNumber");
        }

        var today = calendar.Today();
        var now = clock.GetUtcNow();
        var ledger = await AccountLedger.LoadAsync(db, account.Id, cancellationToken);
        var applied = await ApplyOnFinalAsync(db, policy, ledger, today, user, now, "Applied to the final bill", key, fingerprint, cancellationToken)
            ?? throw new DomainException($"Account {account.AccountNumber} has no billed or held deposit to apply.", "accountNumber");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return await DepositQueries.OutcomeAsync(db, policy, applied.Id, today, alreadyDone: false,
            $"Deposit {applied.Id} of {Money.FromCents(applied.BilledCents)} applied to account {account.AccountNumber}" +
            (applied.InterestCents > 0 ? $", with {Money.FromCents(applied.InterestCents)} interest." : "."), cancellationToken);
    }

    /// <summary>
    /// Applies the account's open deposit, if it has one, into the caller's unit of work and transaction
    /// (the account already locked and its ledger loaded). Returns the deposit, or null when there is none.
    /// </summary>
    public static async Task<Deposit?> ApplyOnFinalAsync(OpenCisDbContext db, DepositPolicy policy, AccountLedger ledger, DateOnly today, string user, DateTimeOffset now,
        string reason, RequestKey? key, string? fingerprint, CancellationToken cancellationToken)
    {
        var deposit = await db.Deposits.Where(d => d.AccountId == ledger.AccountId && (d.Status == DepositStatus.Billed || d.Status == DepositStatus.Held))
            .OrderBy(d => d.Id).FirstOrDefaultAsync(cancellationToken);
        if (deposit is null)
        {
            return null;
        }

        if (deposit.Status == DepositStatus.Billed && deposit.ChargeTransactionId is { } chargeId
            && (await DepositHistory.PaidOnAsync(db, [chargeId], cancellationToken)).TryGetValue(chargeId, out var paidOn))
        {
            deposit.MarkHeld(paidOn);
        }

        var (closing, interest, interestTransaction) = DepositQueries.PostClosing(db, policy, ledger, deposit, today, user, now, reason);
        await db.SaveChangesAsync(cancellationToken);
        var before = deposit.Status.ToString();
        deposit.Close(DepositStatus.Applied, today, user, reason, closing.Id, interest.Cents, interestTransaction?.Id, key, fingerprint);
        AuditLog.Record(db, now, user, "Deposit", deposit.Id, ledger.AccountId, "Apply deposit", new { Status = before },
            new { Status = deposit.Status.ToString(), Amount = Money.FromCents(deposit.BilledCents).ToPlainString(), Interest = interest.ToPlainString(), TransactionId = closing.Id }, reason);
        return deposit;
    }

    private async Task<DepositOutcome?> EarlierAsync(RequestKey? key, string fingerprint, CancellationToken cancellationToken) =>
        await Idempotency.EarlierAsync(db.Deposits, Deposit.CloseKey, key, d => new { d.Id, d.CloseFingerprint }, d => d.CloseFingerprint == fingerprint,
                d => $"deposit application (deposit {d.Id})", cancellationToken) is { } earlier
            ? await DepositQueries.OutcomeAsync(db, policy, earlier.Id, calendar.Today(), alreadyDone: true, "This deposit was already applied; nothing was posted again.", cancellationToken)
            : null;
}
