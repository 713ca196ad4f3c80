using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments.Mail;
using OpenCIS.Storage.Payments;

namespace OpenCIS.UseCases.Payments.Mail;

public sealed record MailBatchPostOutcome(MailBatchView Batch, bool AlreadyPosted, string Message);

/// <summary>
/// Posts a mail batch once, all of it or none of it. In one transaction: the batch row is switched from
/// open to posted by a conditional update (a second post, or a post racing this one, finds nothing to switch
/// and posts nothing); what was keyed must agree with the tape's control count and total, and every account
/// must still take checks; then every item posts through <see cref="PaymentBatchPoster"/> as a mailed check
/// under the accounts' locks, each item is linked to its payment, and the batch is audited.
/// </summary>
public sealed class PostMailBatch(OpenCisDbContext db, PaymentBatchPoster poster, KeyMailBatch batches, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<MailBatchPostOutcome> ExecuteAsync(long batchId, string clerk, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var taken = await db.MailBatches.Where(b => b.Id == batchId && b.Status == MailBatchStatus.Open)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(b => b.Status, MailBatchStatus.Posted)
                    .SetProperty(b => b.PostedAt, now)
                    .SetProperty(b => b.PostedBy, clerk), cancellationToken);
            if (taken == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                var earlier = await batches.GetAsync(batchId, cancellationToken);
                return new MailBatchPostOutcome(earlier, AlreadyPosted: true,
                    $"Mail batch {batchId} was already posted on {earlier.PostedAt:yyyy-MM-dd HH:mm} UTC by {earlier.PostedBy}; nothing was posted again.");
            }

            var batch = await db.MailBatches.AsNoTracking().SingleAsync(b => b.Id == batchId, cancellationToken);
            var items = await db.MailBatchItems.Where(i => i.MailBatchId == batchId).OrderBy(i => i.Id).ToListAsync(cancellationToken);
            // Out of balance: the exception leaves the transaction uncommitted, so the batch stays open and nothing posts.
            MailBatchRules.EnsureBalanced(MailBatchRules.Balance(batch.ControlCount, Money.FromCents(batch.ControlTotalCents), items.Select(i => Money.FromCents(i.AmountCents))));

            var accountIds = items.Select(i => i.AccountId).Distinct().ToList();
            await AccountLocks.LockAccountsAsync(db, accountIds, cancellationToken);
            // An account may have been closed or made cash-only since its stub was keyed.
            var refused = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id) && (a.CashOnly || a.Status == AccountStatus.Closed))
                .Select(a => new { a.AccountNumber, a.CashOnly }).ToListAsync(cancellationToken);
            if (refused.Count > 0)
            {
                throw new DomainException(
                    $"The batch cannot post: {string.Join("; ", refused.Select(a => a.CashOnly ? $"account {a.AccountNumber} is now cash-only and cannot pay by check" : $"account {a.AccountNumber} is now closed"))}. Remove those items; nothing was posted.",
                    "batch");
            }

            var receivedOn = calendar.Today();
            // An invoice's stub names the invoice (on its party's receivables account): the check pays that invoice first.
            var stubNumbers = items.Select(i => i.BillNumber).Distinct().ToList();
            var invoiceStubs = (await db.Invoices.AsNoTracking().Where(v => stubNumbers.Contains(v.Id) && accountIds.Contains(v.AccountId)).Select(v => new { v.Id, v.AccountId }).ToListAsync(cancellationToken))
                .Select(v => (v.Id, v.AccountId)).ToHashSet();
            var instructions = items.Select(i => new PaymentInstruction(i.AccountId, Money.FromCents(i.AmountCents), receivedOn, Tender.Check, PaymentSource.Mail, i.CheckNumber,
                invoiceStubs.Contains((i.BillNumber, i.AccountId)) ? i.BillNumber : null)).ToList();
            var payments = await poster.AddAsync(instructions, clerk, null, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            for (var i = 0; i < items.Count; i++)
            {
                items[i].PaymentId = payments[i].Id;
            }

            var total = Money.Sum(instructions.Select(i => i.Amount));
            AuditLog.Record(db, now, clerk, "MailBatch", batchId, null, "Post mail batch", new { Status = MailBatchStatus.Open.ToString() },
                new { Status = MailBatchStatus.Posted.ToString(), Payments = items.Count, Total = total.ToPlainString(), FirstReceipt = payments.FirstOrDefault()?.ReceiptNumber, LastReceipt = payments.LastOrDefault()?.ReceiptNumber },
                "Mail payments");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        var posted = await batches.GetAsync(batchId, cancellationToken);
        return new MailBatchPostOutcome(posted, AlreadyPosted: false,
            $"Mail batch {batchId}: {posted.Balance.KeyedCount} checks totalling {posted.Balance.KeyedTotal} posted.");
    }
}
