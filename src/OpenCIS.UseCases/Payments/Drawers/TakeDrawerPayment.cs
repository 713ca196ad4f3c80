using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments.Drawers;
using OpenCIS.Storage.Payments;

namespace OpenCIS.UseCases.Payments.Drawers;

/// <summary><paramref name="Confirmed"/>: the cashier confirmed what <see cref="CounterChecks"/> asks (a large overpayment, reportable cash).
/// <paramref name="InvoiceNumber"/>: an invoice paid by its number, which the payment pays first (the account number may then be left empty).</summary>
public sealed record DrawerPaymentRequest(string AccountNumber, Money Amount, IReadOnlyList<TenderPart> Tenders, string? IdempotencyKey, bool Confirmed = false, long? InvoiceNumber = null);

/// <summary>The counter's settings: above how much credit a payment needs the cashier's confirmation (<c>OPENCIS_OVERPAYMENT_CONFIRM_ABOVE</c>, dollars).</summary>
public sealed record CounterSettings(Money OverpaymentConfirmAbove)
{
    public static CounterSettings FromConfiguration(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var text = configuration["OPENCIS_OVERPAYMENT_CONFIRM_ABOVE"];
        return string.IsNullOrWhiteSpace(text) ? new(CounterChecks.DefaultOverpaymentLimit)
            : Money.TryParse(text, out var limit) && !limit.IsNegative ? new(limit)
            : throw new InvalidOperationException($"OPENCIS_OVERPAYMENT_CONFIRM_ABOVE must be an amount in dollars such as 500.00; it is '{text}'.");
    }
}

public sealed record DrawerReceipt(
    long PaymentId, string ReceiptNumber, long DrawerId, string Cashier, string AccountNumber, Money Amount, Money Tendered, Money ChangeDue,
    IReadOnlyList<TenderPart> Tenders, DateOnly ReceivedOn, DateTimeOffset ReceivedAt, Money NewBalance, bool AlreadyPosted);

