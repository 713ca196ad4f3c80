using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace OpenCIS.UseCases.Mail;

/// <summary>How SMTP is reached: the server's connection security.</summary>
public enum SmtpSecurity
{
    /// <summary>STARTTLS when the server offers it.</summary>
    Auto,
    None,
    StartTls,
    SslOnConnect,
}

/// <summary>
/// Where customer e-mail goes: the SMTP server in <c>OPENCIS_SMTP_HOST</c> (with <c>OPENCIS_SMTP_PORT</c>,
/// <c>OPENCIS_SMTP_SECURITY</c> auto|none|starttls|ssl, <c>OPENCIS_SMTP_USER</c> and <c>OPENCIS_SMTP_PASSWORD</c>),
/// from <c>OPENCIS_SMTP_FROM</c> (and <c>OPENCIS_SMTP_FROM_NAME</c>). Without a host, mail is written as .eml
/// files to the outbox folder <c>OPENCIS_MAIL_OUTBOX</c> (default <c>data/outbox</c>): the demo's "sent" mail.
/// </summary>
public sealed record MailSettings(string? SmtpHost, int SmtpPort, SmtpSecurity Security, string? User, string? Password, string FromAddress, string FromName, string OutboxFolder)
{
    public const string DefaultOutboxFolder = "data/outbox";

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(SmtpHost);

    /// <summary>Where mail goes, in words, for the screens.</summary>
    public string Describe() => UsesSmtp ? $"SMTP {SmtpHost}:{SmtpPort.ToString(CultureInfo.InvariantCulture)}" : $"the outbox folder {OutboxFolder}";

    public static MailSettings FromConfiguration(IConfiguration configuration)
    {
        var port = configuration["OPENCIS_SMTP_PORT"] is { Length: > 0 } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and < 65536
                ? value
                : throw new InvalidOperationException($"OPENCIS_SMTP_PORT '{text}' is not a port number.")
            : 25;
        var security = (configuration["OPENCIS_SMTP_SECURITY"] ?? "auto").Trim().ToLowerInvariant() switch
        {
            "auto" or "" => SmtpSecurity.Auto,
            "none" => SmtpSecurity.None,
            "starttls" => SmtpSecurity.StartTls,
            "ssl" or "tls" => SmtpSecurity.SslOnConnect,
            var other => throw new InvalidOperationException($"OPENCIS_SMTP_SECURITY '{other}' is not auto, none, starttls or ssl."),
        };
        return new MailSettings(
            configuration["OPENCIS_SMTP_HOST"],
            port,
            security,
            configuration["OPENCIS_SMTP_USER"],
            configuration["OPENCIS_SMTP_PASSWORD"],
            configuration["OPENCIS_SMTP_FROM"] is { Length: > 0 } from ? from : "billing@riverbend.example",
            configuration["OPENCIS_SMTP_FROM_NAME"] is { Length: > 0 } name ? name : "City of Riverbend Utilities",
            configuration["OPENCIS_MAIL_OUTBOX"] is { Length: > 0 } folder ? folder : DefaultOutboxFolder);
    }
}
