using System.Globalization;
using System.Security.Cryptography;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Data.Audit;
using OpenCIS.Data.Payments;
using OpenCIS.Data.Storage;
using OpenCIS.Data.Storage.Bulk;

namespace OpenCIS.Data.Metering.Import;

public enum ReadFileFormat
{
    Csv,
    GreenButton,
}

/// <summary>
/// Which CSV column holds each field. The default names the common AMI export columns; a utility
/// whose system writes other headers passes its own mapping. Meter, read and read time are required;
/// the others are used when the file has them.
/// </summary>
public sealed record ReadCsvMapping(
    string Meter = "meter",
    string Read = "read",
    string ReadTime = "read_time",
    string Account = "account",
    string ServicePoint = "service_point",
    string Register = "register",
    string ReadMethod = "read_method",
    string Unit = "unit",
    string TamperFlag = "tamper_flag",
    string LeakFlag = "leak_flag",
    string ReverseFlowFlag = "reverse_flow_flag")
{
    public static readonly ReadCsvMapping Default = new();
}

public sealed record ReadImportOutcome(bool Posted, bool AlreadyPosted, int Valid, int Suspect, int Rejected, IReadOnlyList<FileError> Errors, string Message)
{
    public int Total => Valid + Suspect + Rejected;
}

/// <summary>
/// Imports a file of meter reads: CSV with a column mapping, or Green Button (ESPI) XML whose
/// interval use is summed into one billing read per usage point. Every line is checked first; a file
/// with an unknown meter, an unknown unit, a malformed line or a read older than its meter's set date
/// posts nothing. Good files are validated (VEE) read by read: valid reads bill, suspect and
/// rejected reads wait in the review queue with their reasons. A file is known by its SHA-256, so
/// importing it again posts nothing.
/// </summary>
public sealed class ImportReads(OpenCisDbContext db, ReadValidator validator, BusinessCalendar calendar, UnitConversion conversion, TimeProvider clock)
{
    public const int MaximumReads = 2_000_000;
    private const int QueryChunk = 2_000;
    private const int WriteChunk = 50_000;

    private sealed record Incoming(int Line, string MeterSerial, DateOnly ReadOn, long? Reading, IReadOnlyList<GreenButtonInterval>? Intervals, Unit? Unit, ReadSource Source, DeviceFlags Flags, string? AccountNumber, long? ServicePointId);

    public Task<ReadImportOutcome> ExecuteAsync(string fileName, byte[] content, ReadFileFormat format, ReadCsvMapping? mapping, string user, CancellationToken cancellationToken = default) =>
        ExecuteAsync(fileName, new MemoryStream(content, writable: false), format, mapping, user, null, cancellationToken);

    /// <summary>Imports from a seekable stream (a file on disk): read once for its fingerprint, once to parse; never held whole in memory.</summary>
    /// <param name="progress">Told each phase as it ends ("parsed", "checked", "validated", "written"), with the reads it covered.</param>
    public async Task<ReadImportOutcome> ExecuteAsync(string fileName, Stream content, ReadFileFormat format, ReadCsvMapping? mapping, string user, IProgress<(string Phase, int Reads)>? progress, CancellationToken cancellationToken = default)
    {
        var kind = format == ReadFileFormat.Csv ? "reads-csv" : "reads-greenbutton";
        var sha256 = Convert.ToHexString(await SHA256.HashDataAsync(content, cancellationToken));
        content.Position = 0;
        var earlier = await db.ImportedFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Kind == kind && f.Sha256 == sha256, cancellationToken);
        if (earlier is not null)
        {
            return new ReadImportOutcome(false, true, 0, 0, 0, [],
                $"{fileName} was already imported on {earlier.ImportedAt:yyyy-MM-dd HH:mm} UTC by {earlier.ImportedBy} as '{earlier.FileName}' ({earlier.RecordCount:N0} reads); nothing was imported again.");
        }

        var errors = new List<FileError>();
        var incoming = format == ReadFileFormat.Csv
            ? ParseCsv(fileName, content, mapping ?? ReadCsvMapping.Default, errors)
            : ParseGreenButton(fileName, content, errors, cancellationToken);
        progress?.Report(("parsed", incoming.Count));

