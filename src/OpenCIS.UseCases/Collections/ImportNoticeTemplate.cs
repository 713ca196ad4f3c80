using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.UseCases.Collections;

public sealed record NoticeTemplateImportOutcome(bool Imported, long? TemplateId, int? Version, IReadOnlyList<FileError> Errors, string Message);

/// <summary>One stored version of a notice template, for lists.</summary>
public sealed record NoticeTemplateListing(long Id, string Kind, int Version, int Lines, DateTimeOffset ImportedAt, string ImportedBy, string Language = CollectionNoticeTemplate.English);

/// <summary>
/// Adds a version of a notice template from its Liquid text: checked first (<see cref="NoticeTemplates.Check"/>:
/// it parses, and uses only a notice's variables and Liquid's filters; any problem by line and field and nothing
/// is stored), written in a language (English, Spanish: a customer's notices and letters come from their language's
/// template), numbered after the last version of its kind and language, and audited. The same text again adds nothing.
/// </summary>
public sealed class ImportNoticeTemplate(OpenCisDbContext db, TimeProvider clock)
{
    /// <summary>The languages a template may be written in.</summary>
    public static IReadOnlyList<string> Languages => Portal.PortalText.Languages;

    /// <summary>Adds an English version.</summary>
    public Task<NoticeTemplateImportOutcome> ExecuteAsync(string kindName, string fileName, string text, string user, CancellationToken cancellationToken = default) =>
        ExecuteAsync(kindName, CollectionNoticeTemplate.English, fileName, text, user, cancellationToken);

    public async Task<NoticeTemplateImportOutcome> ExecuteAsync(string kindName, string languageName, string fileName, string text, string user, CancellationToken cancellationToken = default)
    {
        if (LanguageOf(languageName) is not { } language)
        {
            FileError[] unknown = [new FileError(fileName, 1, "language", $"'{languageName}' is not a template language; the languages are {string.Join(", ", Languages)}.")];
            return new(false, null, null, unknown, $"{fileName}: unknown language '{languageName}'; nothing was imported.");
        }

        if (NoticeTemplates.KindOf(kindName) is not { } kind)
        {
            FileError[] unknown = [new FileError(fileName, 1, "kind", $"'{kindName}' is not a notice kind; the kinds are {string.Join(", ", NoticeTemplates.Kinds)}.")];
            return new(false, null, null, unknown, $"{fileName}: unknown notice kind '{kindName}'; nothing was imported.");
        }

        var errors = NoticeTemplates.Check(fileName, text, kind);
        if (errors.Count > 0)
        {
            return new(false, null, null, errors, $"{fileName} has {errors.Count} problem{(errors.Count == 1 ? "" : "s")}; nothing was imported.");
        }

        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var versions = await db.NoticeTemplates.AsNoTracking().Where(t => t.Kind == kind && t.Language == language)
            .Select(t => new { t.Id, t.Version, t.Fingerprint }).ToListAsync(cancellationToken);
        var latest = versions.OrderByDescending(v => v.Version).FirstOrDefault();
        if (latest is not null && latest.Fingerprint == fingerprint)
        {
            return new(false, latest.Id, latest.Version, [], $"The {Name(kind, language)} template version {latest.Version} is this same text; nothing changed.");
        }

        var version = latest is null ? 1 : latest.Version + 1;
        var row = CollectionNoticeTemplate.Create(kind, language, version, text, fingerprint, user, clock.GetUtcNow());
        db.NoticeTemplates.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, clock.GetUtcNow(), user, "NoticeTemplate", row.Id, null, "Import notice template", null, new { row.Kind, row.Language, row.Version }, $"Imported from {fileName}");
        await db.SaveChangesAsync(cancellationToken);
        return new(true, row.Id, version, [], $"Imported the {Name(kind, language)} template version {version}.");
    }

    public async Task<IReadOnlyList<NoticeTemplateListing>> ListAsync(CancellationToken cancellationToken = default) =>
        (await db.NoticeTemplates.AsNoTracking().ToListAsync(cancellationToken))
            .OrderBy(t => NoticeTemplatesOrder(t.Kind)).ThenBy(t => LanguageOrder(t.Language)).ThenByDescending(t => t.Version)
            .Select(t => new NoticeTemplateListing(t.Id, t.Kind, t.Version, t.Text.Count(c => c == '\n') + 1, t.ImportedAt, t.ImportedBy, t.Language))
            .ToList();

    /// <summary>An English version's text (the latest when no version is given), or null.</summary>
    public Task<CollectionNoticeTemplate?> ExportAsync(string kindName, int? version, CancellationToken cancellationToken = default) =>
        ExportAsync(kindName, version, CollectionNoticeTemplate.English, cancellationToken);

    /// <summary>A version's text in a language (the latest when no version is given), or null.</summary>
    public async Task<CollectionNoticeTemplate?> ExportAsync(string kindName, int? version, string languageName, CancellationToken cancellationToken = default) =>
        NoticeTemplates.KindOf(kindName) is { } kind && LanguageOf(languageName) is { } language
            ? await db.NoticeTemplates.AsNoTracking().Where(t => t.Kind == kind && t.Language == language && (version == null || t.Version == version))
                .OrderByDescending(t => t.Version).FirstOrDefaultAsync(cancellationToken)
            : null;

    /// <summary>The language named ("es", "ES"), in its stored form, or null when templates are not written in it.</summary>
    public static string? LanguageOf(string? name) => Languages.FirstOrDefault(l => string.Equals(l, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>A template as messages name it: "final_notice", "final_notice (es)".</summary>
    public static string Name(string kind, string language) => language == CollectionNoticeTemplate.English ? kind : $"{kind} ({language})";

    private static int NoticeTemplatesOrder(string kind) => NoticeTemplates.Kinds.ToList().IndexOf(kind);

    private static int LanguageOrder(string language) => Languages.ToList().IndexOf(language);
}
