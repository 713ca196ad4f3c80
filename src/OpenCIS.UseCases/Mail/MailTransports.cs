using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace OpenCIS.UseCases.Mail;

/// <summary>Hands one message on; what it returns is the Message-ID it went with.</summary>
public interface IMailTransport
{
    Task<string> SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>Sends through the utility's SMTP server with MailKit, one connection per batch of mail.</summary>
public sealed class SmtpMailTransport(MailSettings settings) : IMailTransport, IAsyncDisposable
{
    private SmtpClient? client;

    public async Task<string> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var connected = await ConnectedAsync(cancellationToken);
        await connected.SendAsync(message, cancellationToken);
        return message.MessageId ?? "";
    }

    private async Task<SmtpClient> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (client is { IsConnected: true })
        {
            return client;
        }

        client?.Dispose();
        client = new SmtpClient();
        var options = settings.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTlsWhenAvailable,
        };
        await client.ConnectAsync(settings.SmtpHost ?? throw new InvalidOperationException("OPENCIS_SMTP_HOST is not set."), settings.SmtpPort, options, cancellationToken);
        if (!string.IsNullOrEmpty(settings.User))
        {
            await client.AuthenticateAsync(settings.User, settings.Password ?? "", cancellationToken);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (client is null)
        {
            return;
        }

        if (client.IsConnected)
        {
            await client.DisconnectAsync(true);
        }

        client.Dispose();
    }
}

/// <summary>Writes each message as an .eml file into the outbox folder: mail in demo mode, readable by any mail program.</summary>
public sealed class OutboxFolderTransport(MailSettings settings) : IMailTransport
{
    public async Task<string> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(settings.OutboxFolder);
        var messageId = message.MessageId ?? Guid.NewGuid().ToString("N");
        var name = string.Concat(messageId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
        await message.WriteToAsync(Path.Combine(settings.OutboxFolder, $"{name}.eml"), cancellationToken);
        return messageId;
    }
}
