using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.UseCases.Collections;

/// <summary>One day's posted forecast, for lists.</summary>
public sealed record TemperatureListing(DateOnly Date, int LowF, int HighF, string PostedBy, DateTimeOffset PostedAt);

/// <summary>What a CSV of temperatures did: days added and days replaced, or every problem by line and field.</summary>
public sealed record TemperatureImportOutcome(bool Imported, int Added, int Replaced, IReadOnlyList<FileError> Errors, string Message);

/// <summary>
/// The forecast low and high (°F) the utility posts for each day, which the cold and heat protections read.
/// A day has one forecast: posting it again replaces it, and both the post and the replacement are audited
/// with what was there before. A CSV (<c>date,low_f,high_f</c>) is checked whole first, every problem named by
/// line and field, and a file with any problem posts nothing.
/// </summary>
public sealed class PostTemperatures(OpenCisDbContext db, TimeProvider clock)
{
    /// <summary>The coldest and hottest forecasts accepted: past the records of the United States (Alaska's -80°F, Death Valley's 134°F).</summary>
    public const int LowestF = -80;

    public const int HighestF = 140;

    /// <summary>Ten years of days: a larger file is a mistake, not a forecast.</summary>
    public const int MaximumLines = 3660;

    private static readonly string[] Columns = ["date", "low_f", "high_f"];

    /// <summary>Posts or replaces one day's forecast; a forecast out of range, or a high under the low, is refused naming the field.</summary>
    public async Task<TemperatureListing> ExecuteAsync(DateOnly date, int lowF, int highF, string user, CancellationToken cancellationToken = default)
    {
        if (RangeProblem(lowF) is { } lowProblem)
        {
            throw new DomainException($"The low {lowProblem}.", "lowF");
        }

        if (RangeProblem(highF) is { } highProblem)
        {
            throw new DomainException($"The high {highProblem}.", "highF");
        }

        if (highF < lowF)
        {
            throw new DomainException($"The high {highF}°F is under the low {lowF}°F.", "highF");
        }

        var existing = await db.Temperatures.SingleOrDefaultAsync(t => t.Date == date, cancellationToken);
        var row = Save(existing, date, lowF, highF, user, "Posted by hand");
        await db.SaveChangesAsync(cancellationToken);
        return Listing(row);
    }

