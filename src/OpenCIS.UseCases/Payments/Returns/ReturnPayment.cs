using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.UseCases.Payments.Ach;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments.Returns;
using OpenCIS.Storage.Payments;

namespace OpenCIS.UseCases.Payments.Returns;

public sealed record ReturnPaymentRequest(string ReceiptNumber, PaymentReturnReason Reason, string? BankReference, string? IdempotencyKey);

/// <summary>A payment as the return screen shows it before the clerk confirms, with its return if it already came back.</summary>
public sealed record ReturnablePaymentView(
    string ReceiptNumber, string AccountNumber, Money Amount, Tender Tender, PaymentSource Source, string? Reference, DateOnly ReceivedOn, string Cashier, bool CashOnly, string? AlreadyReturned);

public sealed record PaymentReturnOutcome(
    long ReturnId,
    string ReceiptNumber,
    string AccountNumber,
    Money Amount,
    PaymentReturnReason Reason,
    string? BankReference,
    DateOnly ReturnedOn,
    Money Fee,
    long ReversalTransactionId,
    long? FeeTransactionId,
    Money NewBalance,
    bool MadeCashOnly,
    bool AlreadyReturned);

/// <summary>
/// A returned check or a card charge back, found by the payment's receipt number: in one transaction
/// under the account lock the payment is reversed (its items owed again, from their due dates), the
/// returned-payment fee is added, the account is noted, and it is made cash-only after the configured
/// number of returns of any kind in twelve months; see <see cref="ReturnedPayments"/>, which ACH return
/// files share. A payment comes back once: the same clerk's <c>Idempotency-Key</c> and request answer with
/// the first return; any other request to return the same payment (another clerk's under the same key
/// included) is refused, naming it.
/// </summary>
public sealed class ReturnPayment(OpenCisDbContext db, AchSettings settings, BusinessCalendar calendar, TimeProvider clock)
{
    public const int BankReferenceLengthMax = 50;

