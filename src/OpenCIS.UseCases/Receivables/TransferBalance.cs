using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Receivables;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Receivables;

namespace OpenCIS.UseCases.Receivables;

public sealed record TransferRequest(string FromAccountNumber, string ToAccountNumber, string Reason, string? IdempotencyKey);

public sealed record TransferOutcome(long TransferId, string FromAccountNumber, string ToAccountNumber, long AmountCents, long OutTransactionId, long InTransactionId,
    long FromBalanceCents, long ToBalanceCents, string TransferredBy, DateTimeOffset TransferredAt, bool AlreadyDone, string Message);

/// <summary>
/// Moves an account's whole open balance, owed or credit, to another account of the same customer
/// (typically a final-billed account's balance to the active one). Both accounts are locked and both
/// postings go through the clearing account in one database transaction. A debit balance arrives split
/// by service as it was open, due on the oldest due date moved, so arrears and collections still see it.
/// </summary>
public sealed class TransferBalance(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<TransferOutcome> ExecuteAsync(TransferRequest request, string user, CancellationToken cancellationToken = default)
    {
        var key = Idempotency.CheckKey(request.IdempotencyKey, user);
        var reason = ReceivablesRules.RequireReason(request.Reason);
        var fingerprint = Idempotency.Fingerprint("transfer", request.FromAccountNumber, request.ToAccountNumber, reason);
        if (await EarlierAsync(key, fingerprint, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var from = await CorrectionBilling.FindAccountAsync(db, request.FromAccountNumber, cancellationToken);
        var to = await db.Accounts.SingleOrDefaultAsync(a => a.AccountNumber == request.ToAccountNumber.Trim(), cancellationToken)
                 ?? throw new DomainException($"There is no account {request.ToAccountNumber}.", "toAccountNumber");
        if (from.Id == to.Id)
        {
            throw new DomainException("A balance cannot be transferred to the account it is on.", "toAccountNumber");
        }

        var fromCustomers = db.AccountCustomers.Where(ac => ac.AccountId == from.Id && ac.Role == AccountRole.Main).Select(ac => ac.CustomerId);
        if (!await db.AccountCustomers.AnyAsync(ac => ac.AccountId == to.Id && ac.Role == AccountRole.Main && fromCustomers.Contains(ac.CustomerId), cancellationToken))
        {
            throw new DomainException($"Accounts {from.AccountNumber} and {to.AccountNumber} do not belong to the same customer; a balance moves only between one customer's accounts.", "toAccountNumber");
        }

        var now = clock.GetUtcNow();
        var today = calendar.Today();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountLocks.LockAccountsAsync(db, [from.Id, to.Id], cancellationToken);
        // Read under the locks: the target may have been closed a moment ago.
        await db.Entry(to).ReloadAsync(cancellationToken);
        if (to.Status == AccountStatus.Closed)
        {
            throw new DomainException($"Account {to.AccountNumber} is closed; transfer to the customer's active account.", "toAccountNumber");
        }

        if (await EarlierAsync(key, fingerprint, cancellationToken) is { } raced)
        {
            await transaction.RollbackAsync(cancellationToken);
            return raced;
        }

        var ledgers = await AccountLedger.LoadManyAsync(db, [from.Id, to.Id], cancellationToken);
        var balance = ledgers[from.Id].Balance;
        if (balance.IsZero)
        {
            throw new DomainException($"Account {from.AccountNumber} has no open balance to transfer.", "fromAccountNumber");
        }

        // After settlement an account holds only charges or only credits, so a debit balance is exactly its open charges.
        var charges = ledgers[from.Id].OpenItems.Where(i => i.OpenCents > 0).ToList();
        var parts = balance.IsPositive
            ? charges.GroupBy(i => i.Service).OrderBy(g => g.Key).Select(g => new AccountLedger.ChargePart(g.Key, Money.FromCents(g.Sum(i => i.OpenCents)))).ToList()
            : null;
        var dueOn = balance.IsPositive ? charges.Min(i => i.DueOn) : today;
        var note = $"Balance transfer {from.AccountNumber} -> {to.AccountNumber}: {reason}";
        var outgoing = ledgers[from.Id].Post(db, PostingRules.ForTransferOut(balance), today, today, null, user, note, now);
        var incoming = ledgers[to.Id].Post(db, PostingRules.ForTransferIn(balance), today, dueOn, parts, user, note, now);
        await db.SaveChangesAsync(cancellationToken);

        var transfer = new BalanceTransfer
        {
            FromAccountId = from.Id,
            ToAccountId = to.Id,
            AmountCents = balance.Cents,
            Reason = reason,
            OutTransactionId = outgoing.Id,
            InTransactionId = incoming.Id,
            TransferredBy = user,
            TransferredAt = now,
            IdempotencyKey = Idempotency.KeyFor(key, user),
            RequestFingerprint = fingerprint,
        };
        db.BalanceTransfers.Add(transfer);
        if (await Idempotency.SaveOrFindEarlierAsync(db, transaction, key, () => EarlierAsync(key, fingerprint, cancellationToken), "transfer", cancellationToken) is { } collided)
        {
            return collided;
        }

        var audit = new { From = from.AccountNumber, To = to.AccountNumber, Amount = balance.ToPlainString(), OutTransactionId = outgoing.Id, InTransactionId = incoming.Id };
        AuditLog.Record(db, now, user, "BalanceTransfer", transfer.Id, from.Id, "Transfer balance out", new { Balance = balance.ToPlainString() }, audit, reason);
        AuditLog.Record(db, now, user, "BalanceTransfer", transfer.Id, to.Id, "Transfer balance in", new { Balance = (ledgers[to.Id].Balance - balance).ToPlainString() }, audit, reason);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return await OutcomeAsync(db, transfer.Id, false, $"Moved {balance} from {from.AccountNumber} to {to.AccountNumber}.", cancellationToken);
    }

    private async Task<TransferOutcome?> EarlierAsync(RequestKey? key, string fingerprint, CancellationToken cancellationToken) =>
        await Idempotency.EarlierAsync(db.BalanceTransfers, BalanceTransfer.RequestKey, key, t => new { t.Id, t.RequestFingerprint }, t => t.RequestFingerprint == fingerprint,
                t => $"balance transfer (transfer {t.Id})", cancellationToken) is { } earlier
            ? await OutcomeAsync(db, earlier.Id, true, $"Transfer {earlier.Id} was already made; nothing was posted again.", cancellationToken)
            : null;

    internal static async Task<TransferOutcome> OutcomeAsync(OpenCisDbContext db, long transferId, bool alreadyDone, string message, CancellationToken cancellationToken)
    {
        var t = await db.BalanceTransfers.AsNoTracking().SingleAsync(x => x.Id == transferId, cancellationToken);
        var numbers = await db.Accounts.Where(a => a.Id == t.FromAccountId || a.Id == t.ToAccountId).ToDictionaryAsync(a => a.Id, a => a.AccountNumber, cancellationToken);
        var balances = await db.OpenItems.Where(o => o.AccountId == t.FromAccountId || o.AccountId == t.ToAccountId).GroupBy(o => o.AccountId)
            .Select(g => new { g.Key, Cents = g.Sum(o => o.OpenCents) }).ToDictionaryAsync(x => x.Key, x => x.Cents, cancellationToken);
        return new TransferOutcome(t.Id, numbers[t.FromAccountId], numbers[t.ToAccountId], t.AmountCents, t.OutTransactionId, t.InTransactionId,
            balances.GetValueOrDefault(t.FromAccountId), balances.GetValueOrDefault(t.ToAccountId), t.TransferredBy, t.TransferredAt, alreadyDone, message);
    }
}
