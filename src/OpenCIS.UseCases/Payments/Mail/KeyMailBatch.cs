using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments.Mail;
using OpenCIS.Storage.Payments;

namespace OpenCIS.UseCases.Payments.Mail;

public sealed record MailBatchItemView(long Id, int Number, string AccountNumber, long BillNumber, Money AmountDue, Money Amount, string? CheckNumber, string ScanLine, string? ReceiptNumber);

public sealed record MailBatchView(
    long Id, DateOnly BusinessDate, MailBatchStatus Status, string OpenedBy, DateTimeOffset OpenedAt, string? PostedBy, DateTimeOffset? PostedAt,
    MailBatchBalance Balance, IReadOnlyList<MailBatchItemView> Items);

/// <summary>
/// A clerk keys a tray of mailed checks: opens a batch with the adding-machine tape's control count and
/// total, keys or scans each stub's scan line (a line failing its check digit, or naming an account that is
/// closed or cash-only, is refused at once with the reason), and removes a keyed item before posting.
/// Posting is <see cref="PostMailBatch"/>. Every change to an open batch first takes the batch row with a
/// conditional update, so nothing is keyed into a batch while it posts.
/// </summary>
public sealed class KeyMailBatch(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public const int OpenBatchesListedMax = 100;

    public async Task<MailBatchView> OpenAsync(int controlCount, Money controlTotal, string clerk, CancellationToken cancellationToken = default)
    {
        MailBatchRules.CheckControls(controlCount, controlTotal);
        var now = clock.GetUtcNow();
        var batch = new MailBatch
        {
            BusinessDate = calendar.Today(),
            ControlCount = controlCount,
            ControlTotalCents = controlTotal.Cents,
            Status = MailBatchStatus.Open,
            OpenedAt = now,
            OpenedBy = clerk,
        };
        db.MailBatches.Add(batch);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, now, clerk, "MailBatch", batch.Id, null, "Open mail batch", null, new { controlCount, ControlTotal = controlTotal.ToPlainString() }, "Mail payments");
        await db.SaveChangesAsync(cancellationToken);
        return await GetAsync(batch.Id, cancellationToken);
    }

    /// <summary>Keys one stub. The amount received defaults to the amount due on the line; the check number is optional.</summary>
    public async Task<MailBatchView> AddItemAsync(long batchId, string? scanLine, Money? amountReceived, string? checkNumber, string clerk, CancellationToken cancellationToken = default)
    {
        // The core refuses a line failing its check digit before anything is looked up.
        var stub = MailBatchRules.ReadStub(scanLine, amountReceived, checkNumber);
        var account = await CounterPayments.PayableAccountAsync(db, stub.Line.AccountNumber, paysByCheck: true, "scanLine", cancellationToken);
        // A utility bill's stub names its bill; an invoice's stub (a party's receivables account) names its invoice.
        if (!await db.Bills.AnyAsync(b => b.Id == stub.Line.BillNumber && b.AccountId == account.Id, cancellationToken)
            && !await db.Invoices.AnyAsync(i => i.Id == stub.Line.BillNumber && i.AccountId == account.Id, cancellationToken))
        {
            throw new DomainException($"The stub names bill or invoice {stub.Line.BillNumber}, which is not one of account {account.AccountNumber}; set the check aside for a clerk.", "scanLine");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await TakeOpenBatchAsync(batchId, cancellationToken);
        var sameStub = await db.MailBatchItems.Where(i => i.MailBatchId == batchId).OrderBy(i => i.Id).Select(i => i.ScanLine).ToListAsync(cancellationToken);
        if (sameStub.IndexOf(stub.Line.Digits) is var earlier and >= 0)
        {
            throw new DomainException($"This stub (account {account.AccountNumber}, bill {stub.Line.BillNumber}) is already item {earlier + 1} of this batch; a second check for the same bill goes on that item's amount.", "scanLine");
        }

        var keyed = sameStub.Count;
        if (keyed >= MailBatchRules.ItemsMax)
        {
            throw new DomainException($"A mail batch holds at most {MailBatchRules.ItemsMax} stubs; post this one and open another.", "scanLine");
        }

        db.MailBatchItems.Add(new MailBatchItem
        {
            MailBatchId = batchId,
            ScanLine = stub.Line.Digits,
            AccountId = account.Id,
            AccountNumber = account.AccountNumber,
            BillNumber = stub.Line.BillNumber,
            AmountDueCents = stub.Line.AmountDue.Cents,
            AmountCents = stub.AmountReceived.Cents,
            CheckNumber = stub.CheckNumber,
            KeyedAt = clock.GetUtcNow(),
            KeyedBy = clerk,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(batchId, cancellationToken);
    }

    /// <summary>Takes a keyed item out of an open batch (a stub keyed twice, or one set aside).</summary>
    public async Task<MailBatchView> RemoveItemAsync(long batchId, long itemId, string clerk, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await TakeOpenBatchAsync(batchId, cancellationToken);
        var item = await db.MailBatchItems.SingleOrDefaultAsync(i => i.Id == itemId && i.MailBatchId == batchId, cancellationToken)
            ?? throw new DomainException($"Mail batch {batchId} has no item {itemId}.", "item");
        db.MailBatchItems.Remove(item);
        AuditLog.Record(db, clock.GetUtcNow(), clerk, "MailBatch", batchId, item.AccountId, "Remove mail batch item",
            new { item.AccountNumber, Amount = Money.FromCents(item.AmountCents).ToPlainString(), item.CheckNumber }, null, "Removed before posting");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(batchId, cancellationToken);
    }

    public async Task<MailBatchView> GetAsync(long batchId, CancellationToken cancellationToken = default) =>
        await FindAsync(batchId, cancellationToken) ?? throw new DomainException($"There is no mail batch {batchId}.", "batch");

    public async Task<MailBatchView?> FindAsync(long batchId, CancellationToken cancellationToken = default)
    {
        var batch = await db.MailBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        if (batch is null)
        {
            return null;
        }

        var items = await db.MailBatchItems.AsNoTracking().Where(i => i.MailBatchId == batchId).OrderBy(i => i.Id).ToListAsync(cancellationToken);
        var views = items.Select((i, index) => new MailBatchItemView(i.Id, index + 1, i.AccountNumber, i.BillNumber, Money.FromCents(i.AmountDueCents), Money.FromCents(i.AmountCents),
            i.CheckNumber, Core.Billing.ScanLine.Parse(i.ScanLine).ToString(), i.PaymentId is { } id ? Receipts.Number(id) : null)).ToList();
        var balance = MailBatchRules.Balance(batch.ControlCount, Money.FromCents(batch.ControlTotalCents), views.Select(v => v.Amount));
        return new MailBatchView(batch.Id, batch.BusinessDate, batch.Status, batch.OpenedBy, batch.OpenedAt, batch.PostedBy, batch.PostedAt, balance, views);
    }

    /// <summary>The batches still open, oldest first, so a batch left overnight is not forgotten.</summary>
    public async Task<IReadOnlyList<MailBatch>> OpenBatchesAsync(CancellationToken cancellationToken = default) =>
        await db.MailBatches.AsNoTracking().Where(b => b.Status == MailBatchStatus.Open).OrderBy(b => b.Id).Take(OpenBatchesListedMax).ToListAsync(cancellationToken);

    /// <summary>Takes the batch row for this transaction if it is still open (a row lock on PostgreSQL, the write lock on SQLite); refuses otherwise, saying why.</summary>
    private async Task TakeOpenBatchAsync(long batchId, CancellationToken cancellationToken)
    {
        var taken = await db.MailBatches.Where(b => b.Id == batchId && b.Status == MailBatchStatus.Open)
            .ExecuteUpdateAsync(set => set.SetProperty(b => b.ControlCount, b => b.ControlCount), cancellationToken);
        if (taken == 1)
        {
            return;
        }

        var batch = await db.MailBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId, cancellationToken)
            ?? throw new DomainException($"There is no mail batch {batchId}.", "batch");
        throw new DomainException($"Mail batch {batchId} was posted on {batch.PostedAt:yyyy-MM-dd HH:mm} UTC by {batch.PostedBy}; it cannot be changed. Open a new batch.", "batch");
    }
}
