using Microsoft.EntityFrameworkCore;

namespace OpenCIS.Storage.Collections;

/// <summary>
/// One version of a notice template (the Liquid text a notice of one kind is written from), kept whole. A
/// change is a new version numbered after the kind's last; versions are never changed, so a notice can
/// always be traced to the text it was rendered from.
/// </summary>
public sealed class CollectionNoticeTemplate
{
    public const int KindLengthMax = 30;
    public const int TextLengthMax = 20_000;

    public long Id { get; private set; }

    /// <summary>The notice kind: reminder, final_notice, owner_notice or door_hanger.</summary>
    public string Kind { get; private set; } = "";

    /// <summary>
    /// The language the template is written in ("en", "es"): a customer's notices and letters are written from the
    /// template of their language, and from the English one where the store has none in it.
    /// </summary>
    public string Language { get; private set; } = English;

    public const string English = "en";
    public const int LanguageLengthMax = 5;

    /// <summary>The version within the kind and language.</summary>
    public int Version { get; private set; }
    public string Text { get; private set; } = "";

    /// <summary>SHA-256 of the text, hex: saving the same text again adds no version.</summary>
    public string Fingerprint { get; private set; } = "";

    public DateTimeOffset ImportedAt { get; private set; }
    public string ImportedBy { get; private set; } = "";

    public static CollectionNoticeTemplate Create(string kind, string language, int version, string text, string fingerprint, string importedBy, DateTimeOffset now) => new()
    {
        Kind = kind,
        Language = language,
        Version = version,
        Text = text,
        Fingerprint = fingerprint,
        ImportedAt = now,
        ImportedBy = importedBy,
    };
}

/// <summary>How a notice reaches its recipient.</summary>
public enum NoticeDelivery
{
    /// <summary>Printed and mailed: it goes in the day's print-vendor file.</summary>
    Mail,

    /// <summary>E-mailed with its PDF attached, to a customer who chose e-mail.</summary>
    Email,

    /// <summary>
    /// Hung on the door by the field crew (a door hanger): printed in the day's door-hanger PDF by route, never
    /// mailed or e-mailed, whatever the customer chose, because its point is that someone went to the premise.
    /// </summary>
    Field,

    /// <summary>
    /// Not sent: mail came back from the recipient's address and there is no working e-mail address to use instead.
    /// It stays on the account for a collector to read out and sends once the address is corrected.
    /// </summary>
    Held,
}

/// <summary>
/// A notice produced from a collections event (a reminder, a final notice, its copy to the owner, a door hanger): who it
/// went to and how, the figures it printed and its text as rendered from a template version. Append-only:
/// one per event, so producing a day's notices again adds nothing.
/// </summary>
public sealed class CollectionNotice
{
    public const int NameLengthMax = 200;
    public const int AddressLengthMax = 400;

    public long Id { get; private set; }
    public long AccountId { get; private set; }
    public long CollectionEventId { get; private set; }
    public DateOnly BusinessDate { get; private set; }
    public string Kind { get; private set; } = "";
    public string RecipientName { get; private set; } = "";

    /// <summary>The mailing address, its lines separated by line feeds (street, then city, state and ZIP).</summary>
    public string RecipientAddress { get; private set; } = "";

    public NoticeDelivery Delivery { get; private set; }
    public string? EmailAddress { get; private set; }
    public long PastDueCents { get; private set; }
    public DateOnly? EarliestDisconnectOn { get; private set; }
    public string Text { get; private set; } = "";
    public long TemplateId { get; private set; }
    public int TemplateVersion { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public static CollectionNotice Create(long accountId, long eventId, DateOnly date, string kind, string recipientName, string recipientAddress,
        NoticeDelivery delivery, string? emailAddress, long pastDueCents, DateOnly? earliestDisconnectOn, string text, CollectionNoticeTemplate template, DateTimeOffset now) => new()
    {
        AccountId = accountId,
        CollectionEventId = eventId,
        BusinessDate = date,
        Kind = kind,
        RecipientName = Cut(recipientName, NameLengthMax),
        RecipientAddress = Cut(recipientAddress, AddressLengthMax),
        Delivery = delivery,
        EmailAddress = emailAddress,
        PastDueCents = pastDueCents,
        EarliestDisconnectOn = earliestDisconnectOn,
        Text = text,
        TemplateId = template.Id,
        TemplateVersion = template.Version,
        CreatedAt = now,
    };

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}

internal static class NoticesModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<CollectionNoticeTemplate>(e =>
        {
            e.ToTable("collection_notice_templates");
            e.Property(x => x.Kind).HasMaxLength(CollectionNoticeTemplate.KindLengthMax);
            e.Property(x => x.Text).HasMaxLength(CollectionNoticeTemplate.TextLengthMax);
            e.Property(x => x.Language).HasMaxLength(CollectionNoticeTemplate.LanguageLengthMax);
            e.Property(x => x.Fingerprint).HasMaxLength(64);
            e.Property(x => x.ImportedBy).HasMaxLength(100);
            e.HasIndex(x => new { x.Kind, x.Language, x.Version }).IsUnique();
        });
        builder.Entity<CollectionNotice>(e =>
        {
            e.ToTable("collection_notices");
            e.Property(x => x.Kind).HasMaxLength(CollectionNoticeTemplate.KindLengthMax);
            e.Property(x => x.RecipientName).HasMaxLength(CollectionNotice.NameLengthMax);
            e.Property(x => x.RecipientAddress).HasMaxLength(CollectionNotice.AddressLengthMax);
            e.Property(x => x.Delivery).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.EmailAddress).HasMaxLength(320);
            e.HasIndex(x => x.CollectionEventId).IsUnique();
            e.HasIndex(x => x.BusinessDate);
            e.HasIndex(x => x.AccountId);
        });
    }
}
