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

/// <summary>
/// Puts a written-off amount back on the account (the debt is being collected after all): the write-off's
/// mirror, linked to it, its charge split by the services the write-off had settled and due when they were.
/// A write-off is reversed once.
/// </summary>
public sealed class ReverseWriteOff(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<WriteOffOutcome> ExecuteAsync(long writeOffId, string reason, string? idempotencyKey, string user, CancellationToken cancellationToken = default)
    {
        var key = Idempotency.CheckKey(idempotencyKey, user);
        var why = ReceivablesRules.RequireReason(reason);
        if (await EarlierAsync(key, writeOffId, why, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var accountId = await db.WriteOffs.Where(w => w.Id == writeOffId).Select(w => (long?)w.AccountId).SingleOrDefaultAsync(cancellationToken)
                        ?? throw new DomainException($"There is no write-off {writeOffId}.", "writeOffId");
        var now = clock.GetUtcNow();
        var today = calendar.Today();
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, accountId, cancellationToken);
        if (await EarlierAsync(key, writeOffId, why, cancellationToken) is { } raced)
        {
            // The same reversal reached the account lock first: answer with it.
            await transaction.RollbackAsync(cancellationToken);
            return raced;
        }

        var writeOff = await db.WriteOffs.SingleAsync(w => w.Id == writeOffId, cancellationToken);
        writeOff.EnsureNotReversed();

        var settled = (await SettledCharges.OfCreditsAsync(db, [writeOff.FinancialTransactionId], cancellationToken))[writeOff.FinancialTransactionId].ToList();
        var (parts, dueOn) = SettledCharges.Restoring(settled, writeOff.AmountCents, today);

        var ledger = await AccountLedger.LoadAsync(db, accountId, cancellationToken);
        var before = ledger.Balance;
        var posted = ledger.Post(db, PostingRules.ForWriteOffReversal(Money.FromCents(writeOff.AmountCents)), today, dueOn, parts, user,
            $"Write-off {writeOff.Id} reversed: {why}", now, writeOff.FinancialTransactionId);
        await db.SaveChangesAsync(cancellationToken);
        writeOff.MarkReversed(posted.Id, user, now, why, key);
        AuditLog.Record(db, now, user, "WriteOff", writeOff.Id, accountId, "Reverse write-off", new { Balance = before.ToPlainString() },
            new { Balance = ledger.Balance.ToPlainString(), Amount = Money.FromCents(writeOff.AmountCents).ToPlainString(), TransactionId = posted.Id }, why);
        // The user's key on a reversal of another write-off, saved meanwhile, is refused by the unique index: EarlierAsync names it.
        if (await Idempotency.SaveOrFindEarlierAsync(db, transaction, key, () => EarlierAsync(key, writeOffId, why, cancellationToken), "write-off reversal", cancellationToken) is { } collided)
        {
            return collided;
        }

        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return await WriteOffQueries.OutcomeAsync(db, writeOffId, false, $"Write-off {writeOffId} of {Money.FromCents(writeOff.AmountCents)} reversed; the amount is owed again.", cancellationToken);
    }

    /// <summary>The reversal this user's key already made, or null; their key on another write-off or with another reason is refused.</summary>
    private async Task<WriteOffOutcome?> EarlierAsync(RequestKey? key, long writeOffId, string why, CancellationToken cancellationToken) =>
        await Idempotency.EarlierAsync(db.WriteOffs, WriteOff.ReversalKey, key, w => new { w.Id, w.ReversalReason }, w => w.Id == writeOffId && w.ReversalReason == why,
                w => $"write-off reversal (write-off {w.Id})", cancellationToken) is not null
            ? await WriteOffQueries.OutcomeAsync(db, writeOffId, true, $"Write-off {writeOffId} was already reversed; nothing was posted again.", cancellationToken)
            : null;
}

public sealed class WriteOffQueries(OpenCisDbContext db)
{
    public Task<List<WriteOffView>> ForAccountAsync(long accountId, CancellationToken cancellationToken = default) =>
        ViewsAsync(db, db.WriteOffs.Where(w => w.AccountId == accountId).OrderByDescending(w => w.Id).Take(100), cancellationToken);

    internal static async Task<WriteOffOutcome> OutcomeAsync(OpenCisDbContext db, long writeOffId, bool alreadyDone, string message, CancellationToken cancellationToken)
    {
        var view = (await ViewsAsync(db, db.WriteOffs.Where(w => w.Id == writeOffId), cancellationToken)).Single();
        var accountId = await db.WriteOffs.Where(w => w.Id == writeOffId).Select(w => w.AccountId).SingleAsync(cancellationToken);
        var balance = await Ledger.AccountLedger.BalanceAsync(db, accountId, cancellationToken);
        return new WriteOffOutcome(view, balance, alreadyDone, message);
    }

    private static async Task<List<WriteOffView>> ViewsAsync(OpenCisDbContext db, IQueryable<WriteOff> query, CancellationToken cancellationToken) =>
        (await query.AsNoTracking().Join(db.Accounts, w => w.AccountId, a => a.Id, (w, a) => new { w, a.AccountNumber }).ToListAsync(cancellationToken))
        .Select(x => new WriteOffView(x.w.Id, x.AccountNumber, x.w.AmountCents, x.w.ReasonCode, x.w.Note, x.w.FinancialTransactionId, x.w.WrittenOffBy, x.w.WrittenOffAt,
            x.w.ReversalTransactionId, x.w.ReversedBy, x.w.ReversedAt, x.w.ReversalReason)).ToList();
}