    public async Task<ReturnablePaymentView> FindAsync(string receiptNumber, CancellationToken cancellationToken = default)
    {
        var payment = await PaymentAsync(ParseReceipt(receiptNumber), cancellationToken);
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == payment.AccountId, cancellationToken);
        return new ReturnablePaymentView(payment.ReceiptNumber, account.AccountNumber, Money.FromCents(payment.AmountCents), payment.Tender, payment.Source, payment.Reference,
            payment.ReceivedOn, payment.Cashier, account.CashOnly, await AlreadyReturnedAsync(payment, cancellationToken));
    }

    public async Task<PaymentReturnOutcome> ExecuteAsync(ReturnPaymentRequest request, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reference = string.IsNullOrWhiteSpace(request.BankReference) ? null : request.BankReference.Trim();
        if (reference is { Length: > BankReferenceLengthMax })
        {
            throw new DomainException($"The bank reference can be at most {BankReferenceLengthMax} characters.", "bankReference");
        }

        var key = Idempotency.CheckKey(request.IdempotencyKey, user);
        var paymentId = ParseReceipt(request.ReceiptNumber);
        var fingerprint = Idempotency.Fingerprint(paymentId, request.Reason, reference);
        if (await EarlierAsync(key, fingerprint, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var payment = await PaymentAsync(paymentId, cancellationToken);
        if (payment.Tender == Tender.Cash)
        {
            throw new DomainException($"Payment {payment.ReceiptNumber} was cash; cash cannot come back from the bank. Correct it with an adjustment.", "receipt");
        }

        if (await AlreadyReturnedAsync(payment, cancellationToken) is { } returned)
        {
            throw new DomainException($"Payment {payment.ReceiptNumber} {returned}; it cannot be returned again.", "receipt");
        }

        var now = clock.GetUtcNow();
        var today = calendar.Today();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountLocks.LockAccountAsync(db, payment.AccountId, cancellationToken);
        // Checked again under the lock: a return that committed meanwhile has taken the payment.
        if (await AlreadyReturnedAsync(payment, cancellationToken) is { } raced)
        {
            await transaction.RollbackAsync(cancellationToken);
            return await AfterRaceAsync(key, fingerprint, $"Payment {payment.ReceiptNumber} {raced}; it cannot be returned again.", cancellationToken);
        }

        var account = await db.Accounts.SingleAsync(a => a.Id == payment.AccountId, cancellationToken);
        var ledger = await AccountLedger.LoadAsync(db, account.Id, cancellationToken);
        var returnable = (await ReturnedPayments.LoadAsync(db, [payment.Id], cancellationToken))[payment.Id];
        var earlierReturns = (await ReturnedPayments.CountInTwelveMonthsAsync(db, [account.Id], today, cancellationToken)).GetValueOrDefault(account.Id);
        var enrollments = await db.AchEnrollments.Where(e => e.AccountId == account.Id && e.Status != AchEnrollmentStatus.Cancelled).ToListAsync(cancellationToken);

        var what = request.Reason == PaymentReturnReason.ChargeBack ? "Card charge back" : "Returned payment";
        var reason = $"{what}: {PaymentReturnReasons.Describe(request.Reason)}, receipt {payment.ReceiptNumber}{(reference is null ? "" : $", bank reference {reference}")}";
        var (reversal, fee) = ReturnedPayments.Post(db, ledger, returnable, settings.CounterReturnFee(request.Reason == PaymentReturnReason.ChargeBack), today, user, reason, now);
        var madeCashOnly = ReturnedPayments.MarkCashOnlyIfDue(db, account, earlierReturns + 1, settings, enrollments, today, user, now);
        await db.SaveChangesAsync(cancellationToken);

        var row = new PaymentReturn
        {
            PaymentId = payment.Id,
            AccountId = account.Id,
            Reason = request.Reason,
            BankReference = reference,
            ReturnedOn = today,
            ReturnedAt = now,
            ReturnedBy = user,
            AmountCents = payment.AmountCents,
            FeeCents = fee?.AmountCents ?? 0,
            ReversalTransactionId = reversal.Id,
            FeeTransactionId = fee?.Id,
            MadeCashOnly = madeCashOnly,
            IdempotencyKey = Idempotency.KeyFor(key, user),
            RequestFingerprint = fingerprint,
        };
        db.PaymentReturns.Add(row);
        AuditLog.Record(db, now, user, "Account", account.Id, account.Id, "Return payment", null,
            new { payment.ReceiptNumber, Reason = request.Reason.ToString(), BankReference = reference, Amount = Money.FromCents(payment.AmountCents).ToPlainString(), ReversalTransactionId = reversal.Id, FeeTransactionId = fee?.Id },
            reason);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another return of this payment (or with this key) committed first: nothing of this one stays.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return await AfterRaceAsync(key, fingerprint, $"Payment {payment.ReceiptNumber} was returned by another request just now; it cannot be returned again.", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new PaymentReturnOutcome(row.Id, payment.ReceiptNumber, account.AccountNumber, Money.FromCents(payment.AmountCents), request.Reason, reference, today,
            Money.FromCents(row.FeeCents), reversal.Id, fee?.Id, Money.FromCents((fee ?? reversal).BalanceAfterCents), madeCashOnly, AlreadyReturned: false);
    }

    private async Task<PaymentReturnOutcome> AfterRaceAsync(RequestKey? key, string fingerprint, string refusal, CancellationToken cancellationToken) =>
        await EarlierAsync(key, fingerprint, cancellationToken) ?? throw new DomainException(refusal, "receipt");

    private static long ParseReceipt(string? receiptNumber)
    {
        var text = (receiptNumber ?? "").Trim();
        return Receipts.TryParse(text, out var paymentId) && paymentId > 0
            ? paymentId
            : throw new DomainException($"'{text}' is not a receipt number (R followed by digits, as printed on the receipt).", "receipt");
    }

    private async Task<Payment> PaymentAsync(long paymentId, CancellationToken cancellationToken) =>
        await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paymentId, cancellationToken)
            ?? throw new DomainException($"There is no payment with receipt number {Receipts.Number(paymentId)}.", "receipt");

    /// <summary>How the payment already came back, or null: a return at the counter, or any reversal of its posting (an ACH return).</summary>
    private async Task<string?> AlreadyReturnedAsync(Payment payment, CancellationToken cancellationToken)
    {
        var earlier = await db.PaymentReturns.AsNoTracking().SingleOrDefaultAsync(r => r.PaymentId == payment.Id, cancellationToken);
        if (earlier is not null)
        {
            return $"was already returned on {earlier.ReturnedOn:yyyy-MM-dd} by {earlier.ReturnedBy} ({PaymentReturnReasons.Describe(earlier.Reason)})";
        }

        var reversal = await ReturnedPayments.ReversalOfAsync(db, payment.FinancialTransactionId, cancellationToken);
        return reversal is null ? null : $"was already reversed on {reversal.EffectiveOn:yyyy-MM-dd} by {reversal.PostedBy} ({reversal.Reason})";
    }

    /// <summary>The return this clerk's <c>Idempotency-Key</c> already made, or null; their key on a different request is refused.</summary>
    private async Task<PaymentReturnOutcome?> EarlierAsync(RequestKey? key, string fingerprint, CancellationToken cancellationToken)
    {
        var earlier = await Idempotency.EarlierAsync(db.PaymentReturns, PaymentReturn.RequestKey, key, r => r, r => r.RequestFingerprint == fingerprint,
            r => $"return (of receipt {Receipts.Number(r.PaymentId)})", cancellationToken);
        if (earlier is null)
        {
            return null;
        }

        var accountNumber = await db.Accounts.Where(a => a.Id == earlier.AccountId).Select(a => a.AccountNumber).SingleAsync(cancellationToken);
        var lastId = earlier.FeeTransactionId ?? earlier.ReversalTransactionId;
        var balanceAfter = await db.FinancialTransactions.Where(t => t.Id == lastId).Select(t => t.BalanceAfterCents).SingleAsync(cancellationToken);
        return new PaymentReturnOutcome(earlier.Id, Receipts.Number(earlier.PaymentId), accountNumber, Money.FromCents(earlier.AmountCents), earlier.Reason, earlier.BankReference, earlier.ReturnedOn,
            Money.FromCents(earlier.FeeCents), earlier.ReversalTransactionId, earlier.FeeTransactionId, Money.FromCents(balanceAfter), earlier.MadeCashOnly, AlreadyReturned: true);
    }
}