        var serials = incoming.Select(r => r.MeterSerial).Distinct().ToList();
        var meters = new Dictionary<string, Meter>(StringComparer.Ordinal);
        foreach (var chunk in serials.Chunk(QueryChunk))
        {
            foreach (var meter in await db.Meters.AsNoTracking().Where(m => chunk.Contains(m.Serial)).ToListAsync(cancellationToken))
            {
                meters[meter.Serial] = meter;
            }
        }

        var accountsByServicePoint = await AccountNumbersAsync(meters.Values.Where(m => m.ServicePointId is not null).Select(m => m.ServicePointId!.Value).ToList(), cancellationToken);
        var toJudge = new List<(Incoming Read, ReadToJudge Judge)>();
        var priorForIntervals = await PriorReadsAsync(incoming.Where(r => r.Intervals is not null).Select(r => r.MeterSerial).Distinct().Where(meters.ContainsKey).Select(s => meters[s].Id).ToList(), cancellationToken);
        foreach (var read in incoming)
        {
            if (!meters.TryGetValue(read.MeterSerial, out var meter))
            {
                errors.Add(new FileError(fileName, read.Line, "meter", $"there is no meter {read.MeterSerial}"));
                continue;
            }

            if (meter.ServicePointId is not { } servicePointId)
            {
                errors.Add(new FileError(fileName, read.Line, "meter", $"meter {meter.Serial} is {meter.Status}, not installed at a service point"));
                continue;
            }

            if (meter.SetOn is { } setOn && read.ReadOn < setOn)
            {
                errors.Add(new FileError(fileName, read.Line, "read_time", $"{read.ReadOn:yyyy-MM-dd} is before meter {meter.Serial} was set on {setOn:yyyy-MM-dd}"));
                continue;
            }

            if (read.ServicePointId is { } filePoint && filePoint != servicePointId)
            {
                errors.Add(new FileError(fileName, read.Line, "service_point", $"meter {meter.Serial} is at service point {servicePointId}, not {filePoint}"));
                continue;
            }

            if (read.AccountNumber is { } fileAccount && accountsByServicePoint.GetValueOrDefault(servicePointId) is { } account && account != fileAccount)
            {
                errors.Add(new FileError(fileName, read.Line, "account", $"meter {meter.Serial} serves account {account}, not {fileAccount}"));
                continue;
            }

            var reading = read.Reading;
            if (read.Intervals is { } intervals)
            {
                if (!priorForIntervals.TryGetValue(meter.Id, out var prior))
                {
                    errors.Add(new FileError(fileName, read.Line, "UsagePoint", $"meter {meter.Serial} has no earlier read to add the interval use to"));
                    continue;
                }

                // Use since the prior read: the intervals from the start of the day after it.
                var from = new DateTimeOffset(prior.ReadOn.AddDays(1).ToDateTime(TimeOnly.MinValue), calendar.Zone.GetUtcOffset(prior.ReadOn.AddDays(1).ToDateTime(TimeOnly.MinValue)));
                var usage = GreenButtonParser.Total(intervals, from, DateTimeOffset.MaxValue);

                var inMeterUnit = read.Unit is { } unit && unit != meter.Unit ? ConvertOrNull(usage, unit, meter.Unit) : usage;
                if (inMeterUnit is null)
                {
                    errors.Add(new FileError(fileName, read.Line, "ReadingType/uom", $"the intervals are in {read.Unit} but meter {meter.Serial} registers {meter.Unit}"));
                    continue;
                }

                var registerMaximum = (long)Math.Pow(10, meter.Dials);
                reading = (prior.Reading + (long)decimal.Round(inMeterUnit.Value / meter.Multiplier, 0, MidpointRounding.AwayFromZero)) % registerMaximum;
            }
            else if (read.Unit is { } unit && unit != meter.Unit)
            {
                errors.Add(new FileError(fileName, read.Line, "unit", $"the read is in {UnitConversion.Abbreviation(unit)} but meter {meter.Serial} registers {UnitConversion.Abbreviation(meter.Unit)}"));
                continue;
            }

            if (reading is < 0 || reading >= (long)Math.Pow(10, meter.Dials))
            {
                errors.Add(new FileError(fileName, read.Line, "read", $"{reading:N0} does not fit the {meter.Dials} dials of meter {meter.Serial}"));
                continue;
            }

            toJudge.Add((read, new ReadToJudge(meter, servicePointId, read.ReadOn, reading!.Value, read.Flags, read.Source)));
        }

