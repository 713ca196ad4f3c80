using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Receivables;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Receivables;

namespace OpenCIS.UseCases.Receivables;

/// <summary><see cref="Amount"/> null writes off the whole balance.</summary>
public sealed record WriteOffRequest(string AccountNumber, Money? Amount, string ReasonCode, string? Note, string? IdempotencyKey);

public sealed record WriteOffView(long WriteOffId, string AccountNumber, long AmountCents, string ReasonCode, string Note, long TransactionId, string WrittenOffBy, DateTimeOffset WrittenOffAt,
    long? ReversalTransactionId, string? ReversedBy, DateTimeOffset? ReversedAt, string? ReversalReason);

public sealed record WriteOffOutcome(WriteOffView WriteOff, long BalanceCents, bool AlreadyDone, string Message);

/// <summary>
/// Writes off an account's open balance, or part of it, as uncollectible with a reason code (a
/// Supervisor's permission). The write-off's credit settles the open charges, so they leave aging and
/// arrears; the debt stays visible in the allowance account and on this row until it is reversed.
/// </summary>
public sealed class WriteOffBalance(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<WriteOffOutcome> ExecuteAsync(WriteOffRequest request, string user, CancellationToken cancellationToken = default)
    {
        var key = Idempotency.CheckKey(request.IdempotencyKey, user);
        var reason = WriteOffReasons.Find(request.ReasonCode);
        var note = request.Note?.Trim() ?? "";
        var fingerprint = Idempotency.Fingerprint("write-off", request.AccountNumber, request.Amount?.Cents, reason.Code, note);
        if (await EarlierAsync(key, fingerprint, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var account = await CorrectionBilling.FindAccountAsync(db, request.AccountNumber, cancellationToken);
        var now = clock.GetUtcNow();
        var today = calendar.Today();
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, account.Id, cancellationToken);
        if (await EarlierAsync(key, fingerprint, cancellationToken) is { } raced)
        {
            await transaction.RollbackAsync(cancellationToken);
            return raced;
        }

        var ledger = await AccountLedger.LoadAsync(db, account.Id, cancellationToken);
        var before = ledger.Balance;
        var amount = ReceivablesRules.WriteOffAmount(request.Amount, before, account.AccountNumber);
        var posted = ledger.Post(db, PostingRules.ForWriteOff(amount), today, today, null, user,
            $"Write-off {reason.Code} ({reason.Description})" + (note.Length > 0 ? $": {note}" : ""), now);
        await db.SaveChangesAsync(cancellationToken);
        var writeOff = new WriteOff
        {
            AccountId = account.Id,
            AmountCents = amount.Cents,
            ReasonCode = reason.Code,
            Note = note,
            FinancialTransactionId = posted.Id,
            WrittenOffBy = user,
            WrittenOffAt = now,
            IdempotencyKey = Idempotency.KeyFor(key, user),
            RequestFingerprint = fingerprint,
        };
        db.WriteOffs.Add(writeOff);
        if (await Idempotency.SaveOrFindEarlierAsync(db, transaction, key, () => EarlierAsync(key, fingerprint, cancellationToken), "write-off", cancellationToken) is { } collided)
        {
            return collided;
        }

        AuditLog.Record(db, now, user, "WriteOff", writeOff.Id, account.Id, "Write off", new { Balance = before.ToPlainString() },
            new { Balance = ledger.Balance.ToPlainString(), Amount = amount.ToPlainString(), reason.Code, TransactionId = posted.Id }, note.Length > 0 ? note : reason.Description);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return await WriteOffQueries.OutcomeAsync(db, writeOff.Id, false, $"Wrote off {amount} on account {account.AccountNumber} ({reason.Code}).", cancellationToken);
    }

    private async Task<WriteOffOutcome?> EarlierAsync(RequestKey? key, string fingerprint, CancellationToken cancellationToken) =>
        await Idempotency.EarlierAsync(db.WriteOffs, WriteOff.RequestKey, key, w => new { w.Id, w.RequestFingerprint }, w => w.RequestFingerprint == fingerprint,
                w => $"write-off (write-off {w.Id})", cancellationToken) is { } earlier
            ? await WriteOffQueries.OutcomeAsync(db, earlier.Id, true, $"Write-off {earlier.Id} was already posted; nothing was posted again.", cancellationToken)
            : null;
}
