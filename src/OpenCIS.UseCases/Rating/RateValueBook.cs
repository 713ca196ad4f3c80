using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Rating;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Rating;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.UseCases.Rating;

/// <summary>One dated value, for lists.</summary>
public sealed record RateValueListing(string Name, DateOnly EffectiveFrom, decimal Value, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>What a CSV of values did: values added and corrected, or every problem by line and field.</summary>
public sealed record RateValueImportOutcome(bool Imported, int Added, int Corrected, IReadOnlyList<FileError> Errors, string Message);

/// <summary>
/// The dated values tariffs name: each rider's price per unit (a purchased-power adjustment set each month) and the gas's
/// heating value (therms per CCF). A billing run looks up the value in force during a bill's period, prorated by days when
/// it changed within it. A value once in force is history, as bills were rated on it: only a value still to come
/// (dated after the business date) may be corrected, and every value and correction is audited. A CSV
/// (<c>name,effective_from,value</c>) is checked whole, every problem named by line and field, and a file with any problem
/// posts nothing.
/// </summary>
public sealed class RateValueBook(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    /// <summary>Ten thousand values: a larger file is a mistake.</summary>
    public const int MaximumLines = 10_000;

    /// <summary>The largest price per unit or heating value taken: a rider of $1,000 per unit is a typo.</summary>
    public const decimal LargestValue = 1000m;

    private static readonly string[] Columns = ["name", "effective_from", "value"];

    /// <summary>Sets one value; a bad name, value or date, or a change to a value already in force, is refused naming the field.</summary>
    public async Task<RateValueListing> SetAsync(string name, DateOnly effectiveFrom, decimal value, string user, CancellationToken cancellationToken = default)
    {
        if (ProblemWithName(name) is { } nameProblem)
        {
            throw new DomainException($"The name {nameProblem}.", "name");
        }

        if (ProblemWithValue(name, value) is { } valueProblem)
        {
            throw new DomainException($"The value {valueProblem}.", "value");
        }

        var existing = await db.RateValues.SingleOrDefaultAsync(v => v.Name == name && v.EffectiveFrom == effectiveFrom, cancellationToken);
        if (existing is not null && existing.Value == value)
        {
            // The same value again changes nothing, as in a file: who set it and when stay as they were.
            return Listing(existing);
        }

        if (existing is not null && ProblemWithCorrecting(existing) is { } correction)
        {
            throw new DomainException(correction, "effectiveFrom");
        }

        var row = Save(existing, name, effectiveFrom, value, user, "Set by hand");
        await db.SaveChangesAsync(cancellationToken);
        return Listing(row);
    }

    /// <summary>Sets every value of a CSV file in one transaction, or nothing when any line has a problem.</summary>
    public async Task<RateValueImportOutcome> ImportAsync(string fileName, byte[] content, string user, CancellationToken cancellationToken = default)
    {
        var (values, errors) = Parse(fileName, content);
        var names = values.Select(v => v.Name).Distinct().ToList();
        // The good lines are checked against the values on file even when other lines are bad, so one pass names every problem.
        var existing = (await db.RateValues.Where(v => names.Contains(v.Name)).ToListAsync(cancellationToken))
            .ToDictionary(v => (v.Name, v.EffectiveFrom));
        foreach (var value in values)
        {
            if (existing.TryGetValue((value.Name, value.EffectiveFrom), out var row) && row.Value != value.Value && ProblemWithCorrecting(row) is { } problem)
            {
                errors.Add(new FileError(fileName, value.Line, "effective_from", problem));
            }
        }

        if (errors.Count > 0)
        {
            var ordered = errors.OrderBy(e => e.Line).ToList();
            return new(false, 0, 0, ordered, $"{fileName} has {ordered.Count} problem{(ordered.Count == 1 ? "" : "s")}; nothing was imported.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (added, corrected) = (0, 0);
        foreach (var value in values)
        {
            existing.TryGetValue((value.Name, value.EffectiveFrom), out var row);
            if (row is not null && row.Value == value.Value)
            {
                continue;
            }

            Save(row, value.Name, value.EffectiveFrom, value.Value, user, $"Imported from {fileName} line {value.Line}");
            if (row is null)
            {
                added++;
            }
            else
            {
                corrected++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(true, added, corrected, [], $"{fileName}: {values.Count} value{(values.Count == 1 ? "" : "s")} read; {added} added, {corrected} corrected, {values.Count - added - corrected} unchanged.");
    }

    /// <summary>Every value (of one name, when given), by name and newest first.</summary>
    public async Task<IReadOnlyList<RateValueListing>> ListAsync(string? name = null, CancellationToken cancellationToken = default) =>
        (await db.RateValues.AsNoTracking().Where(v => name == null || v.Name == name).ToListAsync(cancellationToken))
            .OrderBy(v => v.Name, StringComparer.Ordinal).ThenByDescending(v => v.EffectiveFrom).Select(Listing).ToList();

    /// <summary>Why a value's name cannot be used, or null.</summary>
    public static string? ProblemWithName(string? name) => RateValues.ProblemWithName(name);

    /// <summary>Why a value cannot be taken, or null: more than six decimals, too large, or a heating value that is not positive.</summary>
    public static string? ProblemWithValue(string name, decimal value) =>
        decimal.Round(value, 6) != value ? $"{value.ToString(CultureInfo.InvariantCulture)} has more than six decimals"
        : Math.Abs(value) > LargestValue ? $"{value.ToString(CultureInfo.InvariantCulture)} is larger than {LargestValue:N0}: a price per unit or a heating value, not a total"
        : name == RateValues.HeatingValue && value <= 0m ? $"{value.ToString(CultureInfo.InvariantCulture)} is not a heating value: therms per CCF are more than 0 (about 1.03)"
        : null;

    private string? ProblemWithCorrecting(RateValueRow row) =>
        row.EffectiveFrom <= calendar.Today()
            ? $"{row.Name} has been {row.Value.ToString("0.######", CultureInfo.InvariantCulture)} since {row.EffectiveFrom:yyyy-MM-dd}, and a value in force is history: set a new value from a later date"
            : null;

    private RateValueRow Save(RateValueRow? row, string name, DateOnly effectiveFrom, decimal value, string user, string reason)
    {
        var now = clock.GetUtcNow();
        object? before = row is null ? null : new { row.Value, row.RecordedBy };
        if (row is null)
        {
            row = new RateValueRow { Name = name, EffectiveFrom = effectiveFrom };
            db.RateValues.Add(row);
        }

        row.Value = value;
        row.RecordedBy = user;
        row.RecordedAt = now;

        // The audit trail's key is a number: the date as yyyymmdd; the name is in the values.
        AuditLog.Record(db, now, user, "RateValue", (effectiveFrom.Year * 10_000L) + (effectiveFrom.Month * 100L) + effectiveFrom.Day, null,
            before is null ? "Set rate value" : "Correct rate value", before, new { Name = name, EffectiveFrom = effectiveFrom, Value = value }, reason);
        return row;
    }

    private static RateValueListing Listing(RateValueRow row) => new(row.Name, row.EffectiveFrom, row.Value, row.RecordedBy, row.RecordedAt);

    private sealed record ParsedValue(int Line, string Name, DateOnly EffectiveFrom, decimal Value);

    private static (List<ParsedValue> Values, List<FileError> Errors) Parse(string fileName, byte[] content)
    {
        var values = new List<ParsedValue>();
        var errors = new List<FileError>();
        using var csv = CsvInput.Open(new MemoryStream(content, writable: false));
        if (CsvInput.ReadHeader(csv, fileName, errors) is not { } header)
        {
            return (values, errors);
        }

        if (CsvInput.ColumnIndex(header, Columns, fileName, errors) is not { } index)
        {
            return (values, errors);
        }

        var firstLineOf = new Dictionary<(string, DateOnly), int>();
        while (CsvInput.Next(csv, fileName, errors))
        {
            var line = (int)csv.LineNumber;
            if (values.Count + errors.Count >= MaximumLines)
            {
                errors.Add(new FileError(fileName, line, "file", $"a rate value file can hold at most {MaximumLines:N0} values"));
                break;
            }

            string Field(string name) => csv.FieldCount > index[name] ? csv.GetString(index[name]).Trim() : "";
            var lineErrors = errors.Count;
            var name = Field("name");
            if (ProblemWithName(name) is { } nameProblem)
            {
                errors.Add(new FileError(fileName, line, "name", nameProblem));
            }

            var dateText = Field("effective_from");
            if (!IsoDate.TryParse(dateText, out var date))
            {
                errors.Add(new FileError(fileName, line, "effective_from", $"'{dateText}' is not a date in the form YYYY-MM-DD"));
            }
            else if (firstLineOf.TryGetValue((name, date), out var first))
            {
                errors.Add(new FileError(fileName, line, "effective_from", $"{name} from {dateText} is already on line {first}"));
            }
            else
            {
                firstLineOf[(name, date)] = line;
            }

            var valueText = Field("value");
            if (!decimal.TryParse(valueText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                errors.Add(new FileError(fileName, line, "value", $"'{valueText}' is not a number"));
            }
            else if (ProblemWithValue(name, value) is { } valueProblem)
            {
                errors.Add(new FileError(fileName, line, "value", valueProblem));
            }

            if (errors.Count == lineErrors)
            {
                values.Add(new ParsedValue(line, name, date, value));
            }
        }

        if (values.Count == 0 && errors.Count == 0)
        {
            errors.Add(new FileError(fileName, 2, "file", "the file has a header but no values"));
        }

        return (values, errors);
    }
}
