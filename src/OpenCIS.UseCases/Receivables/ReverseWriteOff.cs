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

/// <summary>
/// Puts a written-off amount back on the account (the debt is being collected after all): the write-off's
/// mirror, linked to it, its charge split by the services the write-off had settled and due when they were.
/// A write-off is reversed once.
/// </summary>
public sealed class ReverseWriteOff(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<WriteOffOutcome> ExecuteAsync(long writeOffId, string reason, string? idempotencyKey, string user, CancellationToken cancellationToken = default)
    {
        var key = Idempotency.CheckKey(idempotencyKey);
        var why = ReceivablesRules.RequireReason(reason);
        if (key is not null && await db.WriteOffs.AsNoTracking().Where(w => w.ReversalIdempotencyKey == key).Select(w => new { w.Id, w.ReversalReason }).SingleOrDefaultAsync(cancellationToken) is { } earlier)
        {
            Idempotency.Match(key, $"{earlier.Id}|{earlier.ReversalReason}", $"{writeOffId}|{why}", "write-off reversal");
            return await WriteOffQueries.OutcomeAsync(db, writeOffId, true, $"Write-off {writeOffId} was already reversed; nothing was posted again.", cancellationToken);
        }

        var accountId = await db.WriteOffs.Where(w => w.Id == writeOffId).Select(w => (long?)w.AccountId).SingleOrDefaultAsync(cancellationToken)
                        ?? throw new DomainException($"There is no write-off {writeOffId}.", "writeOffId");
        var now = clock.GetUtcNow();
        var today = calendar.Today();
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, accountId, cancellationToken);
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
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (key is not null)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            throw new DomainException($"Idempotency key '{key}' was already used for another write-off reversal.", "Idempotency-Key");
        }

        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return await WriteOffQueries.OutcomeAsync(db, writeOffId, false, $"Write-off {writeOffId} of {Money.FromCents(writeOff.AmountCents)} reversed; the amount is owed again.", cancellationToken);
    }
}
