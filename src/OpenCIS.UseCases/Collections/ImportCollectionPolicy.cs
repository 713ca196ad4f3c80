using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.UseCases.Collections;

public sealed record CollectionPolicyImportOutcome(bool Imported, long? PolicyId, int? Version, IReadOnlyList<FileError> Errors, string Message);

/// <summary>One stored version of a collection policy, for lists.</summary>
public sealed record CollectionPolicyListing(long Id, string Code, int Version, string Name, DateOnly EffectiveFrom, string AccountClasses, string DebtTypes, DateTimeOffset ImportedAt, string ImportedBy);

/// <summary>
/// Adds a version of a collection policy from its YAML: checked whole (every problem by line and field; any
/// problem and nothing is stored), kept as written (comments and all), numbered after the code's last version,
/// and audited. Versions are never changed; the same text imported again adds nothing.
/// </summary>
public sealed class ImportCollectionPolicy(OpenCisDbContext db, TimeProvider clock)
{
    public async Task<CollectionPolicyImportOutcome> ExecuteAsync(string fileName, string yaml, string user, CancellationToken cancellationToken = default)
    {
        Core.Collections.CollectionPolicy policy;
        try
        {
            policy = CollectionPolicyYaml.Read(yaml, fileName);
        }
        catch (CollectionFileException exception)
        {
            return new(false, null, null, exception.Errors, $"{fileName} has {exception.Errors.Count} problem{(exception.Errors.Count == 1 ? "" : "s")}; nothing was imported.");
        }

        var nul = yaml.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            return new(false, null, null, [new FileError(fileName, yaml.AsSpan(0, nul).Count('\n') + 1, "file", "holds a NUL character: is this a binary file, or text in UTF-16 rather than UTF-8?")], $"{fileName} is not text; nothing was imported.");
        }

        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)));
        var versions = await db.CollectionPolicies.AsNoTracking().Where(p => p.Code == policy.Code)
            .Select(p => new { p.Id, p.Version, p.Fingerprint }).ToListAsync(cancellationToken);
        if (versions.FirstOrDefault(v => v.Fingerprint == fingerprint) is { } same)
        {
            return new(false, same.Id, same.Version, [], $"{policy.Code} version {same.Version} is this same text; nothing changed.");
        }

        var version = versions.Count == 0 ? 1 : versions.Max(v => v.Version) + 1;
        var row = CollectionPolicyVersion.Create(policy, version, yaml, fingerprint, user, clock.GetUtcNow());
        // What the listing keeps beside the text must fit its columns (PostgreSQL holds them to it; SQLite would not).
        var tooLong = new List<FileError>();
        foreach (var (field, value, limit) in new[] { ("code", row.Code, CollectionPolicyVersion.CodeLengthMax), ("name", row.Name, CollectionPolicyVersion.NameLengthMax),
            ("account_classes", row.AccountClasses, CollectionPolicyVersion.ListLengthMax), ("debt_types", row.DebtTypes, CollectionPolicyVersion.ListLengthMax) })
        {
            if (value.Length > limit)
            {
                tooLong.Add(new FileError(fileName, 0, field, $"is {value.Length:N0} characters; at most {limit:N0}"));
            }
        }

        if (tooLong.Count > 0)
        {
            return new(false, null, null, tooLong, $"{fileName} has {tooLong.Count} problem{(tooLong.Count == 1 ? "" : "s")}; nothing was imported.");
        }

        db.CollectionPolicies.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, clock.GetUtcNow(), user, "CollectionPolicy", row.Id, null, "Import collection policy", null,
            new { row.Code, row.Version, row.EffectiveFrom, Steps = policy.Steps.Length }, $"Imported from {fileName}");
        await db.SaveChangesAsync(cancellationToken);
        return new(true, row.Id, version, [], $"Imported {policy.Code} ({policy.Name}) version {version}, effective {policy.EffectiveFrom:yyyy-MM-dd}: {policy.Steps.Length} steps.");
    }

    public async Task<IReadOnlyList<CollectionPolicyListing>> ListAsync(CancellationToken cancellationToken = default) =>
        (await db.CollectionPolicies.AsNoTracking().OrderBy(p => p.Code).ThenByDescending(p => p.Version).ToListAsync(cancellationToken))
            .Select(p => new CollectionPolicyListing(p.Id, p.Code, p.Version, p.Name, p.EffectiveFrom, p.AccountClasses, p.DebtTypes, p.ImportedAt, p.ImportedBy))
            .ToList();

    /// <summary>The YAML of a version as imported (the latest when no version is given), or null.</summary>
    public async Task<CollectionPolicyVersion?> ExportAsync(string code, int? version, CancellationToken cancellationToken = default) =>
        await db.CollectionPolicies.AsNoTracking().Where(p => p.Code == code && (version == null || p.Version == version))
            .OrderByDescending(p => p.Version).FirstOrDefaultAsync(cancellationToken);
}
