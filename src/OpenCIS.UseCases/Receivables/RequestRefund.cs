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

public sealed record RefundRequest(string AccountNumber, Money Amount, RefundMethod Method, string Note, string? IdempotencyKey);

public sealed record RefundView(
    long RefundId,
    string AccountNumber,
    long AmountCents,
    string Method,
    string PayeeName,
    string? MailingAddress,
    string? BankAccount,
    string Note,
    string Status,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    DateOnly? DecidedOn,
    string? DecisionNote,
    long? TransactionId);

public sealed record RefundOutcome(RefundView Refund, long BalanceCents, bool AlreadyDone, string Message);

/// <summary>
/// A clerk asks to pay out part or all of an account's credit balance, by check to the main customer's
/// mailing address or by ACH credit to the account's active enrollment. Nothing posts: the refund waits
/// as Pending for <see cref="DecideRefund"/>. With an idempotency key a retry returns the first request.
/// </summary>
public sealed class RequestRefund(OpenCisDbContext db, TimeProvider clock)
{
    public async Task<RefundOutcome> ExecuteAsync(RefundRequest request, string user, CancellationToken cancellationToken = default)
    {
        var key = Idempotency.CheckKey(request.IdempotencyKey, user);
        var note = ReceivablesRules.RequireReason(request.Note, "note");
        var fingerprint = Idempotency.Fingerprint("refund", request.AccountNumber, request.Amount.Cents, request.Method, note);
        if (await EarlierAsync(key, fingerprint, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var account = await CorrectionBilling.FindAccountAsync(db, request.AccountNumber, cancellationToken);
        var now = clock.GetUtcNow();
        await using var transaction = await CorrectionBilling.BeginForAccountAsync(db, account.Id, cancellationToken);
        if (await EarlierAsync(key, fingerprint, cancellationToken) is { } raced)
        {
            await transaction.RollbackAsync(cancellationToken);
            return raced;
        }

        var ledger = await AccountLedger.LoadAsync(db, account.Id, cancellationToken);
        ReceivablesRules.CheckRefund(request.Amount, ledger.Balance, account.AccountNumber);

        // A credit already promised to a pending refund cannot be promised twice.
        var pending = await db.Refunds.Where(r => r.AccountId == account.Id && r.Status == RefundStatus.Pending).SumAsync(r => r.AmountCents, cancellationToken);
        if (pending > 0 && request.Amount.Cents + pending > -ledger.Balance.Cents)
        {
            throw new DomainException($"Account {account.AccountNumber} has a credit of {-ledger.Balance}, of which {Money.FromCents(pending)} already waits in pending refunds.", "amount");
        }

        var refund = request.Method switch
        {
            RefundMethod.Check => await ByCheckAsync(account, request, note, user, now, key, fingerprint, cancellationToken),
            RefundMethod.Ach => await ByAchAsync(account, request, note, user, now, key, fingerprint, cancellationToken),
            _ => throw new DomainException($"'{request.Method}' is not a refund method.", "method"),
        };
        db.Refunds.Add(refund);
        if (await Idempotency.SaveOrFindEarlierAsync(db, transaction, key, () => EarlierAsync(key, fingerprint, cancellationToken), "refund", cancellationToken) is { } collided)
        {
            return collided;
        }

        AuditLog.Record(db, now, user, "Refund", refund.Id, account.Id, "Request refund", null,
            new { Amount = request.Amount.ToPlainString(), Method = request.Method.ToString(), refund.PayeeName, Status = refund.Status.ToString() }, note);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return await RefundQueries.OutcomeAsync(db, refund.Id, false,
            $"Refund {refund.Id} of {request.Amount} by {request.Method} to {refund.PayeeName} waits for a Supervisor's approval; nothing is posted yet.", cancellationToken);
    }

    private async Task<RefundOutcome?> EarlierAsync(RequestKey? key, string fingerprint, CancellationToken cancellationToken) =>
        await Idempotency.EarlierAsync(db.Refunds, Refund.RequestKey, key, r => new { r.Id, r.RequestFingerprint }, r => r.RequestFingerprint == fingerprint,
                r => $"refund (refund {r.Id})", cancellationToken) is { } earlier
            ? await RefundQueries.OutcomeAsync(db, earlier.Id, true, $"Refund {earlier.Id} was already requested; nothing was added again.", cancellationToken)
            : null;

    private async Task<Refund> ByCheckAsync(Account account, RefundRequest request, string note, string user, DateTimeOffset now, RequestKey? key, string fingerprint, CancellationToken cancellationToken)
    {
        var customer = await db.AccountCustomers.Where(ac => ac.AccountId == account.Id && ac.Role == AccountRole.Main)
                           .OrderBy(ac => ac.EndedOn != null).ThenByDescending(ac => ac.StartedOn)
                           .Join(db.Customers, ac => ac.CustomerId, c => c.Id, (ac, c) => c).FirstOrDefaultAsync(cancellationToken)
                       ?? throw new DomainException($"Account {account.AccountNumber} has no main customer to make a check out to.", "method");
        if (string.IsNullOrWhiteSpace(customer.MailingLine1) || string.IsNullOrWhiteSpace(customer.MailingZip))
        {
            throw new DomainException($"{customer.DisplayName} has no mailing address; correct the customer's contact details before refunding by check.", "method");
        }

        return new Refund
        {
            AccountId = account.Id,
            AmountCents = request.Amount.Cents,
            Method = RefundMethod.Check,
            PayeeName = customer.DisplayName,
            MailingLine1 = customer.MailingLine1,
            MailingCity = customer.MailingCity,
            MailingState = customer.MailingState,
            MailingZip = customer.MailingZip,
            Note = note,
            RequestedBy = user,
            RequestedAt = now,
            IdempotencyKey = Idempotency.KeyFor(key, user),
            RequestFingerprint = fingerprint,
        };
    }

    private async Task<Refund> ByAchAsync(Account account, RefundRequest request, string note, string user, DateTimeOffset now, RequestKey? key, string fingerprint, CancellationToken cancellationToken)
    {
        var enrollment = await db.AchEnrollments.AsNoTracking().Where(e => e.AccountId == account.Id && e.Status == AchEnrollmentStatus.Active)
                             .OrderByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken)
                         ?? throw new DomainException($"Account {account.AccountNumber} has no active ACH enrollment to credit; refund by check instead.", "method");
        return new Refund
        {
            AccountId = account.Id,
            AmountCents = request.Amount.Cents,
            Method = RefundMethod.Ach,
            PayeeName = enrollment.HolderName,
            AchEnrollmentId = enrollment.Id,
            Note = note,
            RequestedBy = user,
            RequestedAt = now,
            IdempotencyKey = Idempotency.KeyFor(key, user),
            RequestFingerprint = fingerprint,
        };
    }
}

/// <summary>One line of the refund register: an approved refund accounts payable pays out.</summary>
public sealed record RefundRegisterLine(long RefundId, DateOnly ApprovedOn, string AccountNumber, string Method, string PayeeName,
    string? MailingLine1, string? MailingCity, string? MailingState, string? MailingZip, string? RoutingNumber, string? BankAccount, long AmountCents, string ApprovedBy,
    string PaidBy = RefundRegisterLine.AccountsPayable)
{
    /// <summary>Who pays the refund out: accounts payable (checks, and ACH refunds whose enrollment ended), or the named ACH file.</summary>
    public const string AccountsPayable = "accounts payable";
}

public sealed record RefundRegister(DateOnly From, DateOnly Through, IReadOnlyList<RefundRegisterLine> Lines)
{
    public long TotalCents => Lines.Sum(l => l.AmountCents);
}
