using System.Net;
using System.Text;
using OpenCIS.Core.Common;
using OpenCIS.Tests.Mail;
using OpenCIS.UseCases.Portal.Processors;

namespace OpenCIS.Tests.Portal;

/// <summary>
/// The Stripe adapter through Stripe.net: a checkout creates a Checkout Session for the amount and fee (against a local stand-in
/// for Stripe's API, as Stripe.net sends it), and a webhook is read only when Stripe.net's check of its signature passes.
/// </summary>
public sealed class StripeProcessorTests
{
    private const string Secret = "whsec_test_opencis";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_checkout_is_a_checkout_session_for_the_amount_and_fee_with_its_return_addresses()
    {
        var port = TestSmtpServer.FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var served = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var body = WebUtility.UrlDecode(await reader.ReadToEndAsync());
            var answer = Encoding.UTF8.GetBytes("""{"id":"cs_test_a1","object":"checkout.session","url":"https://checkout.stripe.com/c/pay/cs_test_a1","payment_status":"unpaid"}""");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
            return (context.Request.Url!.AbsolutePath, context.Request.Headers["Idempotency-Key"], context.Request.Headers["Authorization"], body);
        });

        var processor = new StripeProcessor(new StripeSettings("sk_test_123", Secret, $"http://127.0.0.1:{port}"), new FixedTime(Now));
        var session = await processor.StartCheckoutAsync(new CheckoutRequest(42, "00000018", Money.FromCents(25_00), Money.FromCents(50), "City utility account 00000018",
            "maria@riverbend.example", "es", new Uri("https://portal.example/portal/payments/42"), new Uri("https://portal.example/portal/accounts/00000018")), CancellationToken.None);

        Assert.Equal(("cs_test_a1", "https://checkout.stripe.com/c/pay/cs_test_a1"), (session.SessionId, session.PageUrl.ToString()));
        var (path, key, authorization, body) = await served;
        Assert.Equal("/v1/checkout/sessions", path);
        Assert.Equal("opencis-online-payment-42", key);
        Assert.Equal("Bearer sk_test_123", authorization);
        foreach (var field in new[] { "mode=payment", "line_items[0][price_data][unit_amount]=2550", "line_items[0][price_data][currency]=usd", "client_reference_id=42",
                     "success_url=https://portal.example/portal/payments/42", "cancel_url=https://portal.example/portal/accounts/00000018", "locale=es", "metadata[account]=00000018" })
        {
            Assert.Contains(field, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_webhook_is_read_only_when_its_signature_is_stripes()
    {
        var processor = new StripeProcessor(new StripeSettings("sk_test_123", Secret, null), new FixedTime(Now));
        var completed = Event("evt_1", "checkout.session.completed", "paid");

        var notice = processor.ReadWebhook(completed, name => name == StripeProcessor.SignatureHeader ? TestProcessor.Sign(completed, Secret, Now) : null);
        Assert.Equal(new ProcessorNotice("evt_1", "checkout.session.completed", ProcessorOutcome.Paid, "cs_test_a1", 25_50, "pi_a1", null, null, null), notice);
        Assert.Equal(ProcessorOutcome.Failed, processor.ReadWebhook(Event("evt_2", "checkout.session.expired", "unpaid"), _ => TestProcessor.Sign(Event("evt_2", "checkout.session.expired", "unpaid"), Secret, Now)).Outcome);
        Assert.Equal(ProcessorOutcome.Other, processor.ReadWebhook(Event("evt_3", "checkout.session.completed", "unpaid"), _ => TestProcessor.Sign(Event("evt_3", "checkout.session.completed", "unpaid"), Secret, Now)).Outcome);

        Assert.Throws<WebhookRefusedException>(() => processor.ReadWebhook(completed, _ => TestProcessor.Sign(completed, "whsec_someone_else", Now)));
        Assert.Throws<WebhookRefusedException>(() => processor.ReadWebhook(completed, _ => TestProcessor.Sign(completed, Secret, Now.AddMinutes(-10))));
        Assert.Throws<WebhookRefusedException>(() => processor.ReadWebhook(completed.Replace("2550", "1", StringComparison.Ordinal), _ => TestProcessor.Sign(completed, Secret, Now)));
        Assert.Throws<WebhookRefusedException>(() => processor.ReadWebhook(completed, _ => null));
    }

    private static string Event(string id, string type, string paymentStatus) =>
        "{\"id\":\"" + id + "\",\"object\":\"event\",\"api_version\":\"2020-08-27\",\"created\":1795000000,\"type\":\"" + type + "\",\"data\":{\"object\":"
        + "{\"id\":\"cs_test_a1\",\"object\":\"checkout.session\",\"amount_total\":2550,\"currency\":\"usd\",\"payment_status\":\"" + paymentStatus + "\",\"payment_intent\":\"pi_a1\"}}}";

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
