using Microsoft.EntityFrameworkCore;

namespace OpenCIS.Storage.Mail;

/// <summary>How a message reaches the customer: e-mail (SMTP), or a text message (the SMS provider) to a mobile number.</summary>
public enum MailChannel
{
    Email,
    Sms,
}

public enum MailStatus
{
    /// <summary>Waiting to be sent (again, after a failed attempt, from <see cref="OutgoingMail.NextAttemptAt"/>).</summary>
    Queued,
    Sent,

    /// <summary>Given up on after the last attempt; a person may send it again.</summary>
    Failed,
}

/// <summary>
/// One e-mail the utility sends a customer (a notice, a letter, a receipt): queued in the same transaction
/// as the work that produced it, sent later by the mail sender through SMTP (or into the outbox folder in
/// demo mode), and kept with how its sending went. <see cref="DedupeKey"/> names what it is of
/// ("notice:42"), so the work that queues it, run again, never queues it twice.
/// </summary>
public sealed class OutgoingMail
{
    public const int AttemptsMax = 5;
    public const int SubjectLengthMax = 300;
    public const int AddressLengthMax = 320;
    public const int ErrorLengthMax = 2000;

    public long Id { get; private set; }

    /// <summary>What kind of mail: <c>Notice</c>, <c>Letter</c>, <c>Test</c>.</summary>
    public string Kind { get; private set; } = "";

    /// <summary>E-mail, or a text message whose <see cref="ToAddress"/> is a mobile number (E.164) and <see cref="BodyText"/> the text.</summary>
    public MailChannel Channel { get; private set; } = MailChannel.Email;

    public string DedupeKey { get; private set; } = "";
    public long? AccountId { get; private set; }
    public string ToAddress { get; private set; } = "";
    public string ToName { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public string BodyText { get; private set; } = "";
    public MailStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset QueuedAt { get; private set; }
    public string QueuedBy { get; private set; } = "";
    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }

    /// <summary>The Message-ID the mail went out with.</summary>
    public string? MessageId { get; private set; }

    public List<OutgoingMailAttachment> Attachments { get; private set; } = [];

    public static OutgoingMail Queue(string kind, string dedupeKey, long? accountId, string toAddress, string toName, string subject, string bodyText, string queuedBy, DateTimeOffset now) => new()
    {
        Kind = kind,
        DedupeKey = dedupeKey,
        AccountId = accountId,
        ToAddress = toAddress,
        ToName = toName,
        Subject = subject.Length <= SubjectLengthMax ? subject : subject[..SubjectLengthMax],
        BodyText = bodyText,
        Status = MailStatus.Queued,
        QueuedAt = now,
        QueuedBy = queuedBy,
        NextAttemptAt = now,
    };

    /// <summary>A text message to <paramref name="mobile"/> (E.164, "+15415550123"), sent by the SMS provider like mail by SMTP.</summary>
    public static OutgoingMail QueueText(string kind, string dedupeKey, long? accountId, string mobile, string toName, string text, string queuedBy, DateTimeOffset now)
    {
        var row = Queue(kind, dedupeKey, accountId, mobile, toName, "Text message", text, queuedBy, now);
        row.Channel = MailChannel.Sms;
        return row;
    }

    public void Attach(string fileName, string contentType, byte[] content) =>
        Attachments.Add(new OutgoingMailAttachment { FileName = fileName, ContentType = contentType, Content = content });

    internal void MarkSent(string messageId, DateTimeOffset now)
    {
        Status = MailStatus.Sent;
        Attempts++;
        SentAt = now;
        MessageId = messageId;
        LastError = null;
    }

    /// <summary>An attempt failed: tried again later, with a longer wait each time, until the last attempt.</summary>
    internal void MarkAttemptFailed(string error, DateTimeOffset now)
    {
        Attempts++;
        LastError = error.Length <= ErrorLengthMax ? error : error[..ErrorLengthMax];
        if (Attempts >= AttemptsMax)
        {
            Status = MailStatus.Failed;
            return;
        }

        NextAttemptAt = now + RetryAfter(Attempts);
    }

    /// <summary>The server refused the recipient for good: failed now, with no attempts left to wait for.</summary>
    internal void MarkUndeliverable(string error, DateTimeOffset now)
    {
        Attempts++;
        LastError = error.Length <= ErrorLengthMax ? error : error[..ErrorLengthMax];
        Status = MailStatus.Failed;
        NextAttemptAt = now;
    }

    /// <summary>A person sends a failed mail again: it gets its attempts afresh.</summary>
    internal void Requeue(DateTimeOffset now)
    {
        Status = MailStatus.Queued;
        Attempts = 0;
        NextAttemptAt = now;
    }

    /// <summary>1, 5, 15 and 60 minutes after the first, second, third and fourth failed attempts.</summary>
    public static TimeSpan RetryAfter(int attempts) => TimeSpan.FromMinutes(attempts switch { 1 => 1, 2 => 5, 3 => 15, _ => 60 });
}

public sealed class OutgoingMailAttachment
{
    public long Id { get; init; }
    public long MailId { get; init; }
    public string FileName { get; init; } = "";
    public string ContentType { get; init; } = "";
    public byte[] Content { get; init; } = [];
}

internal static class MailModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<OutgoingMail>(e =>
        {
            e.ToTable("outgoing_mail");
            e.Property(x => x.Kind).HasMaxLength(40);
            e.Property(x => x.DedupeKey).HasMaxLength(200);
            e.Property(x => x.ToAddress).HasMaxLength(OutgoingMail.AddressLengthMax);
            e.Property(x => x.ToName).HasMaxLength(200);
            e.Property(x => x.Subject).HasMaxLength(OutgoingMail.SubjectLengthMax);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Channel).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.LastError).HasMaxLength(OutgoingMail.ErrorLengthMax);
            e.Property(x => x.QueuedBy).HasMaxLength(100);
            e.Property(x => x.MessageId).HasMaxLength(300);
            e.HasIndex(x => x.DedupeKey).IsUnique();
            e.HasIndex(x => new { x.Status, x.NextAttemptAt });
            e.HasIndex(x => x.AccountId);
            e.HasMany(x => x.Attachments).WithOne().HasForeignKey(a => a.MailId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<OutgoingMailAttachment>(e =>
        {
            e.ToTable("outgoing_mail_attachments");
            e.Property(x => x.FileName).HasMaxLength(260);
            e.Property(x => x.ContentType).HasMaxLength(100);
            e.HasIndex(x => x.MailId);
        });
    }
}
