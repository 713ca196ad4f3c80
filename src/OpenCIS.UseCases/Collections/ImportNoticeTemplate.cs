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
public sealed record NoticeTemplateListing(long Id, string Kind, int Version, int Lines, DateTimeOffset ImportedAt, string ImportedBy);

/// <summary>
/// Adds a version of a notice template from its Liquid text: checked first (<see cref="NoticeTemplates.Check"/>:
/// it parses, and uses only a notice's variables and Liquid's filters; any problem by line and field and nothing
/// is stored), numbered after the kind's last version and audited. The same text again adds nothing.
/// </summary>
public sealed class ImportNoticeTemplate(OpenCisDbContext db, TimeProvider clock)
{
    public async Task<NoticeTemplateImportOutcome> ExecuteAsync(string kindName, string fileName, string text, string user, CancellationToken cancellationToken = default)
    {
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
        var versions = await db.NoticeTemplates.AsNoTracking().Where(t => t.Kind == kind)
            .Select(t => new { t.Id, t.Version, t.Fingerprint }).ToListAsync(cancellationToken);
        var latest = versions.OrderByDescending(v => v.Version).FirstOrDefault();
        if (latest is not null && latest.Fingerprint == fingerprint)
        {
            return new(false, latest.Id, latest.Version, [], $"The {kind} template version {latest.Version} is this same text; nothing changed.");
        }

        var version = latest is null ? 1 : latest.Version + 1;
        var row = CollectionNoticeTemplate.Create(kind, version, text, fingerprint, user, clock.GetUtcNow());
        db.NoticeTemplates.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, clock.GetUtcNow(), user, "NoticeTemplate", row.Id, null, "Import notice template", null, new { row.Kind, row.Version }, $"Imported from {fileName}");
        await db.SaveChangesAsync(cancellationToken);
        return new(true, row.Id, version, [], $"Imported the {kind} template version {version}.");
    }

    public async Task<IReadOnlyList<NoticeTemplateListing>> ListAsync(CancellationToken cancellationToken = default) =>
        (await db.NoticeTemplates.AsNoTracking().ToListAsync(cancellationToken))
            .OrderBy(t => NoticeTemplatesOrder(t.Kind)).ThenByDescending(t => t.Version)
            .Select(t => new NoticeTemplateListing(t.Id, t.Kind, t.Version, t.Text.Count(c => c == '\n') + 1, t.ImportedAt, t.ImportedBy))
            .ToList();

    /// <summary>A version's text (the latest when no version is given), or null.</summary>
    public async Task<CollectionNoticeTemplate?> ExportAsync(string kindName, int? version, CancellationToken cancellationToken = default) =>
        NoticeTemplates.KindOf(kindName) is { } kind
            ? await db.NoticeTemplates.AsNoTracking().Where(t => t.Kind == kind && (version == null || t.Version == version))
                .OrderByDescending(t => t.Version).FirstOrDefaultAsync(cancellationToken)
            : null;

    private static int NoticeTemplatesOrder(string kind) => NoticeTemplates.Kinds.ToList().IndexOf(kind);
}
