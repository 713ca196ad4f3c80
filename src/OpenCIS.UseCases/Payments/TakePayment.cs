using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments;

namespace OpenCIS.UseCases.Payments;

/// <summary>A payment to an account, or to an invoice by its number (<paramref name="InvoiceNumber"/>; the account number may then be left empty), which it pays first.</summary>
public sealed record TakePaymentRequest(string AccountNumber, Money Amount, Tender Tender, string? Reference, PaymentSource Source, string? IdempotencyKey, long? InvoiceNumber = null);

public sealed record PaymentReceipt(long PaymentId, string ReceiptNumber, string AccountNumber, Money Amount, Tender Tender, DateOnly ReceivedOn, Money NewBalance, bool AlreadyPosted);

/// <summary>
/// A cashier or the API takes one payment. With an idempotency key, the same cashier's repeat of the
/// same request returns the first receipt and posts nothing; their key with a different request is
/// refused; another cashier's request under the same key is a payment of its own.
/// </summary>
public sealed class TakePayment(OpenCisDbContext db, PaymentBatchPoster poster, BusinessCalendar calendar, TimeProvider clock)
{
    public const long MaximumPaymentCents = 100_000_000; // $1,000,000: larger receipts go through finance, not the counter.

    public async Task<PaymentReceipt> ExecuteAsync(TakePaymentRequest request, string cashier, CancellationToken cancellationToken = default)
    {
        Check(request.Amount, request.Tender, request.Reference);
        if (request.Tender == Tender.Cash)
        {
            // Cash is counted: it enters through a cashier's open drawer, so the blind count and deposit see it.
            throw new DomainException("Cash is taken into a cashier's open drawer (the Cashier screen, or POST /api/drawers/current/payments), where the drawer's count accounts for it.", "tender");
        }

        var key = Idempotency.CheckKey(request.IdempotencyKey, cashier);
        var fingerprint = request.InvoiceNumber is { } invoiceNumber
            ? Idempotency.Fingerprint(request.AccountNumber, request.Amount.Cents, request.Tender, request.Reference, request.Source, invoiceNumber)
            : Idempotency.Fingerprint(request.AccountNumber, request.Amount.Cents, request.Tender, request.Reference, request.Source);
        if (await FindByKeyAsync(key, fingerprint, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var accountNumber = request.InvoiceNumber is { } invoice ? await CounterPayments.AccountOfInvoiceAsync(db, request.AccountNumber, invoice, cancellationToken) : request.AccountNumber;
        var account = await CounterPayments.PayableAccountAsync(db, accountNumber, request.Tender == Tender.Check, "tender", cancellationToken);

        var receivedOn = calendar.Today();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountLocks.LockAccountAsync(db, account.Id, cancellationToken);
        var instruction = new PaymentInstruction(account.Id, request.Amount, receivedOn, request.Tender, request.Source, request.Reference, request.InvoiceNumber);
        var payments = await poster.AddAsync([instruction], cashier, null, cancellationToken);
        var payment = payments[0];
        db.Entry(payment).Property(p => p.IdempotencyKey).CurrentValue = Idempotency.KeyFor(key, payment.Cashier);
        db.Entry(payment).Property(p => p.RequestFingerprint).CurrentValue = fingerprint;
        // Another request of this cashier's with the same key may have won the race: then answer with its receipt.
        if (await Idempotency.SaveOrFindEarlierAsync(db, transaction, key, () => FindByKeyAsync(key, fingerprint, cancellationToken), "payment", cancellationToken) is { } raced)
        {
            return raced;
        }

        AuditLog.Record(db, clock.GetUtcNow(), cashier, "Payment", payment.Id, account.Id, "Take payment", null,
            new { payment.ReceiptNumber, Amount = request.Amount.ToPlainString(), request.Tender, request.Reference }, $"{request.Source} payment");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // The balance right after this payment, as posted; other payments may follow it at once.
        return new PaymentReceipt(payment.Id, payment.ReceiptNumber, account.AccountNumber, request.Amount, request.Tender, receivedOn, Money.FromCents(payment.Transaction!.BalanceAfterCents), AlreadyPosted: false);
    }

    /// <summary>
    /// One payment into the caller's unit of work, with the same checks as the counter's (amount, tender and its
    /// reference, an account that is open and takes the tender), for a workflow that already holds the account's
    /// lock and its own once-only guard: the field's "paid at the door" posts here, in the transaction that completes
    /// its order, so the order and its payment commit together or not at all. The caller saves and commits.
    /// </summary>
    public async Task<Payment> AddAsync(Account account, Money amount, Tender tender, string? reference, PaymentSource source, string cashier, CancellationToken cancellationToken = default)
    {
        Check(amount, tender, reference);
        await CounterPayments.PayableAccountAsync(db, account.AccountNumber, tender == Tender.Check, "tender", cancellationToken);
        var payments = await poster.AddAsync([new PaymentInstruction(account.Id, amount, calendar.Today(), tender, source, reference)], cashier, null, cancellationToken);
        return payments[0];
    }

    private static void Check(Money amount, Tender tender, string? reference)
    {
        if (!amount.IsPositive)
        {
            throw new DomainException("The amount must be more than zero.", "amount");
        }

        if (amount.Cents > MaximumPaymentCents)
        {
            throw new DomainException($"A single payment cannot exceed {Money.FromCents(MaximumPaymentCents)}.", "amount");
        }

        if (reference is { Length: > 50 })
        {
            throw new DomainException("The reference can be at most 50 characters.", "reference");
        }

        if (CardNumbers.LooksLikeCardNumber(reference))
        {
            throw new DomainException($"The reference {CardNumbers.Refusal}.", "reference");
        }

        if (tender == Tender.Check && string.IsNullOrWhiteSpace(reference))
        {
            throw new DomainException("A check payment needs the check number as its reference.", "reference");
        }
    }

    private async Task<PaymentReceipt?> FindByKeyAsync(RequestKey? key, string fingerprint, CancellationToken cancellationToken)
    {
        var earlier = await CounterPayments.EarlierAsync(db, key, fingerprint, cancellationToken);
        if (earlier is null)
        {
            return null;
        }

        var accountNumber = await db.Accounts.Where(a => a.Id == earlier.AccountId).Select(a => a.AccountNumber).SingleAsync(cancellationToken);
        var balanceAfter = await db.FinancialTransactions.Where(t => t.Id == earlier.FinancialTransactionId).Select(t => t.BalanceAfterCents).SingleAsync(cancellationToken);
        return new PaymentReceipt(earlier.Id, earlier.ReceiptNumber, accountNumber, Money.FromCents(earlier.AmountCents), earlier.Tender, earlier.ReceivedOn, Money.FromCents(balanceAfter), AlreadyPosted: true);
    }
}
