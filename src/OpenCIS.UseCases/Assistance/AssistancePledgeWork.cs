using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Assistance;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.Storage.Assistance;
using OpenCIS.Storage.Audit;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.UseCases.Assistance;

/// <summary>A pledge as the account and the report show it: overdue when still open after the day it was expected by.</summary>
public sealed record PledgeView(long Id, string AccountNumber, string Agency, long AmountCents, DateOnly PledgedOn, DateOnly ExpectedBy, PledgeStatus Status, bool Overdue,
    long? PaymentId, string? ReceiptNumber, DateOnly? PaidOn, long? PaidCents, string RecordedBy, string? ClosedBy, string? Note);

public sealed record RecordPledgeRequest(string AccountNumber, string Agency, Money Amount, DateOnly? PledgedOn, DateOnly ExpectedBy, string? Note);

/// <summary>The agency's payment, posted for the pledge: the tender it came as and its reference (a check number).</summary>
public sealed record PayPledgeRequest(long PledgeId, Tender Tender, string? Reference, string? IdempotencyKey);

/// <summary>What paying a pledge did: the pledge, the payment's receipt, and whether an earlier request under the same key had done it.</summary>
public sealed record PledgePaid(PledgeView Pledge, string ReceiptNumber, bool AlreadyPosted);

