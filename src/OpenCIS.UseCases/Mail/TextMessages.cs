using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Mail;

namespace OpenCIS.UseCases.Mail;

/// <summary>
/// Where text messages go: Twilio's Messages API when <c>OPENCIS_SMS_PROVIDER=twilio</c> (with <c>OPENCIS_TWILIO_ACCOUNT_SID</c>,
/// <c>OPENCIS_TWILIO_AUTH_TOKEN</c> and the sending number <c>OPENCIS_SMS_FROM</c>; <c>OPENCIS_TWILIO_URL</c> for another base
/// address), else the sink: each text written as a file into <c>OPENCIS_SMS_OUTBOX</c> (default <c>data/sms-outbox</c>), the
/// demo's and the tests' phone.
/// </summary>
public sealed record SmsSettings(string Provider, string? AccountSid, string? AuthToken, string? From, Uri TwilioUrl, string OutboxFolder)
{
    public const string Sink = "sink", Twilio = "twilio";

    /// <summary>The most a text may say: two SMS segments of plain text.</summary>
    public const int TextLengthMax = 306;

    public string Describe() => Provider == Twilio ? $"Twilio from {From}" : $"the text-message outbox folder {OutboxFolder}";

    public static SmsSettings FromConfiguration(IConfiguration configuration)
    {
        var provider = (configuration["OPENCIS_SMS_PROVIDER"] ?? Sink).Trim().ToLowerInvariant() switch
        {
            "" or Sink => Sink,
            Twilio => Twilio,
            var other => throw new InvalidOperationException($"OPENCIS_SMS_PROVIDER '{other}' is not sink or twilio."),
        };
        var settings = new SmsSettings(provider, configuration["OPENCIS_TWILIO_ACCOUNT_SID"], configuration["OPENCIS_TWILIO_AUTH_TOKEN"],
            MobileNumbers.Normalize(configuration["OPENCIS_SMS_FROM"]) ?? configuration["OPENCIS_SMS_FROM"],
            new Uri(configuration["OPENCIS_TWILIO_URL"] is { Length: > 0 } url ? url : "https://api.twilio.com/"),
            configuration["OPENCIS_SMS_OUTBOX"] is { Length: > 0 } folder ? folder : "data/sms-outbox");
        if (provider == Twilio && (string.IsNullOrWhiteSpace(settings.AccountSid) || string.IsNullOrWhiteSpace(settings.AuthToken) || string.IsNullOrWhiteSpace(settings.From)))
        {
            throw new InvalidOperationException("OPENCIS_SMS_PROVIDER=twilio needs OPENCIS_TWILIO_ACCOUNT_SID, OPENCIS_TWILIO_AUTH_TOKEN and OPENCIS_SMS_FROM.");
        }

        return settings;
    }
}

/// <summary>A text the provider refused for good (no such number, a number that cannot take texts): not tried again.</summary>
public sealed class TextRefusedException(string message) : Exception(message);

/// <summary>The provider adapter that sends a text message; returns the provider's id for it.</summary>
public interface ISmsSender
{
    Task<string> SendAsync(string toMobile, string text, CancellationToken cancellationToken);
}

/// <summary>The sink: each text a file in the outbox folder (to, then the text), for the demo and the tests to read.</summary>
public sealed class SmsOutboxSink(SmsSettings settings) : ISmsSender
{
    public async Task<string> SendAsync(string toMobile, string text, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(settings.OutboxFolder);
        var id = "sink-" + Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync(Path.Combine(settings.OutboxFolder, $"{id}.txt"), $"To: {toMobile}\n\n{text}\n", cancellationToken);
        return id;
    }
}

/// <summary>
/// Twilio's Messages API: a form POST to <c>/2010-04-01/Accounts/{sid}/Messages.json</c> with To, From and Body under HTTP
/// basic authentication (the account sid and auth token); the answer's <c>sid</c> is the message's id. A 4xx is the number's
/// or the text's fault and is not tried again; anything else is.
/// </summary>
public sealed class TwilioSmsSender(HttpClient http, SmsSettings settings) : ISmsSender
{
    public const string ClientName = "twilio";

    public async Task<string> SendAsync(string toMobile, string text, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.TwilioUrl, $"2010-04-01/Accounts/{Uri.EscapeDataString(settings.AccountSid!)}/Messages.json"))
        {
            Content = new FormUrlEncodedContent([new("To", toMobile), new("From", settings.From!), new("Body", text)]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{settings.AccountSid}:{settings.AuthToken}")));
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            using var answer = JsonDocument.Parse(body);
            return answer.RootElement.GetProperty("sid").GetString() ?? throw new InvalidOperationException("Twilio answered without the message's sid.");
        }

        var said = Said(body);
        var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        throw (int)response.StatusCode is >= 400 and < 500 and not (int)HttpStatusCode.Unauthorized and not (int)HttpStatusCode.TooManyRequests
            ? new TextRefusedException($"Twilio refused the text ({status}): {said}")
            : new HttpRequestException($"Twilio answered {status}: {said}");
    }

    private static string Said(string body)
    {
        try
        {
            using var answer = JsonDocument.Parse(body);
            return answer.RootElement.TryGetProperty("message", out var message) ? message.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body.Length <= 300 ? body : body[..300];
        }
    }
}

/// <summary>
/// Queues a text message on the caller's unit of work, as <see cref="QueueMail"/> does an e-mail: the same outbox, the same
/// sender and retries, the same dedupe key (a text queued again is not queued twice).
/// </summary>
public static class QueueText
{
    /// <summary>Adds the text (the caller saves); false when one of this key exists already.</summary>
    public static async Task<bool> AddAsync(OpenCisDbContext db, string kind, string dedupeKey, long? accountId, string mobile, string toName, string text,
        string user, DateTimeOffset now, CancellationToken cancellationToken, IReadOnlySet<string>? queuedKeys = null)
    {
        var to = MobileNumbers.Normalize(mobile) ?? throw new DomainException($"'{mobile}' is not a mobile number.", "mobile");
        if (string.IsNullOrWhiteSpace(text) || text.Length > SmsSettings.TextLengthMax)
        {
            throw new DomainException($"A text message has 1 to {SmsSettings.TextLengthMax} characters.", "text");
        }

        if (await QueueMail.IsQueuedAsync(db, dedupeKey, queuedKeys, cancellationToken))
        {
            return false;
        }

        db.OutgoingMail.Add(OutgoingMail.QueueText(kind, dedupeKey, accountId, to, toName, text, user, now));
        return true;
    }
}
