using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments;

namespace OpenCIS.UseCases.Payments;

public sealed record SuspenseView(long Id, string FileName, int RecordNumber, string AccountReference, Money Amount, DateOnly ReceivedOn, Tender Tender, string? Reference,
    SuspenseReason Reason, string Detail, SuspenseStatus Status, string? ResolvedBy, DateTimeOffset? ResolvedAt, string? ResolvedAccountNumber, string? ReceiptNumber, string? ResolutionNote);

/// <summary>
/// The suspense queue: payments from files that wait for a clerk. Resolving one names the right
/// account; the payment then posts to it as of the day it was received, linked to the item, and
/// both are audited. Returning one records why it went back to the payer. Either way the item
/// stays, closed, so the file still ties out to what posted plus what was returned.
/// </summary>
public sealed class ResolveSuspense(OpenCisDbContext db, PaymentBatchPoster poster, TimeProvider clock)
{
    public const int MaximumListed = 500;

    public async Task<List<SuspenseView>> ListAsync(bool openOnly, CancellationToken cancellationToken = default, long? id = null)
    {
        var query = db.SuspenseItems.AsNoTracking();
        if (openOnly)
        {
            query = query.Where(s => s.Status == SuspenseStatus.Open);
        }

        if (id is { } one)
        {
            query = query.Where(s => s.Id == one);
        }

        var rows = await query.OrderBy(s => s.Id).Take(MaximumListed)
            .Select(s => new
            {
                Item = s,
                FileName = db.ImportedFiles.Where(f => f.Id == s.ImportedFileId).Select(f => f.FileName).FirstOrDefault(),
                AccountNumber = db.Accounts.Where(a => a.Id == s.ResolvedAccountId).Select(a => a.AccountNumber).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new SuspenseView(r.Item.Id, r.FileName ?? "", r.Item.RecordNumber, r.Item.AccountReference, r.Item.Amount, r.Item.ReceivedOn, r.Item.Tender, r.Item.Reference,
            r.Item.Reason, r.Item.Detail, r.Item.Status, r.Item.ResolvedBy, r.Item.ResolvedAt, r.AccountNumber, r.Item.PaymentId is { } p ? Receipts.Number(p) : null, r.Item.ResolutionNote)).ToList();
    }

    /// <summary>Posts the item to the account the clerk names; refuses a closed account or a check for a cash-only one.</summary>
    public async Task<SuspenseView> ResolveAsync(long id, string accountNumber, string? note, string user, CancellationToken cancellationToken = default)
    {
        var item = await db.SuspenseItems.SingleOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw new DomainException($"There is no suspense item {id}.", "id");
        var account = await CounterPayments.PayableAccountAsync(db, accountNumber.Trim(), item.Tender == Tender.Check, "accountNumber", cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ClaimAsync(item, cancellationToken);
        await AccountLocks.LockAccountAsync(db, account.Id, cancellationToken);
        var payments = await poster.AddAsync([new PaymentInstruction(account.Id, item.Amount, item.ReceivedOn, item.Tender, PaymentSource.File, item.Reference)], user, item.ImportedFileId, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var before = new { item.Status, item.AccountReference, item.Reason };
        item.Resolve(account.Id, payments[0].Id, clock.GetUtcNow(), user, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
        AuditLog.Record(db, clock.GetUtcNow(), user, "SuspenseItem", item.Id, account.Id, "Resolve suspense item", before,
            new { item.Status, account.AccountNumber, Amount = item.Amount.ToPlainString(), payments[0].ReceiptNumber }, note);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return (await ListAsync(openOnly: false, cancellationToken, id)).Single();
    }

    /// <summary>Closes the item as returned to the payer (the check goes back); nothing posts.</summary>
    public async Task<SuspenseView> ReturnAsync(long id, string note, string user, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(note))
        {
            throw new DomainException("Say why the payment is returned.", "note");
        }

        var item = await db.SuspenseItems.SingleOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw new DomainException($"There is no suspense item {id}.", "id");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ClaimAsync(item, cancellationToken);
        var before = new { item.Status };
        item.Return(clock.GetUtcNow(), user, note.Trim());
        AuditLog.Record(db, clock.GetUtcNow(), user, "SuspenseItem", item.Id, null, "Return suspense item", before,
            new { item.Status, Amount = item.Amount.ToPlainString(), item.AccountReference }, note);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return (await ListAsync(openOnly: false, cancellationToken, id)).Single();
    }

    /// <summary>
    /// Takes the item's row in the current transaction (a no-op update: a row lock on PostgreSQL, the
    /// write lock on SQLite) and reads it again, so a clerk resolving or returning it at the same moment
    /// waits and then finds it done, instead of both posting the one check.
    /// </summary>
    private async Task ClaimAsync(SuspenseItem item, CancellationToken cancellationToken)
    {
        await db.SuspenseItems.Where(s => s.Id == item.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, x => x.Status), cancellationToken);
        await db.Entry(item).ReloadAsync(cancellationToken);
        item.RequireOpen();
    }
}
