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

/// <summary>Refunds for the approval queue, the account's page, the API and the refund register.</summary>
public sealed class RefundQueries(OpenCisDbContext db)
{
    public const int ListLimit = 500;

    public Task<List<RefundView>> ListAsync(RefundStatus? status, CancellationToken cancellationToken = default) =>
        ViewsAsync(db, (status is { } s ? db.Refunds.Where(r => r.Status == s) : db.Refunds).OrderBy(r => r.Id).Take(ListLimit), cancellationToken);

    public Task<List<RefundView>> ForAccountAsync(long accountId, CancellationToken cancellationToken = default) =>
        ViewsAsync(db, db.Refunds.Where(r => r.AccountId == accountId).OrderByDescending(r => r.Id).Take(100), cancellationToken);

    /// <summary>The refunds approved on business dates from <paramref name="from"/> through <paramref name="through"/>, in approval order.</summary>
    public async Task<RefundRegister> RegisterAsync(DateOnly from, DateOnly through, CancellationToken cancellationToken = default)
    {
        if (through < from)
        {
            throw new DomainException($"The register ends ({through:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).", "through");
        }

        var rows = await db.Refunds.AsNoTracking()
            .Where(r => r.Status == RefundStatus.Approved && r.DecidedOn >= from && r.DecidedOn <= through)
            .Join(db.Accounts, r => r.AccountId, a => a.Id, (r, a) => new { r, a.AccountNumber })
            .GroupJoin(db.AchEnrollments, x => x.r.AchEnrollmentId, e => e.Id, (x, e) => new { x.r, x.AccountNumber, e })
            .SelectMany(x => x.e.DefaultIfEmpty(), (x, e) => new { x.r, x.AccountNumber, Routing = e == null ? null : e.RoutingNumber, Dfi = e == null ? null : e.DfiAccountNumber })
            .OrderBy(x => x.r.DecidedOn).ThenBy(x => x.r.Id)
            .ToListAsync(cancellationToken);
        return new RefundRegister(from, through, rows.Select(x => new RefundRegisterLine(x.r.Id, x.r.DecidedOn!.Value, x.AccountNumber, x.r.Method.ToString(), x.r.PayeeName,
            x.r.MailingLine1, x.r.MailingCity, x.r.MailingState, x.r.MailingZip, x.Routing, x.Dfi is null ? null : AchEnrollment.Mask(x.Dfi), x.r.AmountCents, x.r.DecidedBy ?? "",
            x.r.ReturnedOn is { } back ? $"ACH file {x.r.SentOn:yyyy-MM-dd}, returned {back:yyyy-MM-dd}"
                : x.r.SentOn is { } sent ? $"ACH file {sent:yyyy-MM-dd}"
                : x.r.Method == RefundMethod.Ach ? "next ACH file" : RefundRegisterLine.AccountsPayable)).ToList());
    }

    /// <summary>
    /// The register as CSV for accounts payable. <c>paid_by</c> says who pays each refund: AP cuts the
    /// checks; an ACH refund goes out in the utility's own ACH file (to the enrollment on file, so the
    /// full bank account number never leaves in a spreadsheet), and the register shows which.
    /// </summary>
    public static string ToCsv(RefundRegister register)
    {
        var text = new StringBuilder();
        text.Append("refund_id,approved_on,account_number,method,payee,address_line1,city,state,zip,routing_number,bank_account,amount,approved_by,paid_by\r\n");
        foreach (var l in register.Lines)
        {
            text.AppendJoin(',', [
                l.RefundId.ToString(CultureInfo.InvariantCulture), l.ApprovedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Csv(l.AccountNumber), l.Method, Csv(l.PayeeName),
                Csv(l.MailingLine1), Csv(l.MailingCity), Csv(l.MailingState), Csv(l.MailingZip), Csv(l.RoutingNumber), Csv(l.BankAccount),
                Money.FromCents(l.AmountCents).ToPlainString(), Csv(l.ApprovedBy), Csv(l.PaidBy),
            ]).Append("\r\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"TOTAL,,,,,,,,,,,{Money.FromCents(register.TotalCents).ToPlainString()},,\r\n");
        return text.ToString();
    }

    private static string Csv(string? value)
    {
        var text = value ?? "";
        // A leading =, +, - or @ would be a formula in a spreadsheet: quote it with an apostrophe.
        if (text.Length > 0 && "=+-@".Contains(text[0], StringComparison.Ordinal))
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    internal static async Task<RefundOutcome> OutcomeAsync(OpenCisDbContext db, long refundId, bool alreadyDone, string message, CancellationToken cancellationToken)
    {
        var view = (await ViewsAsync(db, db.Refunds.Where(r => r.Id == refundId), cancellationToken)).Single();
        var accountId = await db.Refunds.Where(r => r.Id == refundId).Select(r => r.AccountId).SingleAsync(cancellationToken);
        var balance = await Ledger.AccountLedger.BalanceAsync(db, accountId, cancellationToken);
        return new RefundOutcome(view, balance, alreadyDone, message);
    }

    private static async Task<List<RefundView>> ViewsAsync(OpenCisDbContext db, IQueryable<Refund> query, CancellationToken cancellationToken)
    {
        var rows = await query.AsNoTracking().Join(db.Accounts, r => r.AccountId, a => a.Id, (r, a) => new { r, a.AccountNumber }).ToListAsync(cancellationToken);
        var enrollmentIds = rows.Where(x => x.r.AchEnrollmentId is not null).Select(x => x.r.AchEnrollmentId!.Value).Distinct().ToList();
        var banks = enrollmentIds.Count == 0
            ? []
            : await db.AchEnrollments.AsNoTracking().Where(e => enrollmentIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => $"{e.RoutingNumber} {AchEnrollment.Mask(e.DfiAccountNumber)}", cancellationToken);
        return rows.Select(x => new RefundView(x.r.Id, x.AccountNumber, x.r.AmountCents, x.r.Method.ToString(), x.r.PayeeName,
            x.r.MailingLine1 is null ? null : $"{x.r.MailingLine1}, {x.r.MailingCity}, {x.r.MailingState} {x.r.MailingZip}",
            x.r.AchEnrollmentId is { } id ? banks.GetValueOrDefault(id) : null, x.r.Note, x.r.Status.ToString(), x.r.RequestedBy, x.r.RequestedAt,
            x.r.DecidedBy, x.r.DecidedAt, x.r.DecidedOn, x.r.DecisionNote, x.r.FinancialTransactionId)).ToList();
    }
}
