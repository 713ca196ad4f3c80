using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;
using OpenCIS.Storage.Mail;

namespace OpenCIS.UseCases.Mail;

public sealed record MailSummary(long Id, string Kind, string? AccountNumber, string ToAddress, string Subject, string Status, int Attempts, string? LastError, DateTimeOffset QueuedAt, DateTimeOffset? SentAt);

public sealed record MailAttachmentSummary(long Id, string FileName, string ContentType, int Bytes);

public sealed record MailDetail(MailSummary Summary, string ToName, string BodyText, string QueuedBy, string? MessageId, DateTimeOffset NextAttemptAt, IReadOnlyList<MailAttachmentSummary> Attachments);

/// <summary>The sent mail screen and API: the newest mail first, by status or account; one mail with its body and attachments.</summary>
public sealed class MailQueries(OpenCisDbContext db)
{
    public const int RecentMax = 500;

    public async Task<IReadOnlyList<MailSummary>> RecentAsync(MailStatus? status = null, string? accountNumber = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        var mail = db.OutgoingMail.AsNoTracking();
        if (status is { } wanted)
        {
            mail = mail.Where(m => m.Status == wanted);
        }

        if (!string.IsNullOrWhiteSpace(accountNumber))
        {
            var accountId = await db.Accounts.Where(a => a.AccountNumber == accountNumber.Trim()).Select(a => (long?)a.Id).SingleOrDefaultAsync(cancellationToken);
            mail = mail.Where(m => m.AccountId == accountId);
        }

        return await Summaries(mail.OrderByDescending(m => m.Id).Take(Math.Clamp(limit, 1, RecentMax))).ToListAsync(cancellationToken);
    }

    public async Task<MailDetail?> MailAsync(long id, CancellationToken cancellationToken = default)
    {
        var summary = await Summaries(db.OutgoingMail.AsNoTracking().Where(m => m.Id == id)).SingleOrDefaultAsync(cancellationToken);
        if (summary is null)
        {
            return null;
        }

        var rest = await db.OutgoingMail.AsNoTracking().Where(m => m.Id == id)
            .Select(m => new { m.ToName, m.BodyText, m.QueuedBy, m.MessageId, m.NextAttemptAt }).SingleAsync(cancellationToken);
        var attachments = await db.Set<OutgoingMailAttachment>().AsNoTracking().Where(a => a.MailId == id).OrderBy(a => a.Id)
            .Select(a => new MailAttachmentSummary(a.Id, a.FileName, a.ContentType, a.Content.Length)).ToListAsync(cancellationToken);
        return new MailDetail(summary, rest.ToName, rest.BodyText, rest.QueuedBy, rest.MessageId, rest.NextAttemptAt, attachments);
    }

    public async Task<MailAttachment?> AttachmentAsync(long mailId, long attachmentId, CancellationToken cancellationToken = default) =>
        await db.Set<OutgoingMailAttachment>().AsNoTracking().Where(a => a.MailId == mailId && a.Id == attachmentId)
            .Select(a => new MailAttachment(a.FileName, a.ContentType, a.Content)).SingleOrDefaultAsync(cancellationToken);

    private IQueryable<MailSummary> Summaries(IQueryable<OutgoingMail> mail) =>
        from m in mail
        join a in db.Accounts on m.AccountId equals a.Id into accounts
        from a in accounts.DefaultIfEmpty()
        select new MailSummary(m.Id, m.Kind, a == null ? null : a.AccountNumber, m.ToAddress, m.Subject, m.Status.ToString(), m.Attempts, m.LastError, m.QueuedAt, m.SentAt);
}
