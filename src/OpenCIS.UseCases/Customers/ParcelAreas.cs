using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.UseCases.Customers;

/// <summary>A parcel's impervious area as the premises on it carry it.</summary>
public sealed record ParcelArea(string ParcelId, decimal? ImperviousArea, int Premises);

/// <summary>What a CSV of parcel areas did: premises changed, or every problem by line and field.</summary>
public sealed record ParcelAreaImportOutcome(bool Imported, int Parcels, int PremisesChanged, IReadOnlyList<FileError> Errors, string Message);

/// <summary>
/// Each parcel's impervious area in square feet (roofs, drives, paving), which stormwater is billed on: kept on every
/// premise of the parcel, set by hand or from the city's GIS export (<c>parcel_id,impervious_sqft</c>), each change
/// audited with the area before. A file is checked whole, and a file with any problem (an unknown parcel, an area that is
/// not a number of square feet) changes nothing.
/// </summary>
public sealed class ParcelAreas(OpenCisDbContext db, TimeProvider clock)
{
    /// <summary>The largest area taken: 100 million square feet (a few square miles) is past any one parcel.</summary>
    public const decimal LargestArea = 100_000_000m;

    /// <summary>A million parcels: past the largest county's GIS export.</summary>
    public const int MaximumLines = 1_000_000;

    private static readonly string[] Columns = ["parcel_id", "impervious_sqft"];

    /// <summary>Sets (or with null, clears) the area on every premise of the parcel; an unknown parcel or a bad area is refused naming the field.</summary>
    public async Task<ParcelArea> SetAsync(string parcelId, decimal? area, string user, CancellationToken cancellationToken = default)
    {
        parcelId = Normalized(parcelId);
        if (parcelId.Length == 0)
        {
            throw new DomainException("Give the parcel id.", "parcelId");
        }

        if (area is { } a && ProblemWithArea(a) is { } problem)
        {
            throw new DomainException($"The impervious area {problem}.", "imperviousArea");
        }

        var premises = await db.Premises.Where(p => p.ParcelId == parcelId).ToListAsync(cancellationToken);
        if (premises.Count == 0)
        {
            throw new DomainException($"No premise is on parcel '{parcelId}'.", "parcelId");
        }

        Change(premises, parcelId, area, user, "Set by hand");
        await db.SaveChangesAsync(cancellationToken);
        return new ParcelArea(parcelId, area, premises.Count);
    }

    /// <summary>The parcel's area as its premises carry it, or null when no premise is on the parcel.</summary>
    public async Task<ParcelArea?> FindAsync(string parcelId, CancellationToken cancellationToken = default)
    {
        parcelId = Normalized(parcelId);
        var areas = await db.Premises.AsNoTracking().Where(p => p.ParcelId == parcelId).Select(p => p.ImperviousArea).ToListAsync(cancellationToken);
        return areas.Count == 0 ? null : new ParcelArea(parcelId, areas.Max(), areas.Count);
    }

