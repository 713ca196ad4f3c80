using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Rating;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Storage;
using OpenCIS.Storage.Rating;

namespace OpenCIS.UseCases.Rating;

public sealed record TariffImportOutcome(bool Imported, long? RateScheduleId, IReadOnlyList<FileError> Errors, string Message);

/// <summary>One stored version of a rate schedule, for lists.</summary>
public sealed record TariffVersion(long Id, string Code, string Name, Service Service, DateOnly EffectiveFrom, int Charges);

/// <summary>
/// Adds a version of a rate schedule from its YAML: checked whole (every problem by line and
/// field; any problem and nothing is stored), kept as written (comments and all), and audited.
/// A version is never changed once stored: a correction is a new version with its own effective
/// date, and importing the same version again changes nothing.
/// </summary>
public sealed class ImportTariff(OpenCisDbContext db, TimeProvider clock)
{
    public async Task<TariffImportOutcome> ExecuteAsync(string fileName, string yaml, Service? service, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var nul = yaml.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            // No database keeps a NUL in text (PostgreSQL refuses it): a binary file, or UTF-16 text.
            return new TariffImportOutcome(false, null, [new FileError(fileName, yaml.AsSpan(0, nul).Count('\n') + 1, "file", "holds a NUL character: is this a binary file, or text in UTF-16 rather than UTF-8?")], $"{fileName} is not text; nothing was imported.");
        }

        Tariff tariff;
        Service? named;
        try
        {
            (tariff, named) = TariffYaml.ReadFile(yaml, fileName);
        }
        catch (TariffFormatException exception)
        {
            return new TariffImportOutcome(false, null, exception.Errors, $"{fileName} has {exception.Errors.Count} problem{(exception.Errors.Count == 1 ? "" : "s")}; nothing was imported.");
        }

        if ((named ?? service) is not { } forService)
        {
            return new TariffImportOutcome(false, null, [new FileError(fileName, 1, "service", "say which service the tariff is for (service: water, sewer, trash, stormwater or electric)")], $"{fileName} does not say its service; nothing was imported.");
        }

        if (named is { } inFile && service is { } given && inFile != given)
        {
            return new TariffImportOutcome(false, null, [new FileError(fileName, 1, "service", $"the file says {inFile}, not {given}")], $"{fileName} is for {inFile}, not {given}; nothing was imported.");
        }

        var existing = await db.RateSchedules.AsNoTracking().SingleOrDefaultAsync(r => r.Code == tariff.Code && r.EffectiveFrom == tariff.EffectiveFrom, cancellationToken);
        if (existing is not null)
        {
            var same = TariffCatalog.Serialize(TariffCatalog.Deserialize(existing)) == TariffCatalog.Serialize(tariff) && existing.Service == forService;
            return same
                ? new TariffImportOutcome(false, existing.Id, [], $"{tariff.Code} effective {tariff.EffectiveFrom:yyyy-MM-dd} is already on file as imported; nothing changed.")
                : new TariffImportOutcome(false, existing.Id, [new FileError(fileName, 1, "effective", $"{tariff.Code} already has a different version effective {tariff.EffectiveFrom:yyyy-MM-dd}; a change takes a new effective date")],
                    $"{tariff.Code} effective {tariff.EffectiveFrom:yyyy-MM-dd} already exists and differs; versions are never changed. Give the change its own effective date.");
        }

        var otherService = await db.RateSchedules.AsNoTracking().Where(r => r.Code == tariff.Code && r.Service != forService).Select(r => (Service?)r.Service).FirstOrDefaultAsync(cancellationToken);
        if (otherService is not null)
        {
            return new TariffImportOutcome(false, null, [new FileError(fileName, 1, "service", $"{tariff.Code} is a {otherService} schedule")], $"{tariff.Code} is a {otherService} schedule, not {forService}; nothing was imported.");
        }

        var row = new RateSchedule { Code = tariff.Code, Name = tariff.Name, Service = forService, EffectiveFrom = tariff.EffectiveFrom, Definition = yaml };
        db.RateSchedules.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, clock.GetUtcNow(), user, "RateSchedule", row.Id, null, "Import tariff", null, new { row.Code, row.EffectiveFrom, row.Service, Charges = tariff.Components.Length }, $"Imported from {fileName}");
        await db.SaveChangesAsync(cancellationToken);
        return new TariffImportOutcome(true, row.Id, [], $"Imported {tariff.Code} ({tariff.Name}) effective {tariff.EffectiveFrom:yyyy-MM-dd} for {forService}: {tariff.Components.Length} charges.");
    }

    public async Task<IReadOnlyList<TariffVersion>> VersionsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.RateSchedules.AsNoTracking().OrderBy(r => r.Code).ThenByDescending(r => r.EffectiveFrom).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new TariffVersion(r.Id, r.Code, r.Name, r.Service, r.EffectiveFrom, TariffCatalog.Deserialize(r).Components.Length))];
    }

    /// <summary>The YAML of one version (as imported), or null when there is no such version.</summary>
    public async Task<(RateSchedule Row, string Yaml)?> ExportAsync(string code, DateOnly? effective, CancellationToken cancellationToken = default)
    {
        var row = await db.RateSchedules.AsNoTracking().Where(r => r.Code == code && (effective == null || r.EffectiveFrom == effective))
            .OrderByDescending(r => r.EffectiveFrom).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : (row, TariffCatalog.Yaml(row));
    }
}