        if (errors.Count == 0 && toJudge.Count == 0)
        {
            errors.Add(new FileError(fileName, 1, "file", "the file has no reads"));
        }

        if (errors.Count > 0)
        {
            var ordered = errors.OrderBy(e => e.Line).ToList();
            return new ReadImportOutcome(false, false, 0, 0, 0, ordered, $"{fileName} has {ordered.Count} error{(ordered.Count == 1 ? "" : "s")}; nothing was imported.");
        }

        progress?.Report(("checked", toJudge.Count));
        var verdicts = await validator.JudgeAsync(toJudge.Select(x => x.Judge).ToList(), null, cancellationToken);
        toJudge.Clear();
        progress?.Report(("validated", verdicts.Count));
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var file = new ImportedFile { Kind = kind, FileName = Path.GetFileName(fileName), Sha256 = sha256, ImportedAt = now, ImportedBy = user, RecordCount = verdicts.Count };
        db.ImportedFiles.Add(file);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var chunk in verdicts.Chunk(WriteChunk))
        {
            var rows = chunk.Select(v => MeterRead.Record(v.Read.Meter.Id, v.Read.ServicePointId, v.Read.ReadOn, v.Read.Reading, v.Read.Source, v.Verdict, v.Read.Flags, user, now, file.Id)).ToList();
            await MeterReadBulkWriter.WriteAsync(db, rows, cancellationToken);
            progress?.Report(("written", rows.Count));
        }

        AuditLog.Record(db, now, user, "ImportedFile", file.Id, null, "Import reads", null,
            new { file.FileName, file.Sha256, Reads = verdicts.Count, Format = format.ToString() }, "Meter read import");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();

        var valid = verdicts.Count(v => v.Verdict.Status == ReadStatus.Valid);
        var suspect = verdicts.Count(v => v.Verdict.Status == ReadStatus.Suspect);
        var rejected = verdicts.Count(v => v.Verdict.Status == ReadStatus.Rejected);
        return new ReadImportOutcome(true, false, valid, suspect, rejected, [],
            $"{fileName}: imported {verdicts.Count:N0} reads: {valid:N0} valid, {suspect:N0} suspect and {rejected:N0} rejected (the last two wait in the review queue).");
    }

    private decimal? ConvertOrNull(decimal value, Unit from, Unit to)
    {
        try
        {
            return conversion.Convert(new Quantity(value, from), to).Value;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private async Task<Dictionary<long, string>> AccountNumbersAsync(List<long> servicePointIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<long, string>();
        foreach (var chunk in servicePointIds.Chunk(QueryChunk))
        {
            var rows = await db.ServiceAgreements.AsNoTracking().Where(a => chunk.Contains(a.ServicePointId) && a.EndedOn == null)
                .Join(db.Accounts, a => a.AccountId, account => account.Id, (a, account) => new { a.ServicePointId, account.AccountNumber }).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                result[row.ServicePointId] = row.AccountNumber;
            }
        }

        return result;
    }

    private async Task<Dictionary<long, (long Reading, DateOnly ReadOn)>> PriorReadsAsync(List<long> meterIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<long, (long, DateOnly)>();
        foreach (var chunk in meterIds.Chunk(QueryChunk))
        {
            var rows = await db.Reads.AsNoTracking()
                .Where(r => chunk.Contains(r.MeterId) && (r.Status == ReadStatus.Valid || r.Status == ReadStatus.Estimated || r.Status == ReadStatus.Overridden))
                .GroupBy(r => r.MeterId).Select(g => g.OrderByDescending(r => r.ReadOn).ThenByDescending(r => r.Id).First())
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                result[row.MeterId] = (row.Reading, row.ReadOn);
            }
        }

        return result;
    }

    private List<Incoming> ParseCsv(string fileName, Stream content, ReadCsvMapping mapping, List<FileError> errors)
    {
        var reads = new List<Incoming>();
        using var csv = CsvInput.Open(content);
        if (CsvInput.ReadHeader(csv, fileName, errors) is not { } header)
        {
            return reads;
        }

        // One string per meter serial, however many reads a meter has in the file.
        var serials = new Dictionary<string, string>(StringComparer.Ordinal);

        int Column(string name) => Array.IndexOf(header, name.ToLowerInvariant());
        var required = new[] { mapping.Meter, mapping.Read, mapping.ReadTime };
        var missing = required.Where(c => Column(c) < 0).ToList();
        if (header.Length == 0 || missing.Count > 0)
        {
            errors.Add(new FileError(fileName, 1, "header", $"missing column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}; a read file needs at least {string.Join(", ", required)}"));
            return reads;
        }

        var (meterColumn, readColumn, timeColumn) = (Column(mapping.Meter), Column(mapping.Read), Column(mapping.ReadTime));
        var (accountColumn, pointColumn, methodColumn, unitColumn) = (Column(mapping.Account), Column(mapping.ServicePoint), Column(mapping.ReadMethod), Column(mapping.Unit));
        var (tamperColumn, leakColumn, reverseColumn) = (Column(mapping.TamperFlag), Column(mapping.LeakFlag), Column(mapping.ReverseFlowFlag));
        while (CsvInput.Next(csv, fileName, errors))
        {
            var line = (int)csv.LineNumber;
            if (reads.Count >= MaximumReads)
            {
                errors.Add(new FileError(fileName, line, "file", $"a read file can hold at most {MaximumReads:N0} reads; split it"));
                break;
            }

            string Field(int column) => column >= 0 && csv.FieldCount > column ? csv.GetString(column).Trim() : "";
            if (Field(readColumn).Length == 0 && Field(timeColumn).Length == 0)
            {
                // A route sheet comes back with the meters that were not read left blank.
                continue;
            }

            var before = errors.Count;
            var serial = Field(meterColumn);
            if (serial.Length == 0)
            {
                errors.Add(new FileError(fileName, line, mapping.Meter, "is empty"));
            }

            var readText = Field(readColumn);
            if (!decimal.TryParse(readText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var readValue) || readValue != decimal.Truncate(readValue))
            {
                errors.Add(new FileError(fileName, line, mapping.Read, $"'{readText}' is not a whole register reading"));
            }

            var timeText = Field(timeColumn);
            var readOn = ParseReadTime(timeText);
            if (readOn is null)
            {
                errors.Add(new FileError(fileName, line, mapping.ReadTime, $"'{timeText}' is not a date or date and time (YYYY-MM-DD or ISO 8601)"));
            }

            Unit? unit = null;
            var unitText = Field(unitColumn);
            if (unitText.Length > 0)
            {
                unit = ParseUnit(unitText);
                if (unit is null)
                {
                    errors.Add(new FileError(fileName, line, mapping.Unit, $"'{unitText}' is not a unit OpenCIS knows (gal, kgal, cf, ccf, m3, kwh, wh)"));
                }
            }

            var method = Field(methodColumn);
            var source = method.Length == 0 ? ReadSource.Amr : ParseMethod(method);
            if (source is null)
            {
                errors.Add(new FileError(fileName, line, mapping.ReadMethod, $"'{method}' is not a read method (ami, amr, handheld, manual, customer, field)"));
            }

            long? servicePoint = null;
            var pointText = Field(pointColumn);
            if (pointText.Length > 0)
            {
                if (long.TryParse(pointText, NumberStyles.None, CultureInfo.InvariantCulture, out var point))
                {
                    servicePoint = point;
                }
                else
                {
                    errors.Add(new FileError(fileName, line, mapping.ServicePoint, $"'{pointText}' is not a service point number"));
                }
            }

            var flags = DeviceFlags.None;
            foreach (var (column, flag, name) in new[] { (tamperColumn, DeviceFlags.Tamper, mapping.TamperFlag), (leakColumn, DeviceFlags.Leak, mapping.LeakFlag), (reverseColumn, DeviceFlags.ReverseFlow, mapping.ReverseFlowFlag) })
            {
                var text = Field(column).ToUpperInvariant();
                if (text is "1" or "Y" or "YES" or "TRUE" or "T")
                {
                    flags |= flag;
                }
                else if (text is not ("" or "0" or "N" or "NO" or "FALSE" or "F"))
                {
                    errors.Add(new FileError(fileName, line, name, $"'{text}' is not a flag (1/0, Y/N, true/false)"));
                }
            }

            if (errors.Count == before)
            {
                var account = Field(accountColumn);
                if (!serials.TryGetValue(serial, out var shared))
                {
                    serials[serial] = shared = serial;
                }

                reads.Add(new Incoming(line, shared, readOn!.Value, (long)readValue, null, unit, source!.Value, flags, account.Length == 0 ? null : account, servicePoint));
            }
        }

        return reads;
    }

    private List<Incoming> ParseGreenButton(string fileName, Stream content, List<FileError> errors, CancellationToken cancellationToken)
    {
        var parsed = GreenButtonParser.Parse(fileName, content, cancellationToken);
        errors.AddRange(parsed.Errors);
        var reads = new List<Incoming>();
        var entry = 0;
        foreach (var point in parsed.UsagePoints)
        {
            entry++;
            // The usage point names its meter: by title, or by the last segment of its id.
            var serial = string.IsNullOrWhiteSpace(point.Title) ? point.Id.Split('/')[^1] : point.Title.Trim();
            var forward = point.MeterReadings.Where(m => m.ReadingType.FlowDirectionCode is null or 1 && m.ReadingType.AccumulationBehaviourCode is null or 4).ToList();
            var reverse = point.MeterReadings.Where(m => m.ReadingType.FlowDirectionCode is 19).ToList();
            var intervals = forward.SelectMany(m => m.Intervals).ToList();
            if (intervals.Count == 0)
            {
                errors.Add(new FileError(fileName, entry, "UsagePoint", $"usage point {point.Id} has no delivered interval data (forward flow, delta data)"));
                continue;
            }

            var units = forward.Select(m => m.ReadingType.Unit).Distinct().ToList();
            if (units.Count > 1)
            {
                errors.Add(new FileError(fileName, entry, "ReadingType/uom", $"usage point {point.Id} mixes units {string.Join(", ", units)}"));
                continue;
            }

            var end = intervals.Max(i => i.Start.AddSeconds(i.DurationSeconds));
            var endLocal = TimeZoneInfo.ConvertTime(end, calendar.Zone);
            // Intervals ending at midnight belong to the day that just ended.
            var readOn = DateOnly.FromDateTime(endLocal.TimeOfDay == TimeSpan.Zero ? endLocal.DateTime.AddDays(-1) : endLocal.DateTime);
            var flags = reverse.SelectMany(m => m.Intervals).Any(i => i.Value > 0m) ? DeviceFlags.ReverseFlow : DeviceFlags.None;
            reads.Add(new Incoming(entry, serial, readOn, null, intervals, units[0], ReadSource.Ami, flags, null, null));
        }

        return reads;
    }

    private DateOnly? ParseReadTime(string text)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) && text.Contains('T', StringComparison.Ordinal))
        {
            return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, calendar.Zone).DateTime);
        }

        return null;
    }

    public static Unit? ParseUnit(string text) => text.Trim().ToUpperInvariant() switch
    {
        "GAL" or "GALLON" or "GALLONS" => Unit.Gallons,
        "KGAL" => Unit.Kgal,
        "CF" or "FT3" or "CUFT" or "CU FT" => Unit.CubicFeet,
        "CCF" or "HCF" => Unit.Ccf,
        "M3" => Unit.CubicMeters,
        "KWH" => Unit.Kwh,
        "WH" => Unit.Wh,
        _ => null,
    };

    private static ReadSource? ParseMethod(string text) => text.Trim().ToUpperInvariant() switch
    {
        "AMI" => ReadSource.Ami,
        "AMR" or "DRIVE-BY" or "DRIVEBY" => ReadSource.Amr,
        "HANDHELD" or "MANUAL" or "VISUAL" => ReadSource.Handheld,
        "CUSTOMER" => ReadSource.Customer,
        "FIELD" => ReadSource.Field,
        _ => null,
    };
}