/// <summary>
/// Energy-assistance pledges: a clerk records an agency's pledge to an account (the amount, expected by a date); when the
/// agency's payment arrives it is posted as any payment is (<see cref="TakePayment.AddAsync"/>: the counter's checks,
/// the ledger's posting and allocation) and the pledge is marked paid, linked to it, in one transaction under the
/// account's lock; or a payment already posted (a lockbox line) is linked. The payment keeps the request's
/// Idempotency-Key as the counter's do, so a retry posts nothing. A pledge may also be cancelled or closed as expired.
/// </summary>
public sealed class AssistancePledgeWork(OpenCisDbContext db, TakePayment payments, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<PledgeView> RecordAsync(RecordPledgeRequest request, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accountId = await PledgeQueries.AccountIdAsync(db, request.AccountNumber, cancellationToken);
        var pledgedOn = request.PledgedOn ?? calendar.Today();
        var agency = AssistancePledges.Check(request.Agency, request.Amount, pledgedOn, request.ExpectedBy);
        var note = ProgramEnrollments.Note(request.Note);

        var row = AssistancePledgeRow.Record(accountId, agency, request.Amount, pledgedOn, request.ExpectedBy, user, clock.GetUtcNow(), note);
        db.AssistancePledges.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, row.RecordedAt, user, "AssistancePledge", row.Id, accountId, "Record pledge", null,
            new { agency, Amount = request.Amount.ToPlainString(), pledgedOn, request.ExpectedBy }, note);
        await db.SaveChangesAsync(cancellationToken);
        return await ViewAsync(row.Id, cancellationToken);
    }

    /// <summary>Posts the agency's payment for the pledge's amount and marks the pledge paid, linked to it.</summary>
    public async Task<PledgePaid> PayAsync(PayPledgeRequest request, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = Idempotency.CheckKey(request.IdempotencyKey, user);
        var fingerprint = Idempotency.Fingerprint("pledge", request.PledgeId, request.Tender, request.Reference);
        if (await EarlierAsync(key, fingerprint, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var pledge = await OpenPledgeAsync(request.PledgeId, cancellationToken);
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == pledge.AccountId, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountLocks.LockAccountAsync(db, account.Id, cancellationToken);
        // Another clerk may have paid it while this request waited for the lock: read it again under the lock.
        await db.Entry(pledge).ReloadAsync(cancellationToken);
        if (pledge.Status != PledgeStatus.Pledged)
        {
            throw new DomainException($"Pledge {pledge.Id} is {pledge.Status}; only an open pledge can be paid.", "pledgeId");
        }

        var payment = await payments.AddAsync(account, Money.FromCents(pledge.AmountCents), request.Tender, request.Reference ?? $"Pledge {pledge.Id}", PaymentSource.Mail, user, cancellationToken);
        db.Entry(payment).Property(p => p.IdempotencyKey).CurrentValue = Idempotency.KeyFor(key, user);
        db.Entry(payment).Property(p => p.RequestFingerprint).CurrentValue = fingerprint;
        if (await Idempotency.SaveOrFindEarlierAsync(db, transaction, key, () => EarlierAsync(key, fingerprint, cancellationToken), "pledge payment", cancellationToken) is { } raced)
        {
            return raced;
        }

        pledge.MarkPaid(payment.Id, payment.ReceivedOn, payment.AmountCents, user);
        AuditLog.Record(db, clock.GetUtcNow(), user, "AssistancePledge", pledge.Id, account.Id, "Pledge paid", new { Status = PledgeStatus.Pledged },
            new { pledge.Status, payment.ReceiptNumber, Amount = Money.FromCents(payment.AmountCents).ToPlainString() }, pledge.Agency);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new PledgePaid(await ViewAsync(pledge.Id, cancellationToken), payment.ReceiptNumber, AlreadyPosted: false);
    }

    /// <summary>Marks the pledge paid by a payment already posted to its account (a lockbox or mailed check from the agency).</summary>
    public async Task<PledgeView> LinkPaymentAsync(long pledgeId, long paymentId, string user, CancellationToken cancellationToken = default)
    {
        var pledge = await OpenPledgeAsync(pledgeId, cancellationToken);
        var payment = await db.Payments.AsNoTracking().Where(p => p.Id == paymentId).Select(p => new { p.Id, p.AccountId, p.AmountCents, p.ReceivedOn }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException($"There is no payment {paymentId}.", "paymentId");
        if (payment.AccountId != pledge.AccountId)
        {
            throw new DomainException($"Payment {paymentId} was posted to another account.", "paymentId");
        }

        if (await db.AssistancePledges.AnyAsync(p => p.PaymentId == paymentId, cancellationToken))
        {
            throw new DomainException($"Payment {paymentId} already pays another pledge.", "paymentId");
        }

        pledge.MarkPaid(payment.Id, payment.ReceivedOn, payment.AmountCents, user);
        AuditLog.Record(db, clock.GetUtcNow(), user, "AssistancePledge", pledge.Id, pledge.AccountId, "Pledge paid", new { Status = PledgeStatus.Pledged }, new { pledge.Status, PaymentId = paymentId }, pledge.Agency);
        await db.SaveChangesAsync(cancellationToken);
        return await ViewAsync(pledgeId, cancellationToken);
    }

    /// <summary>Closes the pledge unpaid: cancelled (withdrawn or in error) or expired.</summary>
    public async Task<PledgeView> CloseAsync(long pledgeId, PledgeStatus outcome, string? note, string user, CancellationToken cancellationToken = default)
    {
        if (outcome is not (PledgeStatus.Cancelled or PledgeStatus.Expired))
        {
            throw new DomainException("A pledge is closed unpaid as Cancelled or Expired.", "status");
        }

        var pledge = await OpenPledgeAsync(pledgeId, cancellationToken);
        pledge.Close(outcome, user, ProgramEnrollments.Note(note));
        AuditLog.Record(db, clock.GetUtcNow(), user, "AssistancePledge", pledge.Id, pledge.AccountId, outcome == PledgeStatus.Cancelled ? "Cancel pledge" : "Expire pledge",
            new { Status = PledgeStatus.Pledged }, new { pledge.Status }, note);
        await db.SaveChangesAsync(cancellationToken);
        return await ViewAsync(pledgeId, cancellationToken);
    }

    private async Task<AssistancePledgeRow> OpenPledgeAsync(long pledgeId, CancellationToken cancellationToken)
    {
        var pledge = await db.AssistancePledges.SingleOrDefaultAsync(p => p.Id == pledgeId, cancellationToken)
            ?? throw new DomainException($"There is no pledge {pledgeId}.", "pledgeId");
        return pledge.Status == PledgeStatus.Pledged ? pledge : throw new DomainException($"Pledge {pledgeId} is {pledge.Status}; only an open pledge can be paid or closed.", "pledgeId");
    }

    private async Task<PledgePaid?> EarlierAsync(RequestKey? key, string fingerprint, CancellationToken cancellationToken)
    {
        var payment = await CounterPayments.EarlierAsync(db, key, fingerprint, cancellationToken);
        if (payment is null)
        {
            return null;
        }

        var pledgeId = await db.AssistancePledges.Where(p => p.PaymentId == payment.Id).Select(p => p.Id).SingleAsync(cancellationToken);
        return new PledgePaid(await ViewAsync(pledgeId, cancellationToken), payment.ReceiptNumber, AlreadyPosted: true);
    }

    private async Task<PledgeView> ViewAsync(long pledgeId, CancellationToken cancellationToken) =>
        (await PledgeQueries.ViewsAsync(db, db.AssistancePledges.Where(p => p.Id == pledgeId), calendar.Today(), cancellationToken)).Single();
}
