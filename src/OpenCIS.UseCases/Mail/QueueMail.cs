using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Mail;

namespace OpenCIS.UseCases.Mail;

/// <summary>A file sent with a mail (a notice's PDF).</summary>
public sealed record MailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>One e-mail to queue: what it is of (<paramref name="DedupeKey"/>), to whom, and what it says.</summary>
public sealed record MailToQueue(string Kind, string DedupeKey, long? AccountId, string ToAddress, string ToName, string Subject, string BodyText, IReadOnlyList<MailAttachment> Attachments);

/// <summary>
/// Queues customer e-mail on the caller's unit of work, so it commits with the work that produced it (a
/// notice and its mail, or neither). A mail whose dedupe key is already queued or sent is not queued again:
/// work run again for the same day queues nothing twice. The sender (<see cref="SendQueuedMail"/>) sends it.
/// </summary>
public static class QueueMail
{
    /// <summary>
    /// Adds the mail to <paramref name="db"/> (the caller saves); false when a mail of this key exists already. A batch that
    /// queues many passes <paramref name="queuedKeys"/>, the keys of its chunk already in the outbox
    /// (<see cref="QueuedKeysAsync"/>), instead of a lookup per mail.
    /// </summary>
    public static async Task<bool> AddAsync(OpenCisDbContext db, MailToQueue mail, string user, DateTimeOffset now, CancellationToken cancellationToken,
        IReadOnlySet<string>? queuedKeys = null)
    {
        Validate(mail);
        if (await IsQueuedAsync(db, mail.DedupeKey, queuedKeys, cancellationToken))
        {
            return false;
        }

        var row = OutgoingMail.Queue(mail.Kind, mail.DedupeKey, mail.AccountId, mail.ToAddress.Trim(), mail.ToName, mail.Subject, mail.BodyText, user, now);
        foreach (var attachment in mail.Attachments)
        {
            row.Attach(attachment.FileName, attachment.ContentType, attachment.Content);
        }

        db.OutgoingMail.Add(row);
        return true;
    }

    /// <summary>Whether a message of <paramref name="dedupeKey"/> is in the outbox, or added to it on this unit of work.</summary>
    internal static async Task<bool> IsQueuedAsync(OpenCisDbContext db, string dedupeKey, IReadOnlySet<string>? queuedKeys, CancellationToken cancellationToken) =>
        db.OutgoingMail.Local.Any(m => m.DedupeKey == dedupeKey)
        || (queuedKeys is not null ? queuedKeys.Contains(dedupeKey) : await db.OutgoingMail.AnyAsync(m => m.DedupeKey == dedupeKey, cancellationToken));

    /// <summary>Which of <paramref name="keys"/> the outbox holds already (queued or sent), in one query.</summary>
    public static async Task<IReadOnlySet<string>> QueuedKeysAsync(OpenCisDbContext db, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        keys.Count == 0
            ? new HashSet<string>(StringComparer.Ordinal)
            : (await db.OutgoingMail.AsNoTracking().Where(m => keys.Contains(m.DedupeKey)).Select(m => m.DedupeKey).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="address"/> is an e-mail address a mail can be queued to.</summary>
    public static bool IsAddress(string? address) =>
        MimeKit.MailboxAddress.TryParse(address?.Trim() ?? "", out var parsed) && parsed.Address.Contains('@', StringComparison.Ordinal);

    private static void Validate(MailToQueue mail)
    {
        if (!IsAddress(mail.ToAddress))
        {
            throw new DomainException($"'{mail.ToAddress}' is not an e-mail address.", "toAddress");
        }

        if (string.IsNullOrWhiteSpace(mail.Subject))
        {
            throw new DomainException("A mail needs a subject.", "subject");
        }

        if (string.IsNullOrWhiteSpace(mail.DedupeKey) || mail.DedupeKey.Length > 200)
        {
            throw new DomainException("A mail's dedupe key has 1 to 200 characters.", "dedupeKey");
        }
    }
}
