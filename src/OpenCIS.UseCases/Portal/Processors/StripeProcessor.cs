using System.Globalization;
using Stripe;
using Stripe.Checkout;

namespace OpenCIS.UseCases.Portal.Processors;

/// <summary>
/// Stripe's settings: the secret API key (<c>OPENCIS_STRIPE_SECRET_KEY</c>), the webhook endpoint's signing secret
/// (<c>OPENCIS_STRIPE_WEBHOOK_SECRET</c>), and, for tests against a local stand-in, the API's base address (<c>OPENCIS_STRIPE_API_BASE</c>).
/// </summary>
public sealed record StripeSettings(string SecretKey, string WebhookSecret, string? ApiBase);

/// <summary>
/// Stripe Checkout through Stripe.net: a checkout is a Checkout Session in payment mode for the amount and fee in one line,
/// whose hosted page takes the card; its webhook (<c>/api/portal/webhooks/stripe</c>) is verified by Stripe.net's
/// <see cref="EventUtility"/> against the endpoint's signing secret before anything is read. A completed session whose
/// payment is paid posts; an asynchronous payment that succeeds later posts then; one that fails, or a session that
/// expires, marks the payment failed. The card's brand and last four digits stay with Stripe (a session's event does not
/// carry them); the payment keeps Stripe's payment intent as its reference.
/// </summary>
public sealed class StripeProcessor(StripeSettings settings, TimeProvider clock) : IPaymentProcessor
{
    public const string ProcessorName = "stripe";
    public const string SignatureHeader = "Stripe-Signature";

    public string Name => ProcessorName;

    public async Task<CheckoutSession> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        var client = new StripeClient(settings.SecretKey, apiBase: settings.ApiBase);
        var reference = request.OnlinePaymentId.ToString(CultureInfo.InvariantCulture);
        var session = await new SessionService(client).CreateAsync(new SessionCreateOptions
        {
            Mode = "payment",
            SuccessUrl = request.ReturnUrl.ToString(),
            CancelUrl = request.CancelUrl.ToString(),
            CustomerEmail = request.CustomerEmail,
            ClientReferenceId = reference,
            Locale = request.Language == "es" ? "es" : "en",
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = "usd",
                        UnitAmount = request.Total.Cents,
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = request.Description },
                    },
                },
            ],
            Metadata = new Dictionary<string, string> { ["online_payment"] = reference, ["account"] = request.AccountNumber, ["fee_cents"] = request.Fee.Cents.ToString(CultureInfo.InvariantCulture) },
        }, new RequestOptions { IdempotencyKey = $"opencis-online-payment-{reference}" }, cancellationToken);
        return new CheckoutSession(session.Id, new Uri(session.Url));
    }

    public ProcessorNotice ReadWebhook(string payload, Func<string, string?> header)
    {
        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(payload, header(SignatureHeader) ?? "", settings.WebhookSecret,
                tolerance: (long)TestProcessor.Tolerance.TotalSeconds, utcNow: clock.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (StripeException refused)
        {
            throw new WebhookRefusedException($"Stripe's signature check refused the event: {refused.Message}");
        }

        if (stripeEvent.Data?.Object is not Session session)
        {
            return new ProcessorNotice(stripeEvent.Id, stripeEvent.Type, ProcessorOutcome.Other, null, 0, null, null, null, null);
        }

        var outcome = stripeEvent.Type switch
        {
            EventTypes.CheckoutSessionCompleted when session.PaymentStatus == "paid" => ProcessorOutcome.Paid,
            EventTypes.CheckoutSessionAsyncPaymentSucceeded => ProcessorOutcome.Paid,
            EventTypes.CheckoutSessionAsyncPaymentFailed or EventTypes.CheckoutSessionExpired => ProcessorOutcome.Failed,
            _ => ProcessorOutcome.Other,
        };
        return new ProcessorNotice(stripeEvent.Id, stripeEvent.Type, outcome, session.Id, session.AmountTotal ?? 0, session.PaymentIntentId, null, null,
            outcome == ProcessorOutcome.Failed ? stripeEvent.Type : null);
    }
}
