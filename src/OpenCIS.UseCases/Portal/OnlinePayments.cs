using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Core.Portal;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Portal;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Portal.Processors;

namespace OpenCIS.UseCases.Portal;

/// <summary>A checkout begun: the online payment (pending) and the processor's page to send the customer to.</summary>
public sealed record CheckoutStarted(long OnlinePaymentId, Money Amount, Money Fee, Uri PageUrl);

/// <summary>What a webhook event came to.</summary>
public sealed record WebhookOutcome(bool Posted, string Outcome);

/// <summary>
/// Card payments made in the portal. <see cref="StartAsync"/> records the payment as pending and opens the processor's hosted
/// page; nothing posts then. <see cref="ApplyAsync"/> takes the processor's signed webhook: the payment posts once, when the
/// processor confirms it, under the account's lock, with the event kept by its id in the same transaction, so a retried or
/// replayed event (or a second event for the same session) posts nothing more. The receipt is e-mailed.
/// </summary>
public sealed class OnlinePayments(
    OpenCisDbContext db,
    PaymentProcessors processors,
    PaymentBatchPoster poster,
    PortalMail mail,
    OpenCIS.UseCases.Billing.BillSettings utility,
    BusinessCalendar calendar,
    TimeProvider clock,
    ILogger<OnlinePayments> logger)
{
    /// <summary>Who posted a portal payment, on its row and in the ledger.</summary>
    public const string Cashier = "portal";

    /// <summary>
    /// Starts a card payment on one of the login's accounts; the processor sends the customer back to <paramref name="returnBase"/>
    /// followed by the online payment's id, or to <paramref name="cancelUrl"/> when they leave its page.
    /// </summary>
    public async Task<CheckoutStarted> StartAsync(string portalUserId, string accountNumber, string amountText, long? billId, Uri returnBase, Uri cancelUrl, CancellationToken cancellationToken = default)
    {
        var accountId = await PortalAccess.AccountIdAsync(db, portalUserId, accountNumber, cancellationToken);
        var amount = Amount(amountText);

        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == accountId, cancellationToken);
        if (account.Status == AccountStatus.Closed)
        {
            throw new PortalException("ErrorClosed", "accountNumber");
        }

        if (billId is { } bill && !await db.Bills.AnyAsync(b => b.Id == bill && b.AccountId == accountId, cancellationToken))
        {
            throw new PortalNotFoundException($"Bill {bill}");
        }

        var user = await db.PortalUsers.AsNoTracking().SingleAsync(u => u.Id == portalUserId, cancellationToken);
        var processor = processors.ForCheckout;
        var fee = processors.Fee.For(amount);
        var payment = new OnlinePayment
        {
            Processor = processor.Name,
            SessionId = $"pending-{Guid.NewGuid():N}",
            PortalUserId = portalUserId,
            AccountId = accountId,
            BillId = billId,
            AmountCents = amount.Cents,
            FeeCents = fee.Cents,
            StartedAt = clock.GetUtcNow(),
        };
        db.OnlinePayments.Add(payment);
        await db.SaveChangesAsync(cancellationToken);

        var description = PortalText.Get(user.Language, "CheckoutDescription", account.AccountNumber);
        CheckoutSession session;
        try
        {
            session = await processor.StartCheckoutAsync(
                new CheckoutRequest(payment.Id, account.AccountNumber, amount, fee, description, user.Email!, user.Language,
                    new Uri(returnBase, payment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), cancelUrl), cancellationToken);
        }
        catch (Exception exception) when (exception is not PortalException and not OperationCanceledException)
        {
            // The processor could not open its page: nothing was charged, and the payment is not left pending.
            logger.LogError(exception, "Processor {Processor} could not start a checkout for online payment {Id}.", processor.Name, payment.Id);
            payment.MarkFailed($"the processor could not start the checkout: {exception.Message}", clock.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
            throw new PortalException("ErrorNoProcessor");
        }

        payment.SessionId = session.SessionId;
        AuditLog.Record(db, clock.GetUtcNow(), PortalLogins.Actor(user.Email!), "OnlinePayment", payment.Id, accountId, "Start online payment", null,
            new { Amount = amount.ToPlainString(), Fee = fee.ToPlainString(), processor.Name, session.SessionId }, "customer self-service");
        await db.SaveChangesAsync(cancellationToken);
        return new CheckoutStarted(payment.Id, amount, fee, session.PageUrl);
    }

    /// <summary>
    /// The amount a customer asks to pay online, by card or e-check alike: dollars and cents, at least a cent, and no more than
    /// any one payment may be (the counter's limit; more goes through finance).
    /// </summary>
    public static Money Amount(string? amountText)
    {
        if (!Money.TryParse(amountText, out var amount) || !amount.IsPositive)
        {
            throw new PortalException("ErrorAmount", "amount");
        }

        return amount.Cents <= TakePayment.MaximumPaymentCents ? amount : throw new PortalException("ErrorAmountTooLarge", "amount", Money.FromCents(TakePayment.MaximumPaymentCents));
    }

    /// <summary>Acts on one verified processor event: posts a confirmed payment once, marks a failed one, and keeps every event by its id.</summary>
    public async Task<WebhookOutcome> ApplyAsync(string processorName, ProcessorNotice notice, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.ProcessorEvents.AnyAsync(e => e.Processor == processorName && e.EventId == notice.EventId, cancellationToken))
        {
            return new WebhookOutcome(false, $"event {notice.EventId} was received before; nothing done");
        }

        var payment = notice.SessionId is { } sessionId
            ? await db.OnlinePayments.AsNoTracking().SingleOrDefaultAsync(p => p.Processor == processorName && p.SessionId == sessionId, cancellationToken)
            : null;
        string outcome;
        var posted = false;
        if (payment is null)
        {
            outcome = notice.Outcome == ProcessorOutcome.Other ? $"{notice.Kind}: not acted on" : $"unknown session {notice.SessionId}; ignored";
            if (notice.Outcome != ProcessorOutcome.Other)
            {
                logger.LogWarning("Processor {Processor} sent {Kind} event {EventId} for session {SessionId}, which is no online payment of ours; ignored.",
                    processorName, notice.Kind, notice.EventId, notice.SessionId);
            }
        }
        else
        {
            await AccountLocks.LockAccountAsync(db, payment.AccountId, cancellationToken);
            payment = await db.OnlinePayments.SingleAsync(p => p.Id == payment.Id, cancellationToken);
            (outcome, posted) = await ActAsync(payment, notice, cancellationToken);
        }

        db.ProcessorEvents.Add(new ProcessorEvent
        {
            Processor = processorName,
            EventId = notice.EventId,
            Kind = notice.Kind,
            ReceivedAt = clock.GetUtcNow(),
            OnlinePaymentId = payment?.Id,
            Outcome = outcome.Length <= 300 ? outcome : outcome[..300],
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            if (await SameEventKeptAsync(processorName, notice.EventId))
            {
                // The same event delivered twice at once: the other delivery kept (and acted on) it.
                return new WebhookOutcome(false, $"event {notice.EventId} was received before; nothing done");
            }

            throw;
        }

        await transaction.CommitAsync(cancellationToken);
        if (posted)
        {
            await mail.SendSoonAsync(CancellationToken.None);
        }

        return new WebhookOutcome(posted, outcome);
    }

    private async Task<(string Outcome, bool Posted)> ActAsync(OnlinePayment payment, ProcessorNotice notice, CancellationToken cancellationToken)
    {
        switch (notice.Outcome)
        {
            case ProcessorOutcome.Paid when payment.Status == OnlinePaymentStatus.Posted:
                return ($"online payment {payment.Id} was posted before (payment {payment.PaymentId}); nothing done", false);
            case ProcessorOutcome.Paid when notice.AmountCents != payment.AmountCents + payment.FeeCents:
                logger.LogError("Processor {Processor} confirmed {Paid} cents for online payment {Id}, which was for {Expected}; not posted.",
                    payment.Processor, notice.AmountCents, payment.Id, payment.AmountCents + payment.FeeCents);
                return ($"confirmed {Money.FromCents(notice.AmountCents)}, not the {Money.FromCents(payment.AmountCents + payment.FeeCents)} asked; not posted", false);
            case ProcessorOutcome.Paid:
                return ($"posted payment {await PostAsync(payment, notice, cancellationToken)}", true);
            case ProcessorOutcome.Failed when payment.Status == OnlinePaymentStatus.Pending:
                payment.MarkFailed(notice.FailureReason ?? notice.Kind, clock.GetUtcNow());
                return ($"online payment {payment.Id} failed: {notice.FailureReason ?? notice.Kind}", false);
            default:
                return ($"{notice.Kind}: not acted on (online payment {payment.Id} is {payment.Status})", false);
        }
    }

    private async Task<long> PostAsync(OnlinePayment online, ProcessorNotice notice, CancellationToken cancellationToken)
    {
        var brand = Clip(notice.CardBrand, 20);
        var lastFour = notice.CardLastFour is { Length: 4 } four && four.All(char.IsAsciiDigit) ? four : null;
        var reference = Clip($"{brand ?? "card"} {lastFour ?? ""}".Trim(), 50);
        var payments = await poster.AddAsync([new PaymentInstruction(online.AccountId, Money.FromCents(online.AmountCents), calendar.Today(), Tender.Card, PaymentSource.Online, reference)],
            Cashier, null, cancellationToken);
        var payment = payments[0];
        // The payment's id comes with the save; the online payment is marked in the same transaction.
        await db.SaveChangesAsync(cancellationToken);
        var now = clock.GetUtcNow();
        online.MarkPosted(payment.Id, Clip(notice.Reference, 200), brand, lastFour, now);
        var user = await db.PortalUsers.AsNoTracking().SingleAsync(u => u.Id == online.PortalUserId, cancellationToken);
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == online.AccountId, cancellationToken);
        AuditLog.Record(db, now, PortalLogins.Actor(user.Email!), "Payment", payment.Id, online.AccountId, "Online payment", null,
            new { payment.ReceiptNumber, Amount = Money.FromCents(online.AmountCents).ToPlainString(), online.Processor, notice.Reference, Card = reference }, "confirmed by the processor");
        await mail.QueueAsync("Receipt", $"portal-receipt:{online.Id}", online.AccountId, user.Email!, user.DisplayName, user.Language,
            [user.DisplayName, Money.FromCents(online.AmountCents), account.AccountNumber, payment.ReceiptNumber, PortalText.Date(user.Language, payment.ReceivedOn), reference,
                Money.FromCents(payment.Transaction!.BalanceAfterCents)], cancellationToken);
        if (user is { TextAlerts: true, PhoneNumberConfirmed: true, PhoneNumber: { } mobile })
        {
            await mail.QueueTextAsync("Receipt", $"portal-receipt-text:{online.Id}", online.AccountId, mobile, user.DisplayName, user.Language,
                [utility.UtilityName, Money.FromCents(online.AmountCents), account.AccountNumber, payment.ReceiptNumber], cancellationToken);
        }

        return payment.Id;
    }

    private async Task<bool> SameEventKeptAsync(string processorName, string eventId)
    {
        db.ChangeTracker.Clear();
        return await db.ProcessorEvents.AnyAsync(e => e.Processor == processorName && e.EventId == eventId);
    }

    private static string? Clip(string? text, int length) => text is null ? null : text.Length <= length ? text : text[..length];
}

/// <summary>
/// The processors the host knows, by name (for their webhooks), the one new checkouts go to (<c>OPENCIS_PAYMENT_PROCESSOR</c>:
/// <c>test</c>, the default in demo mode, or <c>stripe</c>), and the convenience fee (<c>OPENCIS_PORTAL_FEE_FLAT</c>,
/// <c>OPENCIS_PORTAL_FEE_PERCENT</c>; none by default: the utility absorbs the cost).
/// </summary>
public sealed class PaymentProcessors(IEnumerable<IPaymentProcessor> all, PortalSettings settings)
{
    private readonly Dictionary<string, IPaymentProcessor> byName = all.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public IPaymentProcessor ForCheckout => Find(settings.Processor) ?? throw new PortalException("ErrorNoProcessor");

    public ConvenienceFee Fee => settings.Fee;

    public IPaymentProcessor? Find(string name) => byName.GetValueOrDefault(name ?? "");
}
