using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenCIS.Core.Common;

namespace OpenCIS.UseCases.Portal.Processors;

/// <summary>
/// The local test processor, on in demo mode and in the tests: it behaves like Stripe's test mode. A checkout opens its
/// hosted page (<c>/test-processor/checkout/{session}</c>, served by this host but standing for the processor's servers);
/// the page takes only the published test card numbers, never a real one, keeps nothing of the card but its brand and
/// last four digits, and on payment posts a signed <c>checkout.session.completed</c> event to the webhook, as Stripe does,
/// before sending the customer back. Its signature is Stripe's scheme: <c>t=&lt;unix time&gt;,v1=&lt;HMAC-SHA256 of
/// "t.payload"&gt;</c> under the shared secret, in the <see cref="SignatureHeader"/> header.
/// </summary>
public sealed class TestProcessor(TestProcessorSessions sessions, TestProcessorSettings settings, TimeProvider clock) : IPaymentProcessor
{
    public const string ProcessorName = "test";
    public const string SignatureHeader = "OpenCIS-Test-Signature";

    /// <summary>How old a signed event may be when it arrives (Stripe's default tolerance).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public string Name => ProcessorName;

    public Task<CheckoutSession> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        var session = sessions.Open(request, clock.GetUtcNow());
        return Task.FromResult(new CheckoutSession(session.Id, new Uri(request.ReturnUrl, $"/test-processor/checkout/{session.Id}")));
    }

    public ProcessorNotice ReadWebhook(string payload, Func<string, string?> header)
    {
        Verify(payload, header(SignatureHeader), settings.Secret, clock.GetUtcNow());
        try
        {
            var root = JsonNode.Parse(payload)!.AsObject();
            var kind = (string)root["type"]!;
            var session = root["data"]!["object"]!;
            var outcome = kind switch
            {
                "checkout.session.completed" when (string?)session["payment_status"] == "paid" => ProcessorOutcome.Paid,
                "checkout.session.expired" or "checkout.session.async_payment_failed" => ProcessorOutcome.Failed,
                _ => ProcessorOutcome.Other,
            };
            return new ProcessorNotice((string)root["id"]!, kind, outcome, (string?)session["id"], (long?)session["amount_total"] ?? 0, (string?)session["payment_intent"],
                (string?)session["card"]?["brand"], (string?)session["card"]?["last4"], outcome == ProcessorOutcome.Failed ? kind : null);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new WebhookRefusedException($"The event does not parse: {exception.Message}");
        }
    }

    /// <summary>The signature header for <paramref name="payload"/> sent at <paramref name="at"/>.</summary>
    public static string Sign(string payload, string secret, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={timestamp},v1={Hmac(secret, timestamp, payload)}";
    }

    /// <summary>Refuses a payload whose signature is missing, wrong, or older than <see cref="Tolerance"/>.</summary>
    public static void Verify(string payload, string? header, string secret, DateTimeOffset now)
    {
        var parts = (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToLookup(p => p[0], p => p[1]);
        if (!long.TryParse(parts["t"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || !parts["v1"].Any())
        {
            throw new WebhookRefusedException($"The {SignatureHeader} header is missing or malformed.");
        }

        var expected = Encoding.ASCII.GetBytes(Hmac(secret, seconds.ToString(CultureInfo.InvariantCulture), payload));
        if (!parts["v1"].Any(v => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(v), expected)))
        {
            throw new WebhookRefusedException("The signature does not match the payload.");
        }

        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
        {
            throw new WebhookRefusedException("The signature's timestamp is outside the tolerance; a replayed event is refused.");
        }
    }

    private static string Hmac(string secret, string timestamp, string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}")));
}

/// <summary>The test processor's secret for signing webhooks: <c>OPENCIS_TEST_PROCESSOR_SECRET</c>, else the demo's fixed one.</summary>
public sealed record TestProcessorSettings(string Secret)
{
    public const string DemoSecret = "whsec_opencis_demo_test_processor";
}

/// <summary>One checkout on the test processor's page.</summary>
public sealed record TestCheckout(string Id, string AccountNumber, long AmountCents, long FeeCents, string Description, string Language, Uri ReturnUrl, Uri CancelUrl, DateTimeOffset OpenedAt)
{
    public long TotalCents => AmountCents + FeeCents;
}

/// <summary>A test card as the test processor judges it.</summary>
public sealed record TestCard(string Brand, string LastFour, bool Declined);

/// <summary>
/// The test processor's own memory of its open checkouts (a processor's, not OpenCIS's: a restart forgets them, as a
/// session expires) and what its page does when the customer pays: judge the test card, then sign and deliver the event.
/// </summary>
public sealed class TestProcessorSessions(IHttpClientFactory http, TestProcessorSettings settings, TimeProvider clock)
{
    /// <summary>Stripe's published test cards the page accepts; every other number is refused unseen.</summary>
    private static readonly Dictionary<string, TestCard> Cards = new(StringComparer.Ordinal)
    {
        ["4242424242424242"] = new("visa", "4242", Declined: false),
        ["5555555555554444"] = new("mastercard", "4444", Declined: false),
        ["378282246310005"] = new("amex", "0005", Declined: false),
        ["4000000000000002"] = new("visa", "0002", Declined: true),
    };

    private readonly ConcurrentDictionary<string, TestCheckout> open = new(StringComparer.Ordinal);

    public TestCheckout Open(CheckoutRequest request, DateTimeOffset now)
    {
        var checkout = new TestCheckout($"cs_test_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}", request.AccountNumber, request.Amount.Cents, request.Fee.Cents,
            request.Description, request.Language, request.ReturnUrl, request.CancelUrl, now);
        open[checkout.Id] = checkout;
        // A session left on the page expires after a day, as Stripe's do: forgotten, so the memory holds only the day's.
        foreach (var stale in open.Values.Where(c => c.OpenedAt < now - TimeSpan.FromDays(1)).ToList())
        {
            open.TryRemove(stale.Id, out _);
        }

        return checkout;
    }

    public TestCheckout? Find(string sessionId) => open.TryGetValue(sessionId ?? "", out var checkout) ? checkout : null;

    /// <summary>The test card for a typed number (spaces and dashes ignored), or null when it is not one.</summary>
    public static TestCard? Card(string? number) =>
        Cards.TryGetValue(new string((number ?? "").Where(char.IsAsciiDigit).ToArray()), out var card) ? card : null;

    /// <summary>
    /// The customer pays on the page: the event is signed and delivered to the webhook at the return address's host, and the
    /// session closes. Returns the webhook's HTTP status (the page sends the customer back either way, as Stripe's does; a
    /// failed delivery leaves the payment pending, as a late webhook would).
    /// </summary>
    public async Task<int> PayAsync(TestCheckout checkout, TestCard card, CancellationToken cancellationToken)
    {
        if (!open.TryRemove(checkout.Id, out _))
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        var payload = new JsonObject
        {
            ["id"] = $"evt_test_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}",
            ["type"] = "checkout.session.completed",
            ["created"] = now.ToUnixTimeSeconds(),
            ["data"] = new JsonObject
            {
                ["object"] = new JsonObject
                {
                    ["id"] = checkout.Id,
                    ["amount_total"] = checkout.TotalCents,
                    ["payment_status"] = "paid",
                    ["payment_intent"] = $"pi_test_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}",
                    ["card"] = new JsonObject { ["brand"] = card.Brand, ["last4"] = card.LastFour },
                },
            },
        }.ToJsonString();
        return await DeliverAsync(new Uri(checkout.ReturnUrl, "/api/portal/webhooks/test"), payload, cancellationToken);
    }

    /// <summary>Posts a signed event to the webhook, as the processor does (also used to send one again).</summary>
    public async Task<int> DeliverAsync(Uri webhook, string payload, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation(TestProcessor.SignatureHeader, TestProcessor.Sign(payload, settings.Secret, clock.GetUtcNow()));
        try
        {
            using var response = await http.CreateClient(TestProcessor.ProcessorName).SendAsync(request, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }
}
