using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.Storage.Billing;

namespace OpenCIS.UseCases.Billing.Corrections;

/// <summary>A Supervisor approves (the adjustment posts now) or rejects (with a reason; nothing posts) a pending adjustment. Never the requester.</summary>
public sealed class DecideAdjustment(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<AdjustmentOutcome> ApproveAsync(long adjustmentId, string supervisor, string? note, CancellationToken cancellationToken = default)
    {
        var accountId = await AccountOfAsync(adjustmentId, cancellationToken);
        var now = clock.GetUtcNow();
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, accountId, cancellationToken);
        var adjustment = await db.AccountAdjustments.SingleAsync(a => a.Id == adjustmentId, cancellationToken);
        AdjustmentApproval.CheckDecider(adjustment.RequestedBy, supervisor);
        if (adjustment.Status != AdjustmentStatus.Pending)
        {
            throw new DomainException($"Adjustment {adjustment.Id} is already {adjustment.Status.ToString().ToLowerInvariant()} by {adjustment.DecidedBy}.", "adjustmentId");
        }

        var ledger = await AccountLedger.LoadAsync(db, accountId, cancellationToken);
        var posted = RequestAdjustment.PostTo(db, ledger, adjustment, supervisor, calendar.Today(), now);
        await db.SaveChangesAsync(cancellationToken);
        adjustment.MarkPosted(posted.Id, supervisor, now, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
        AuditLog.Record(db, now, supervisor, "Adjustment", adjustment.Id, accountId, "Approve adjustment", new { Status = nameof(AdjustmentStatus.Pending) },
            new { Status = nameof(AdjustmentStatus.Posted), TransactionId = posted.Id }, note);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return await AdjustmentQueries.OutcomeAsync(db, adjustmentId, alreadyRequested: false, $"Adjustment {adjustmentId} approved and posted.", cancellationToken);
    }

    public async Task<AdjustmentOutcome> RejectAsync(long adjustmentId, string supervisor, string reason, CancellationToken cancellationToken = default)
    {
        var accountId = await AccountOfAsync(adjustmentId, cancellationToken);
        var now = clock.GetUtcNow();
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, accountId, cancellationToken);
        var adjustment = await db.AccountAdjustments.SingleAsync(a => a.Id == adjustmentId, cancellationToken);
        AdjustmentApproval.CheckDecider(adjustment.RequestedBy, supervisor);
        adjustment.Reject(supervisor, now, reason);
        AuditLog.Record(db, now, supervisor, "Adjustment", adjustment.Id, accountId, "Reject adjustment", new { Status = nameof(AdjustmentStatus.Pending) },
            new { Status = nameof(AdjustmentStatus.Rejected) }, reason);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return await AdjustmentQueries.OutcomeAsync(db, adjustmentId, alreadyRequested: false, $"Adjustment {adjustmentId} rejected; nothing was posted.", cancellationToken);
    }

    private async Task<long> AccountOfAsync(long adjustmentId, CancellationToken cancellationToken) =>
        await db.AccountAdjustments.Where(a => a.Id == adjustmentId).Select(a => (long?)a.AccountId).SingleOrDefaultAsync(cancellationToken)
        ?? throw new DomainException($"There is no adjustment {adjustmentId}.", "adjustmentId");
}