    /// <summary>Sets the areas of a CSV file in one transaction, or nothing when any line has a problem.</summary>
    public async Task<ParcelAreaImportOutcome> ImportAsync(string fileName, byte[] content, string user, CancellationToken cancellationToken = default)
    {
        var (parcels, errors) = Parse(fileName, content);
        var ids = parcels.Select(p => p.ParcelId).ToList();
        // The good lines are checked against the premises on file even when other lines are bad, so one pass names every problem.
        // Looked up a thousand parcels at a time: a county's GIS export holds more ids than one query may carry.
        var found = new List<Storage.Customers.Premise>();
        foreach (var chunk in ids.Chunk(1_000))
        {
            found.AddRange(await db.Premises.Where(p => chunk.Contains(p.ParcelId)).ToListAsync(cancellationToken));
        }

        var premises = found.ToLookup(p => p.ParcelId);
        foreach (var parcel in parcels.Where(p => !premises.Contains(p.ParcelId)))
        {
            errors.Add(new FileError(fileName, parcel.Line, "parcel_id", $"no premise is on parcel '{parcel.ParcelId}'"));
        }

        if (errors.Count > 0)
        {
            var ordered = errors.OrderBy(e => e.Line).ToList();
            return new(false, 0, 0, ordered, $"{fileName} has {ordered.Count} problem{(ordered.Count == 1 ? "" : "s")}; nothing was changed.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = 0;
        foreach (var parcel in parcels)
        {
            changed += Change([.. premises[parcel.ParcelId]], parcel.ParcelId, parcel.Area, user, $"Imported from {fileName} line {parcel.Line}");
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(true, parcels.Count, changed, [], $"{fileName}: {parcels.Count} parcel{(parcels.Count == 1 ? "" : "s")} read; {changed} premise{(changed == 1 ? "" : "s")} changed.");
    }

    /// <summary>Why an area cannot be taken, or null: less than none, too large, or finer than hundredths of a square foot.</summary>
    public static string? ProblemWithArea(decimal area) =>
        area < 0m ? $"{area.ToString(CultureInfo.InvariantCulture)} sq ft is less than none"
        : area > LargestArea ? $"{area.ToString(CultureInfo.InvariantCulture)} sq ft is more than {LargestArea:N0}"
        : decimal.Round(area, 2) != area ? $"{area.ToString(CultureInfo.InvariantCulture)} sq ft has more than two decimals"
        : null;

    /// <summary>Parcel ids are kept trimmed and in upper case (as premises are added), so a clerk's "r-1" finds "R-1".</summary>
    private static string Normalized(string? parcelId) => (parcelId ?? "").Trim().ToUpperInvariant();

    private int Change(List<Storage.Customers.Premise> premises, string parcelId, decimal? area, string user, string reason)
    {
        var now = clock.GetUtcNow();
        var changed = 0;
        foreach (var premise in premises.Where(p => p.ImperviousArea != area))
        {
            AuditLog.Record(db, now, user, "Premise", premise.Id, null, "Set impervious area", new { premise.ImperviousArea }, new { ImperviousArea = area, ParcelId = parcelId }, reason);
            premise.ImperviousArea = area;
            changed++;
        }

        return changed;
    }

    private sealed record ParsedParcel(int Line, string ParcelId, decimal Area);

    private static (List<ParsedParcel> Parcels, List<FileError> Errors) Parse(string fileName, byte[] content)
    {
        var parcels = new List<ParsedParcel>();
        var errors = new List<FileError>();
        using var csv = CsvInput.Open(new MemoryStream(content, writable: false));
        if (CsvInput.ReadHeader(csv, fileName, errors) is not { } header)
        {
            return (parcels, errors);
        }

        if (CsvInput.ColumnIndex(header, Columns, fileName, errors) is not { } index)
        {
            return (parcels, errors);
        }

        var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        while (CsvInput.Next(csv, fileName, errors))
        {
            var line = (int)csv.LineNumber;
            if (parcels.Count + errors.Count >= MaximumLines)
            {
                errors.Add(new FileError(fileName, line, "file", $"a parcel file can hold at most {MaximumLines:N0} parcels"));
                break;
            }

            string Field(string name) => csv.FieldCount > index[name] ? csv.GetString(index[name]).Trim() : "";
            var lineErrors = errors.Count;
            var parcelId = Normalized(Field("parcel_id"));
            if (parcelId.Length == 0)
            {
                errors.Add(new FileError(fileName, line, "parcel_id", "is required"));
            }
            else if (firstLineOf.TryGetValue(parcelId, out var first))
            {
                errors.Add(new FileError(fileName, line, "parcel_id", $"parcel {parcelId} is already on line {first}"));
            }
            else
            {
                firstLineOf[parcelId] = line;
            }

            var text = Field("impervious_sqft");
            if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var area))
            {
                errors.Add(new FileError(fileName, line, "impervious_sqft", $"'{text}' is not a number of square feet"));
            }
            else if (ProblemWithArea(area) is { } problem)
            {
                errors.Add(new FileError(fileName, line, "impervious_sqft", problem));
            }

            if (errors.Count == lineErrors)
            {
                parcels.Add(new ParsedParcel(line, parcelId, area));
            }
        }

        if (parcels.Count == 0 && errors.Count == 0)
        {
            errors.Add(new FileError(fileName, 2, "file", "the file has a header but no parcels"));
        }

        return (parcels, errors);
    }
}