    /// <summary>Posts every day of a CSV file in one transaction, or nothing when any line has a problem.</summary>
    public async Task<TemperatureImportOutcome> ImportAsync(string fileName, byte[] content, string user, CancellationToken cancellationToken = default)
    {
        var (days, errors) = Parse(fileName, content);
        if (errors.Count > 0)
        {
            var ordered = errors.OrderBy(e => e.Line).ToList();
            return new(false, 0, 0, ordered, $"{fileName} has {ordered.Count} problem{(ordered.Count == 1 ? "" : "s")}; nothing was posted.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var dates = days.Select(d => d.Date).ToList();
        var existing = await db.Temperatures.Where(t => dates.Contains(t.Date)).ToDictionaryAsync(t => t.Date, cancellationToken);
        var (added, replaced) = (0, 0);
        foreach (var day in days)
        {
            if (existing.TryGetValue(day.Date, out var row) && row.LowF == day.LowF && row.HighF == day.HighF)
            {
                continue;
            }

            Save(row, day.Date, day.LowF, day.HighF, user, $"Imported from {fileName} line {day.Line}");
            if (row is null)
            {
                added++;
            }
            else
            {
                replaced++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(true, added, replaced, [], $"{fileName}: {days.Count} day{(days.Count == 1 ? "" : "s")} read; {added} added, {replaced} replaced, {days.Count - added - replaced} unchanged.");
    }

    /// <summary>The forecasts posted for <paramref name="from"/> and later, newest date first.</summary>
    public async Task<IReadOnlyList<TemperatureListing>> ListAsync(DateOnly from, CancellationToken cancellationToken = default) =>
        (await db.Temperatures.AsNoTracking().Where(t => t.Date >= from).OrderByDescending(t => t.Date).Take(MaximumLines).ToListAsync(cancellationToken))
            .Select(Listing).ToList();

    /// <summary>Adds the day's forecast, or replaces <paramref name="row"/> (the day's forecast on file), with its audit record.</summary>
    private PostedTemperature Save(PostedTemperature? row, DateOnly date, int lowF, int highF, string user, string reason)
    {
        var now = clock.GetUtcNow();
        object? before = row is null ? null : new { row.LowF, row.HighF, row.PostedBy };
        if (row is null)
        {
            row = PostedTemperature.Post(date, lowF, highF, user, now);
            db.Temperatures.Add(row);
        }
        else
        {
            row.Change(lowF, highF, user, now);
        }

        // The audit trail's key is a number: the day as yyyymmdd reads back as the date.
        AuditLog.Record(db, now, user, "DailyTemperature", (date.Year * 10_000L) + (date.Month * 100L) + date.Day, null,
            before is null ? "Post temperature" : "Replace temperature", before, new { Date = date, LowF = lowF, HighF = highF }, reason);
        return row;
    }

    private static TemperatureListing Listing(PostedTemperature row) => new(row.Date, row.LowF, row.HighF, row.PostedBy, row.PostedAt);

    private static string? RangeProblem(int degreesF) =>
        degreesF is < LowestF or > HighestF ? $"{degreesF}°F is not a forecast from {LowestF}°F to {HighestF}°F" : null;

    private sealed record ParsedDay(int Line, DateOnly Date, int LowF, int HighF);

    private static (List<ParsedDay> Days, List<FileError> Errors) Parse(string fileName, byte[] content)
    {
        var days = new List<ParsedDay>();
        var errors = new List<FileError>();
        using var csv = CsvInput.Open(new MemoryStream(content, writable: false));
        if (CsvInput.ReadHeader(csv, fileName, errors) is not { } header)
        {
            return (days, errors);
        }

        if (CsvInput.ColumnIndex(header, Columns, fileName, errors) is not { } index)
        {
            return (days, errors);
        }

        var firstLineOf = new Dictionary<DateOnly, int>();
        while (CsvInput.Next(csv, fileName, errors))
        {
            var line = (int)csv.LineNumber;
            if (days.Count + errors.Count >= MaximumLines)
            {
                errors.Add(new FileError(fileName, line, "file", $"a temperature file can hold at most {MaximumLines:N0} days"));
                break;
            }

            string Field(string name) => csv.FieldCount > index[name] ? csv.GetString(index[name]).Trim() : "";
            var lineErrors = errors.Count;
            var dateText = Field("date");
            if (!IsoDate.TryParse(dateText, out var date))
            {
                errors.Add(new FileError(fileName, line, "date", $"'{dateText}' is not a date in the form YYYY-MM-DD"));
            }
            else if (firstLineOf.TryGetValue(date, out var first))
            {
                errors.Add(new FileError(fileName, line, "date", $"{dateText} is already on line {first}; a day has one forecast"));
            }
            else
            {
                firstLineOf[date] = line;
            }

            var low = Degrees(fileName, line, "low_f", Field("low_f"), errors);
            var high = Degrees(fileName, line, "high_f", Field("high_f"), errors);
            if (low is { } l && high is { } h && h < l)
            {
                errors.Add(new FileError(fileName, line, "high_f", $"the high {h}°F is under the low {l}°F"));
            }

            if (errors.Count == lineErrors)
            {
                days.Add(new ParsedDay(line, date, low!.Value, high!.Value));
            }
        }

        if (days.Count == 0 && errors.Count == 0)
        {
            errors.Add(new FileError(fileName, 2, "file", "the file has a header but no days"));
        }

        return (days, errors);
    }

    private static int? Degrees(string fileName, int line, string field, string text, List<FileError> errors)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var degrees))
        {
            errors.Add(new FileError(fileName, line, field, $"'{text}' is not a whole number of degrees Fahrenheit"));
            return null;
        }

        if (RangeProblem(degrees) is { } problem)
        {
            errors.Add(new FileError(fileName, line, field, problem));
            return null;
        }

        return degrees;
    }
}