/// <summary>
/// A cashier takes a counter payment into their open drawer: one or more tenders, change from cash,
/// posted through the ledger like every payment. No open drawer, no payment.
/// </summary>
public sealed class TakeDrawerPayment(OpenCisDbContext db, PaymentBatchPoster poster, CounterSettings settings, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<DrawerReceipt> ExecuteAsync(DrawerPaymentRequest request, string cashier, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Amount.Cents > TakePayment.MaximumPaymentCents)
        {
            throw new DomainException($"A single payment cannot exceed {Money.FromCents(TakePayment.MaximumPaymentCents)}.", "amount");
        }

        var decided = DrawerRules.DecideTender(request.Amount, request.Tenders);
        for (var index = 0; index < request.Tenders.Count; index++)
        {
            var part = request.Tenders[index];
            if (part.Reference is { Length: > 50 })
            {
                throw new DomainException("A reference can be at most 50 characters.", $"tenders[{index}].reference");
            }

            if (part.Tender == Tender.Check && string.IsNullOrWhiteSpace(part.Reference))
            {
                throw new DomainException("A check needs its check number.", $"tenders[{index}].reference");
            }
        }

        var key = Idempotency.CheckKey(request.IdempotencyKey, cashier);
        var fingerprint = Fingerprint(request);
        if (await DrawerQueries.ReceiptByKeyAsync(db, key, fingerprint, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var drawer = await db.DrawerSessions.AsNoTracking().SingleOrDefaultAsync(d => d.Cashier == cashier && d.Status == DrawerStatus.Open, cancellationToken)
            ?? throw new DomainException($"{cashier} has no open drawer; open one before taking payments.", "drawer");
        var accountNumber = request.InvoiceNumber is { } invoice ? await CounterPayments.AccountOfInvoiceAsync(db, request.AccountNumber, invoice, cancellationToken) : request.AccountNumber;
        var account = await CounterPayments.PayableAccountAsync(db, accountNumber, request.Tenders.Any(t => t.Tender == Tender.Check), "tenders", cancellationToken);
        if (!request.Confirmed)
        {
            var balance = Money.FromCents(await db.OpenItems.Where(o => o.AccountId == account.Id).SumAsync(o => o.OpenCents, cancellationToken));
            var cash = Money.Sum(decided.Kept.Where(p => p.Tender == Tender.Cash).Select(p => p.Amount));
            if (CounterChecks.ToConfirm(request.Amount, balance, cash, settings.OverpaymentConfirmAbove) is { Count: > 0 } toConfirm)
            {
                throw new DomainException(string.Join(" ", toConfirm) + " Confirm to post it.", "confirmed");
            }
        }

        var receivedOn = calendar.Today();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Closing locks the same row, so a payment racing a close either lands before the count or is refused.
        if (!await DrawerQueries.LockOpenDrawerAsync(db, drawer.Id, cancellationToken))
        {
            throw new DomainException($"Drawer {drawer.Id} is closed and takes no payment.", "drawer");
        }

        await AccountLocks.LockAccountAsync(db, account.Id, cancellationToken);
        // The payment's own tender is its largest part; the parts themselves are in payment_tenders.
        var main = decided.Kept.OrderByDescending(p => p.Amount).First();
        var checkNumbers = string.Join(",", decided.Kept.Where(p => p.Tender == Tender.Check).Select(p => p.Reference));
        var instruction = new PaymentInstruction(account.Id, request.Amount, receivedOn, main.Tender, PaymentSource.Counter, checkNumbers.Length == 0 ? main.Reference : Truncate(checkNumbers), request.InvoiceNumber);
        var payment = (await poster.AddAsync([instruction], cashier, null, cancellationToken))[0];
        var entry = db.Entry(payment);
        entry.Property(p => p.IdempotencyKey).CurrentValue = Idempotency.KeyFor(key, payment.Cashier);
        entry.Property(p => p.RequestFingerprint).CurrentValue = fingerprint;
        entry.Property(p => p.DrawerSessionId).CurrentValue = drawer.Id;
        entry.Property(p => p.ChangeDueCents).CurrentValue = decided.ChangeDue.Cents;
        // Another request of this cashier's with the same key may have won the race: then answer with its receipt.
        if (await Idempotency.SaveOrFindEarlierAsync(db, transaction, key, () => DrawerQueries.ReceiptByKeyAsync(db, key, fingerprint, cancellationToken), "payment", cancellationToken) is { } raced)
        {
            return raced;
        }

        db.PaymentTenders.AddRange(decided.Kept.Select(p => new PaymentTender
        {
            PaymentId = payment.Id,
            DrawerSessionId = drawer.Id,
            Tender = p.Tender,
            AmountCents = p.Amount.Cents,
            Reference = p.Reference,
            CardToken = p.CardToken,
            CardLastFour = p.CardLastFour,
        }));
        AuditLog.Record(db, clock.GetUtcNow(), cashier, "Payment", payment.Id, account.Id, "Take drawer payment", null,
            new { payment.ReceiptNumber, DrawerId = drawer.Id, Amount = request.Amount.ToPlainString(), ChangeDue = decided.ChangeDue.ToPlainString(), Tenders = decided.Kept.Select(p => new { p.Tender, Amount = p.Amount.ToPlainString(), p.Reference, p.CardLastFour }) },
            "Counter payment");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new DrawerReceipt(payment.Id, payment.ReceiptNumber, drawer.Id, cashier, account.AccountNumber, request.Amount, decided.Tendered, decided.ChangeDue,
            decided.Kept, receivedOn, payment.ReceivedAt, Money.FromCents(payment.Transaction!.BalanceAfterCents), AlreadyPosted: false);
    }

    private static string Truncate(string text) => text.Length <= 50 ? text : text[..50];

    private static string Fingerprint(DrawerPaymentRequest request)
    {
        var tenders = string.Join(";", request.Tenders.Select(t => $"{t.Tender}:{t.Amount.Cents}:{t.Reference}:{t.CardToken}:{t.CardLastFour}"));
        return request.InvoiceNumber is { } invoice
            ? Idempotency.Fingerprint(request.AccountNumber, request.Amount.Cents, tenders, invoice)
            : Idempotency.Fingerprint(request.AccountNumber, request.Amount.Cents, tenders);
    }
}
