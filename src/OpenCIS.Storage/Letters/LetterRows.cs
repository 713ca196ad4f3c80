using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage.Collections;

namespace OpenCIS.Storage.Letters;

/// <summary>
/// A letter the utility sent a customer (a welcome, a final-bill letter, a high-bill investigation's result, a dispute
/// decision): to whom and how, its text as rendered from a version of its template in the notice template store,
/// and what it was about. Append-only; its dedupe key (what it is the letter of) makes a retry send nothing twice.
/// </summary>
public sealed class Letter
{
    public const int KindLengthMax = CollectionNoticeTemplate.KindLengthMax;
    public const int KeyLengthMax = 120;
    public const int SubjectLengthMax = 200;

    public long Id { get; private set; }
    public long AccountId { get; private set; }
    public string Kind { get; private set; } = "";
    public string DedupeKey { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public string RecipientName { get; private set; } = "";

    /// <summary>The mailing address, its lines separated by line feeds.</summary>
    public string RecipientAddress { get; private set; } = "";

    public NoticeDelivery Delivery { get; private set; }
    public string? EmailAddress { get; private set; }
    public string Text { get; private set; } = "";
    public long TemplateId { get; private set; }
    public int TemplateVersion { get; private set; }
    public DateOnly LetterDate { get; private set; }
    public string SentBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    public static Letter Create(long accountId, string kind, string dedupeKey, string subject, string recipientName, string recipientAddress, NoticeDelivery delivery,
        string? emailAddress, string text, CollectionNoticeTemplate template, DateOnly date, string sentBy, DateTimeOffset now) => new()
    {
        AccountId = accountId,
        Kind = kind,
        DedupeKey = Cut(dedupeKey, KeyLengthMax),
        Subject = Cut(subject, SubjectLengthMax),
        RecipientName = Cut(recipientName, CollectionNotice.NameLengthMax),
        RecipientAddress = Cut(recipientAddress, CollectionNotice.AddressLengthMax),
        Delivery = delivery,
        EmailAddress = emailAddress,
        Text = text,
        TemplateId = template.Id,
        TemplateVersion = template.Version,
        LetterDate = date,
        SentBy = sentBy,
        CreatedAt = now,
    };

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}

internal static class LettersModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<Letter>(e =>
        {
            e.ToTable("letters");
            e.Property(x => x.Kind).HasMaxLength(Letter.KindLengthMax);
            e.Property(x => x.DedupeKey).HasMaxLength(Letter.KeyLengthMax);
            e.Property(x => x.Subject).HasMaxLength(Letter.SubjectLengthMax);
            e.Property(x => x.RecipientName).HasMaxLength(CollectionNotice.NameLengthMax);
            e.Property(x => x.RecipientAddress).HasMaxLength(CollectionNotice.AddressLengthMax);
            e.Property(x => x.Delivery).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.EmailAddress).HasMaxLength(320);
            e.Property(x => x.SentBy).HasMaxLength(100);
            e.HasIndex(x => x.DedupeKey).IsUnique();
            e.HasIndex(x => x.AccountId);
        });
    }
}
