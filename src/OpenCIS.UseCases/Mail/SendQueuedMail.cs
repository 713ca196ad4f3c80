using Microsoft.EntityFrameworkCore;
using MailKit.Net.Smtp;
using MimeKit;
using OpenCIS.Core.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Mail;

namespace OpenCIS.UseCases.Mail;

/// <summary>What one pass of the sender did.</summary>
public sealed record MailSendOutcome(int Sent, int Retrying, int Failed, string Message);

/// <summary>
/// Sends the queued mail that is due, oldest first, through the configured transport (SMTP, or the outbox
/// folder in demo mode). Each mail is marked as it goes, so a pass stopped in the middle sends nothing
/// twice; a failed attempt waits longer each time (1, 5, 15, 60 minutes) and after the fifth the mail is
/// Failed, with the server's words, for a person to look at and send again. A recipient the server refuses for good
/// (a 5xx to RCPT TO: no such mailbox) fails the mail at once and marks the account holder's e-mail address failed,
/// so notices and letters go by mail again (<see cref="SkipTracing.Route"/>).
/// </summary>
/// <remarks>Text messages queued beside the mail (<see cref="QueueText"/>) go the same way through the SMS provider (<see cref="ISmsSender"/>); one it refuses for good fails at once.</remarks>
public sealed class SendQueuedMail(OpenCisDbContext db, IMailTransport transport, ISmsSender texts, MailSettings settings, SmsSettings smsSettings, TimeProvider clock)
{
    public const int BatchMax = 500;

    /// <summary>Mails loaded (with their attachments) per query.</summary>
    private const int LoadChunk = 50;

    public async Task<MailSendOutcome> ExecuteAsync(IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        // SQLite cannot compare the stored times, so the queue's times are compared here: the queued rows
        // are few (the sent and failed ones are most) and their ids and times small.
        var dueIds = (await db.OutgoingMail.AsNoTracking()
                .Where(m => m.Status == MailStatus.Queued)
                .Select(m => new { m.Id, m.NextAttemptAt }).ToListAsync(cancellationToken))
            .Where(m => m.NextAttemptAt <= now)
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).Select(m => m.Id).Take(BatchMax).ToList();
        var (sent, retrying, failed) = (0, 0, 0);
        var done = 0;
        var textsDue = 0;
        foreach (var chunk in dueIds.Chunk(LoadChunk))
        {
            var loaded = (await db.OutgoingMail.Include(m => m.Attachments).Where(m => chunk.Contains(m.Id)).ToListAsync(cancellationToken)).ToDictionary(m => m.Id);
            foreach (var id in chunk)
            {
                progress?.Report((done++, dueIds.Count));
                var mail = loaded[id];
                textsDue += mail.Channel == MailChannel.Sms ? 1 : 0;
                if (await SendOneAsync(mail, cancellationToken))
                {
                    sent++;
                }
                else if (mail.Status == MailStatus.Failed)
                {
                    failed++;
                }
                else
                {
                    retrying++;
                }
            }

            db.ChangeTracker.Clear();
        }

        progress?.Report((dueIds.Count, dueIds.Count));
        return new MailSendOutcome(sent, retrying, failed,
            dueIds.Count == 0 ? "No mail was due." : $"Sent {sent} of {dueIds.Count} through {settings.Describe()}{(textsDue > 0 ? $" (the {textsDue} text{(textsDue == 1 ? "" : "s")} through {smsSettings.Describe()})" : "")}; {retrying} to try again later, {failed} failed.");
    }

    /// <summary>Sends one mail and records how it went at once, so a pass stopped after it never sends it again. Returns whether it went.</summary>
    private async Task<bool> SendOneAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var went = false;
        try
        {
            if (mail.Channel == MailChannel.Sms)
            {
                mail.MarkSent(await texts.SendAsync(mail.ToAddress, mail.BodyText, cancellationToken), clock.GetUtcNow());
            }
            else
            {
                using var message = Message(mail);
                mail.MarkSent(await transport.SendAsync(message, cancellationToken), clock.GetUtcNow());
            }

            went = true;
        }
        catch (TextRefusedException refused)
        {
            mail.MarkUndeliverable(refused.Message, clock.GetUtcNow());
        }
        catch (SmtpCommandException refused) when (refused.ErrorCode == SmtpErrorCode.RecipientNotAccepted && SkipTracing.IsPermanentRecipientFailure((int)refused.StatusCode, refusedRecipient: true))
        {
            // The server says the mailbox is not there: trying again would bounce again, and the address on file is bad.
            var now = clock.GetUtcNow();
            mail.MarkUndeliverable(refused.Message, now);
            await MarkAddressFailedAsync(mail, (int)refused.StatusCode, now);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            mail.MarkAttemptFailed(exception.Message, clock.GetUtcNow());
        }

        await db.SaveChangesAsync(CancellationToken.None);
        return went;
    }

    /// <summary>Marks the e-mail address of the account holder failed when it is the address the mail was refused for.</summary>
    private async Task MarkAddressFailedAsync(OutgoingMail mail, int statusCode, DateTimeOffset now)
    {
        if (mail.AccountId is not { } accountId)
        {
            return;
        }

        var holder = await Customers.SkipTrace.HolderOfAsync(db, accountId, CancellationToken.None);
        if (holder?.EmailKey is { } key && key == SearchKeys.Email(mail.ToAddress))
        {
            Customers.SkipTrace.Mark(db, holder, accountId, ContactChannel.Email, DateOnly.FromDateTime(now.UtcDateTime), $"mail refused by the server ({statusCode})", "mail sender", now);
        }
    }

    /// <summary>A failed mail sent again by a person: queued now with its attempts afresh.</summary>
    public async Task RequeueAsync(long mailId, CancellationToken cancellationToken = default)
    {
        var mail = await db.OutgoingMail.SingleOrDefaultAsync(m => m.Id == mailId, cancellationToken)
            ?? throw new Core.Common.DomainException($"There is no mail {mailId}.", "mailId");
        if (mail.Status == MailStatus.Sent)
        {
            throw new Core.Common.DomainException($"Mail {mailId} was sent at {mail.SentAt:yyyy-MM-dd HH:mm} UTC.", "mailId");
        }

        mail.Requeue(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }

    private MimeMessage Message(OutgoingMail mail)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        message.To.Add(new MailboxAddress(mail.ToName, mail.ToAddress));
        message.Subject = mail.Subject;
        message.MessageId = $"{mail.DedupeKey.Replace(':', '.')}.{mail.Id}@{settings.FromAddress.Split('@').Last()}";
        var body = new BodyBuilder { TextBody = mail.BodyText };
        foreach (var attachment in mail.Attachments)
        {
            body.Attachments.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType));
        }

        message.Body = body.ToMessageBody();
        return message;
    }
}
