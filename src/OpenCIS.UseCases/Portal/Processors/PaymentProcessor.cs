using OpenCIS.Core.Common;

namespace OpenCIS.UseCases.Portal.Processors;

/// <summary>What the processor's hosted page is to collect: the amount with its fee, for which account, and where to send the customer after.</summary>
public sealed record CheckoutRequest(long OnlinePaymentId, string AccountNumber, Money Amount, Money Fee, string Description, string CustomerEmail, string Language, Uri ReturnUrl, Uri CancelUrl)
{
    public Money Total => Amount + Fee;
}

/// <summary>The processor's session for one payment: its id (by which its webhook names it) and the hosted page to send the customer to.</summary>
public sealed record CheckoutSession(string SessionId, Uri PageUrl);

public enum ProcessorOutcome
{
    /// <summary>The processor took the payment: post it.</summary>
    Paid,

    /// <summary>The payment failed or the session expired: nothing to post.</summary>
    Failed,

    /// <summary>An event the portal does not act on; kept and acknowledged.</summary>
    Other,
}

/// <summary>One webhook event, its signature verified: what happened to which session, with only the card's brand and last four digits.</summary>
public sealed record ProcessorNotice(string EventId, string Kind, ProcessorOutcome Outcome, string? SessionId, long AmountCents, string? Reference, string? CardBrand, string? CardLastFour, string? FailureReason);

/// <summary>A webhook the processor did not send: a bad or missing signature, a stale timestamp, a body that does not parse.</summary>
public sealed class WebhookRefusedException(string reason) : Exception(reason);

/// <summary>
/// A card processor behind the portal's Pay button: it opens a hosted payment page for a checkout (the card is typed there,
/// never into OpenCIS) and tells OpenCIS how it went by signed webhooks. <see cref="TestProcessor"/> is the local one for
/// the demo and the tests; <see cref="StripeProcessor"/> is Stripe Checkout.
/// </summary>
public interface IPaymentProcessor
{
    /// <summary>The name in the webhook's path (<c>/api/portal/webhooks/{name}</c>) and on the online payment.</summary>
    string Name { get; }

    Task<CheckoutSession> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken);

    /// <summary>Verifies the webhook's signature and reads its event; throws <see cref="WebhookRefusedException"/> when it is not the processor's.</summary>
    ProcessorNotice ReadWebhook(string payload, Func<string, string?> header);
}
