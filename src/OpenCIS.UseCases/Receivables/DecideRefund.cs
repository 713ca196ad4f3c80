using System.Globalization;
using System.Text;
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
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.UseCases.Payments.Ach;
using OpenCIS.Storage;
using OpenCIS.Storage.Receivables;

namespace OpenCIS.UseCases.Receivables;

/// <summary>
/// A Supervisor who did not request the refund approves it (the refund posts now: receivables up,
/// refunds payable up, and its charge settles the account's unapplied credit) or rejects it with a
/// reason (nothing posts). The credit is checked again under the account lock: a payment applied
/// since the request may have used it.
/// </summary>
public sealed class DecideRefund(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<RefundOutcome> ApproveAsync(long refundId, string supervisor, string? note, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var key = Idempotency.CheckKey(idempotencyKey, supervisor);
        if (await AlreadyDecidedAsync(refundId, key, RefundStatus.Approved, cancellationToken) is { } done)
        {
            return done;
        }

        var accountId = await AccountOfAsync(refundId, cancellationToken);
        var now = clock.GetUtcNow();
        var today = calendar.Today();
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, accountId, cancellationToken);
        if (await AlreadyDecidedAsync(refundId, key, RefundStatus.Approved, cancellationToken) is { } raced)
        {
            // The same approval reached the account lock first: answer with it.
            await transaction.RollbackAsync(cancellationToken);
            return raced;
        }

        var refund = await db.Refunds.SingleAsync(r => r.Id == refundId, cancellationToken);
        ReceivablesRules.CheckRefundDecider(refund.RequestedBy, supervisor);
        if (refund.Status != RefundStatus.Pending)
        {
            throw new DomainException($"Refund {refund.Id} is already {refund.Status.ToString().ToLowerInvariant()} by {refund.DecidedBy}.", "refundId");
        }

        var ledger = await AccountLedger.LoadAsync(db, accountId, cancellationToken);
        var accountNumber = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.AccountNumber).SingleAsync(cancellationToken);
        var amount = Money.FromCents(refund.AmountCents);
        ReceivablesRules.CheckRefund(amount, ledger.Balance, accountNumber);
        var posted = ledger.Post(db, PostingRules.ForRefund(amount), today, today, null, supervisor,
            $"Refund {refund.Id} by {refund.Method} to {refund.PayeeName} (requested by {refund.RequestedBy}, approved by {supervisor})", now);
        await db.SaveChangesAsync(cancellationToken);
        refund.Approve(posted.Id, supervisor, now, today, note, key);
        AuditLog.Record(db, now, supervisor, "Refund", refund.Id, accountId, "Approve refund", new { Status = nameof(RefundStatus.Pending) },
            new { Status = nameof(RefundStatus.Approved), TransactionId = posted.Id, Amount = amount.ToPlainString() }, note);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return await RefundQueries.OutcomeAsync(db, refundId, false, $"Refund {refundId} of {amount} approved and posted; it is on the refund register for {today:yyyy-MM-dd}.", cancellationToken);
    }

    public async Task<RefundOutcome> RejectAsync(long refundId, string supervisor, string reason, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var key = Idempotency.CheckKey(idempotencyKey, supervisor);
        if (await AlreadyDecidedAsync(refundId, key, RefundStatus.Rejected, cancellationToken) is { } done)
        {
            return done;
        }

        var accountId = await AccountOfAsync(refundId, cancellationToken);
        var now = clock.GetUtcNow();
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, accountId, cancellationToken);
        if (await AlreadyDecidedAsync(refundId, key, RefundStatus.Rejected, cancellationToken) is { } raced)
        {
            // The same rejection reached the account lock first: answer with it.
            await transaction.RollbackAsync(cancellationToken);
            return raced;
        }

        var refund = await db.Refunds.SingleAsync(r => r.Id == refundId, cancellationToken);
        ReceivablesRules.CheckRefundDecider(refund.RequestedBy, supervisor);
        refund.Reject(supervisor, now, calendar.Today(), reason, key);
        AuditLog.Record(db, now, supervisor, "Refund", refund.Id, accountId, "Reject refund", new { Status = nameof(RefundStatus.Pending) },
            new { Status = nameof(RefundStatus.Rejected) }, reason);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return await RefundQueries.OutcomeAsync(db, refundId, false, $"Refund {refundId} rejected; nothing was posted.", cancellationToken);
    }

    /// <summary>A decision retried with its key returns the first answer; the Supervisor's key on another refund or decision is refused.</summary>
    private async Task<RefundOutcome?> AlreadyDecidedAsync(long refundId, RequestKey? key, RefundStatus status, CancellationToken cancellationToken) =>
        await Idempotency.EarlierAsync(db.Refunds, Refund.DecisionKey, key, r => new { r.Id, r.Status }, r => r.Id == refundId && r.Status == status,
                r => $"refund decision (refund {r.Id} {r.Status.ToString().ToLowerInvariant()})", cancellationToken) is not null
            ? await RefundQueries.OutcomeAsync(db, refundId, true, $"Refund {refundId} was already {status.ToString().ToLowerInvariant()}; nothing was posted again.", cancellationToken)
            : null;

    private async Task<long> AccountOfAsync(long refundId, CancellationToken cancellationToken) =>
        await db.Refunds.Where(r => r.Id == refundId).Select(r => (long?)r.AccountId).SingleOrDefaultAsync(cancellationToken)
        ?? throw new DomainException($"There is no refund {refundId}.", "refundId");
}
