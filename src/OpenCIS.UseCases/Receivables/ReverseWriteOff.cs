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
        if (await db.FinancialTransactions.AnyAsync(t => t.Id == writeOff.FinancialTransactionId && t.Type == Core.Ledger.FinancialTransactionType.BankruptcyDischarge, cancellationToken))
        {
            throw new DomainException($"Write-off {writeOff.Id} is a debt discharged in bankruptcy ({writeOff.Note}); the discharge forbids collecting it.", "writeOffId");
        }

        if ((await Pursuit.Recoveries.RecoveredAsync(db, [accountId], cancellationToken)).GetValueOrDefault(accountId) is > 0 and var recovered)
        {
            throw new DomainException($"{Money.FromCents(recovered)} has been recovered on this account's written-off debt; reversing write-off {writeOff.Id} would charge it again.", "writeOffId");
        }

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
