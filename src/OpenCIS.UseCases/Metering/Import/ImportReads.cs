using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Storage;
using OpenCIS.Storage.Bulk;
using OpenCIS.Storage.Metering;

namespace OpenCIS.UseCases.Metering.Import;

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
public sealed class ImportReads(OpenCisDbContext db, ReadValidator validator, DatabaseSettings settings, BusinessCalendar calendar, UnitConversion conversion, TimeProvider clock)
{
    public const int MaximumReads = 2_000_000;
    private const int QueryChunk = 2_000;
    private const int WriteChunk = 50_000;

    /// <summary>Reads per chunk when a file in meter order is streamed: enough to keep lookups few, small enough to start writing early.</summary>
    public int StreamChunk { get; set; } = 50_000;

    private readonly record struct Incoming(int Line, string MeterSerial, DateOnly ReadOn, long? Reading, IReadOnlyList<GreenButtonInterval>? Intervals, Unit? Unit, ReadSource Source, DeviceFlags Flags, string? AccountNumber, long? ServicePointId)
    {
        /// <summary>The reactive energy a Green Button usage point delivered beside its real energy, in kvarh: kept as interval days.</summary>
        public IReadOnlyList<GreenButtonInterval>? Reactive { get; init; }
    }

    /// <summary>What checking reads needs to know of their meters.</summary>
    private sealed record MeterFacts(Dictionary<string, Meter> Meters, Dictionary<long, string> AccountsByServicePoint, Dictionary<long, (long Reading, DateOnly ReadOn)> PriorForIntervals);

    public Task<ReadImportOutcome> ExecuteAsync(string fileName, byte[] content, ReadFileFormat format, ReadCsvMapping? mapping, string user, CancellationToken cancellationToken = default) =>
        ExecuteAsync(fileName, new MemoryStream(content, writable: false), format, mapping, user, null, cancellationToken);

    /// <summary>
    /// Imports from a seekable stream (a file on disk): read once for its fingerprint, then parsed as it
    /// is read; never held whole in memory when its reads come meter by meter.
    /// </summary>
    /// <param name="progress">Told as reads are parsed and written ("parsed", "written"), with how many.</param>
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

        var file = new ImportedFile { Kind = kind, FileName = Path.GetFileName(fileName), Sha256 = sha256, ImportedBy = user, ImportedAt = clock.GetUtcNow() };
        if (format == ReadFileFormat.Csv)
        {
            // Most meter systems write a file meter by meter. Such a file is streamed: parsed, checked,
            // validated and written chunk by chunk on all cores at once. A file in any other order
            // (a meter that comes back later) is found out early and imported the whole-file way.
            if (await StreamInMeterOrderAsync(fileName, content, mapping ?? ReadCsvMapping.Default, file, progress, cancellationToken) is { } streamed)
            {
                return streamed;
            }

            content.Position = 0;
        }

        var errors = new List<FileError>();
        var incoming = format == ReadFileFormat.Csv
            ? ParseCsv(fileName, content, mapping ?? ReadCsvMapping.Default, errors).ToList()
            : ParseGreenButton(fileName, content, errors, cancellationToken);
        progress?.Report(("parsed", incoming.Count));

        var facts = await MeterFactsAsync(db, incoming, cancellationToken);
        var toJudge = new List<ReadToJudge>();
        foreach (var read in incoming)
        {
            if (Check(fileName, read, facts, errors) is { } judge)
            {
                toJudge.Add(judge);
            }
        }

        var intervalDays = errors.Count == 0 ? IntervalDaysOf(incoming, facts) : [];
        incoming.Clear();
        if (errors.Count == 0 && toJudge.Count == 0)
        {
            errors.Add(new FileError(fileName, 1, "file", "the file has no reads"));
        }

        if (errors.Count > 0)
        {
            return Failed(fileName, errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (now, batch) = await BeginAsync(file, user, cancellationToken);

        // Validation judges the next chunk of meters while this one is written.
        var counts = new VerdictCounts();
        var rows = new List<NewRead>(WriteChunk + 1_000);
        await validator.JudgeInChunksAsync(toJudge, WriteChunk, (chunk, token) => WriteAsync(chunk, batch, rows, counts, progress, token), cancellationToken);
        await SaveIntervalDaysAsync(intervalDays, file.Id, cancellationToken);
        return await FinishAsync(fileName, file, format, counts, now, user, cancellationToken);
    }

    /// <summary>
    /// The interval reads of a Green Button file by meter and local day, in the meter's unit: what time-of-use registers
    /// and demand are billed from.
    /// </summary>
    private List<(long MeterId, int Minutes, IntervalDay Day)> IntervalDaysOf(List<Incoming> incoming, MeterFacts facts)
    {
        var days = new List<(long, int, IntervalDay)>();
        foreach (var read in incoming.Where(r => r.Intervals is { Count: > 0 }))
        {
            var meter = facts.Meters[read.MeterSerial];
            var from = read.Unit ?? meter.Unit;
            var minutes = read.Intervals!.Min(i => i.DurationSeconds) / 60;
            var local = read.Intervals!.Select(i => new IntervalRead(TimeZoneInfo.ConvertTime(i.Start, calendar.Zone).DateTime, Math.Max(1, i.DurationSeconds / 60),
                from == meter.Unit ? i.Value : conversion.Convert(new Quantity(i.Value, from), meter.Unit).Value));
            days.AddRange(IntervalDay.FromReads(local, meter.Unit).Select(d => (meter.Id, Math.Max(1, minutes), d)));
            if (read.Reactive is { Count: > 0 } reactive)
            {
                // Reactive energy is never a register's use: its days are kept in kvarh beside the real energy's, for the power factor.
                var reactiveMinutes = reactive.Min(i => i.DurationSeconds) / 60;
                var reactiveLocal = reactive.Select(i => new IntervalRead(TimeZoneInfo.ConvertTime(i.Start, calendar.Zone).DateTime, Math.Max(1, i.DurationSeconds / 60),
                    i.Value));
                days.AddRange(IntervalDay.FromReads(reactiveLocal, Unit.Kvarh).Select(d => (meter.Id, Math.Max(1, reactiveMinutes), d)));
            }
        }

        return days;
    }

    /// <summary>Keeps each meter's interval days, replacing what an earlier file held for the same days.</summary>
    private async Task SaveIntervalDaysAsync(List<(long MeterId, int Minutes, IntervalDay Day)> days, long fileId, CancellationToken cancellationToken)
    {
        foreach (var meter in days.GroupBy(d => d.MeterId))
        {
            var dates = meter.Select(d => d.Day.Day).ToList();
            var existing = await db.IntervalDays.Where(d => d.MeterId == meter.Key && dates.Contains(d.Day)).ToDictionaryAsync(d => (d.Day, d.Unit), cancellationToken);
            foreach (var (meterId, minutes, day) in meter)
            {
                if (!existing.TryGetValue((day.Day, day.Unit), out var row))
                {
                    row = new IntervalDayRow { MeterId = meterId, Day = day.Day, Unit = day.Unit };
                    db.IntervalDays.Add(row);
                }

                row.Record(day, minutes, fileId);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<(DateTimeOffset Now, ReadBatch Batch)> BeginAsync(ImportedFile file, string user, CancellationToken cancellationToken)
    {
        var now = file.ImportedAt;
        db.ImportedFiles.Add(file);
        await db.SaveChangesAsync(cancellationToken);
        return (now, new ReadBatch(now, user, file.Id));
    }

    private async Task<ReadImportOutcome> FinishAsync(string fileName, ImportedFile file, ReadFileFormat format, VerdictCounts counts, DateTimeOffset now, string user, CancellationToken cancellationToken)
    {
        file.RecordCount = counts.Total;
        AuditLog.Record(db, now, user, "ImportedFile", file.Id, null, "Import reads", null,
            new { file.FileName, file.Sha256, Reads = counts.Total, Format = format.ToString() }, "Meter read import");
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.CommitTransactionAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new ReadImportOutcome(true, false, counts.Valid, counts.Suspect, counts.Rejected, [],
            $"{fileName}: imported {counts.Total:N0} reads: {counts.Valid:N0} valid, {counts.Suspect:N0} suspect and {counts.Rejected:N0} rejected (the last two wait in the review queue).");
    }

    private static ReadImportOutcome Failed(string fileName, IEnumerable<FileError> errors)
    {
        var ordered = errors.OrderBy(e => e.Line).ToList();
        return new ReadImportOutcome(false, false, 0, 0, 0, ordered, $"{fileName} has {ordered.Count} error{(ordered.Count == 1 ? "" : "s")}; nothing was imported.");
    }

    private sealed class VerdictCounts
    {
        public int Valid { get; set; }

        public int Suspect { get; set; }

        public int Rejected { get; set; }

        public int Total => Valid + Suspect + Rejected;
    }

    private async Task WriteAsync(IEnumerable<(ReadToJudge Read, ReadVerdict Verdict)> judged, ReadBatch batch, List<NewRead> rows, VerdictCounts counts, IProgress<(string Phase, int Reads)>? progress, CancellationToken cancellationToken)
    {
        rows.Clear();
        foreach (var (read, verdict) in judged)
        {
            switch (verdict.Status)
            {
                case ReadStatus.Valid: counts.Valid++; break;
                case ReadStatus.Suspect: counts.Suspect++; break;
                default: counts.Rejected++; break;
            }

            rows.Add(new NewRead(read.Meter.Id, read.ServicePointId, read.ReadOn, read.Reading, read.Source, verdict.Status, read.Flags, verdict.Reasons.IsDefaultOrEmpty ? null : verdict.ReasonText));
        }

        await MeterReadBulkWriter.WriteAsync(db, batch, rows, cancellationToken);
        progress?.Report(("written", rows.Count));
    }

    /// <summary>
    /// Streams a CSV file whose reads come meter by meter through three stages on their own threads:
    /// parsing; checking and validating (with its own connection, reading only what was there before
    /// this file); and writing, in this import's transaction. Each meter's reads are judged together,
    /// as the whole-file way judges them. Returns null, having written nothing, when a meter comes back
    /// after another meter's reads.
    /// </summary>
    private async Task<ReadImportOutcome?> StreamInMeterOrderAsync(string fileName, Stream content, ReadCsvMapping mapping, ImportedFile file, IProgress<(string Phase, int Reads)>? progress, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parseErrors = new List<FileError>();
        var checkErrors = new List<FileError>();
        var inMeterOrder = true;
        var parsed = Channel.CreateBounded<List<Incoming>>(new BoundedChannelOptions(3) { SingleReader = true, SingleWriter = true });
        var judged = Channel.CreateBounded<IReadOnlyList<(ReadToJudge, ReadVerdict)>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });

        // Parsing has a thread of its own and blocks on a full channel, rather than hopping between
        // pool threads: on two cores, idle pool threads spinning for work cost the other stages.
        var parser = Task.Factory.StartNew(() =>
        {
            void Hand(List<Incoming> chunk) => parsed.Writer.WriteAsync(chunk, stop.Token).AsTask().GetAwaiter().GetResult();
            try
            {
                var chunk = new List<Incoming>(StreamChunk + 1_000);
                string? meter = null;
                foreach (var read in ParseCsv(fileName, content, mapping, parseErrors))
                {
                    // A chunk ends between meters, so each meter's reads are judged together.
                    if (!string.Equals(read.MeterSerial, meter, StringComparison.Ordinal))
                    {
                        if (chunk.Count >= StreamChunk)
                        {
                            Hand(chunk);
                            progress?.Report(("parsed", chunk.Count));
                            chunk = new List<Incoming>(StreamChunk + 1_000);
                        }

                        meter = read.MeterSerial;
                    }

                    chunk.Add(read);
                }

                Hand(chunk);
                progress?.Report(("parsed", chunk.Count));
                parsed.Writer.Complete();
            }
            catch (Exception exception)
            {
                parsed.Writer.Complete(exception);
            }
        }, stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var checker = Task.Run(async () =>
        {
            try
            {
                await using var lookup = settings.CreateContext();
                // The writer and the parser keep the other cores busy: this stage judges on one.
                var judge = new ReadValidator(lookup) { Thresholds = validator.Thresholds, Parallelism = 1 };
                var seen = new HashSet<string>(StringComparer.Ordinal);
                string? meter = null;
                await foreach (var chunk in parsed.Reader.ReadAllAsync(stop.Token))
                {
                    foreach (var read in chunk)
                    {
                        if (!string.Equals(read.MeterSerial, meter, StringComparison.Ordinal))
                        {
                            inMeterOrder &= seen.Add(read.MeterSerial);
                            meter = read.MeterSerial;
                        }
                    }

                    if (!inMeterOrder)
                    {
                        break;
                    }

                    var facts = await MeterFactsAsync(lookup, chunk, stop.Token);
                    var toJudge = new List<ReadToJudge>(chunk.Count);
                    foreach (var read in chunk)
                    {
                        if (Check(fileName, read, facts, checkErrors) is { } candidate)
                        {
                            toJudge.Add(candidate);
                        }
                    }

                    // After the first bad line the rest is only checked, to report every error at once.
                    if (checkErrors.Count == 0 && toJudge.Count > 0)
                    {
                        await judged.Writer.WriteAsync(await judge.JudgeAsync(toJudge, null, stop.Token), stop.Token);
                    }
                }

                judged.Writer.Complete();
            }
            catch (Exception exception)
            {
                judged.Writer.Complete(exception);
            }
        }, stop.Token);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (now, batch) = await BeginAsync(file, file.ImportedBy, cancellationToken);
        var counts = new VerdictCounts();
        var rows = new List<NewRead>(StreamChunk + 1_000);
        try
        {
            await foreach (var chunk in judged.Reader.ReadAllAsync(cancellationToken))
            {
                if (inMeterOrder)
                {
                    await WriteAsync(chunk, batch, rows, counts, progress, cancellationToken);
                }
            }
        }
        finally
        {
            // Whatever ended the writing, the other stages stop too before this returns.
            await stop.CancelAsync();
            await Task.WhenAll(parser, checker).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        if (!inMeterOrder)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return null;
        }

        var errors = parseErrors.Concat(checkErrors).ToList();
        if (errors.Count == 0 && counts.Total == 0)
        {
            errors.Add(new FileError(fileName, 1, "file", "the file has no reads"));
        }

        if (errors.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return Failed(fileName, errors);
        }

        return await FinishAsync(fileName, file, ReadFileFormat.Csv, counts, now, file.ImportedBy, cancellationToken);
    }

    private async Task<MeterFacts> MeterFactsAsync(OpenCisDbContext context, IReadOnlyList<Incoming> reads, CancellationToken cancellationToken)
    {
        var meters = new Dictionary<string, Meter>(StringComparer.Ordinal);
        foreach (var chunk in reads.Select(r => r.MeterSerial).Distinct().Chunk(QueryChunk))
        {
            foreach (var meter in await context.Meters.AsNoTracking().Where(m => chunk.Contains(m.Serial)).ToListAsync(cancellationToken))
            {
                meters[meter.Serial] = meter;
            }
        }

        var accounts = await AccountNumbersAsync(context, meters.Values.Where(m => m.ServicePointId is not null).Select(m => m.ServicePointId!.Value).ToList(), cancellationToken);
        var prior = await PriorReadsAsync(context, reads.Where(r => r.Intervals is not null).Select(r => r.MeterSerial).Distinct().Where(meters.ContainsKey).Select(s => meters[s].Id).ToList(), cancellationToken);
        return new MeterFacts(meters, accounts, prior);
    }

    /// <summary>Checks one read against its meter; null, with the problem added to <paramref name="errors"/>, when it cannot be imported.</summary>
    private ReadToJudge? Check(string fileName, Incoming read, MeterFacts facts, List<FileError> errors)
    {
        if (!facts.Meters.TryGetValue(read.MeterSerial, out var meter))
        {
            errors.Add(new FileError(fileName, read.Line, "meter", $"there is no meter {read.MeterSerial}"));
            return null;
        }

        if (meter.ServicePointId is not { } servicePointId)
        {
            errors.Add(new FileError(fileName, read.Line, "meter", $"meter {meter.Serial} is {meter.Status}, not installed at a service point"));
            return null;
        }

        if (meter.SetOn is { } setOn && read.ReadOn < setOn)
        {
            errors.Add(new FileError(fileName, read.Line, "read_time", $"{read.ReadOn:yyyy-MM-dd} is before meter {meter.Serial} was set on {setOn:yyyy-MM-dd}"));
            return null;
        }

        if (read.ServicePointId is { } filePoint && filePoint != servicePointId)
        {
            errors.Add(new FileError(fileName, read.Line, "service_point", $"meter {meter.Serial} is at service point {servicePointId}, not {filePoint}"));
            return null;
        }

        if (read.AccountNumber is { } fileAccount && facts.AccountsByServicePoint.GetValueOrDefault(servicePointId) is { } account && account != fileAccount)
        {
            errors.Add(new FileError(fileName, read.Line, "account", $"meter {meter.Serial} serves account {account}, not {fileAccount}"));
            return null;
        }

        var register = meter.Register;
        var reading = read.Reading;
        if (read.Intervals is { } intervals)
        {
            if (!facts.PriorForIntervals.TryGetValue(meter.Id, out var prior))
            {
                errors.Add(new FileError(fileName, read.Line, "UsagePoint", $"meter {meter.Serial} has no earlier read to add the interval use to"));
                return null;
            }

            // Use since the prior read: the intervals from the start of the day after it.
            var from = new DateTimeOffset(prior.ReadOn.AddDays(1).ToDateTime(TimeOnly.MinValue), calendar.Zone.GetUtcOffset(prior.ReadOn.AddDays(1).ToDateTime(TimeOnly.MinValue)));
            var usage = GreenButtonParser.Total(intervals, from, DateTimeOffset.MaxValue);

            var inMeterUnit = read.Unit is { } unit && unit != meter.Unit ? ConvertOrNull(usage, unit, meter.Unit) : usage;
            if (inMeterUnit is null)
            {
                errors.Add(new FileError(fileName, read.Line, "ReadingType/uom", $"the intervals are in {read.Unit} but meter {meter.Serial} registers {meter.Unit}"));
                return null;
            }

            if (inMeterUnit < 0m)
            {
                errors.Add(new FileError(fileName, read.Line, "IntervalReading", $"the intervals since meter {meter.Serial}'s read of {prior.ReadOn:yyyy-MM-dd} add up to less than nothing ({inMeterUnit:N0})"));
                return null;
            }

            reading = register.ReadingAfter(prior.Reading, inMeterUnit.Value);
        }
        else if (read.Unit is { } unit && unit != meter.Unit)
        {
            errors.Add(new FileError(fileName, read.Line, "unit", $"the read is in {UnitConversion.Abbreviation(unit)} but meter {meter.Serial} registers {UnitConversion.Abbreviation(meter.Unit)}"));
            return null;
        }

        if (reading is not { } value || !register.Fits(value))
        {
            errors.Add(new FileError(fileName, read.Line, "read", $"{reading:N0} does not fit the {meter.Dials} dials of meter {meter.Serial}"));
            return null;
        }

        return new ReadToJudge(meter, servicePointId, read.ReadOn, value, read.Flags, read.Source);
    }

    private decimal? ConvertOrNull(decimal value, Unit from, Unit to)
    {
        try
        {
            return conversion.Convert(new Quantity(value, from), to).Value;
        }
        catch (DomainException)
        {
            return null;
        }
    }

    private static async Task<Dictionary<long, string>> AccountNumbersAsync(OpenCisDbContext db, List<long> servicePointIds, CancellationToken cancellationToken)
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

    private static async Task<Dictionary<long, (long Reading, DateOnly ReadOn)>> PriorReadsAsync(OpenCisDbContext db, List<long> meterIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<long, (long, DateOnly)>();
        foreach (var chunk in meterIds.Chunk(QueryChunk))
        {
            var rows = await db.Reads.AsNoTracking()
                .Where(r => chunk.Contains(r.MeterId) && ReadStatuses.Billable.Contains(r.Status))
                .GroupBy(r => r.MeterId).Select(g => g.OrderByDescending(r => r.ReadOn).ThenByDescending(r => r.Id).First())
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                result[row.MeterId] = (row.Reading, row.ReadOn);
            }
        }

        return result;
    }

    private IEnumerable<Incoming> ParseCsv(string fileName, Stream content, ReadCsvMapping mapping, List<FileError> errors)
    {
        using var csv = CsvInput.Open(content);
        if (CsvInput.ReadHeader(csv, fileName, errors) is not { } header)
        {
            yield break;
        }

        var count = 0;

        // Fields are read as the UTF-8 bytes CsvHelper found: numbers and plain dates are parsed from
        // them directly, and text becomes one shared string per distinct value (a meter's serial is
        // one string however many reads it has), so a million-line file is not a million strings per column.
        var texts = new TextInterner();

        int Column(string name) => Array.IndexOf(header, name.ToLowerInvariant());
        var required = new[] { mapping.Meter, mapping.Read, mapping.ReadTime };
        var missing = required.Where(c => Column(c) < 0).ToList();
        if (header.Length == 0 || missing.Count > 0)
        {
            errors.Add(new FileError(fileName, 1, "header", $"missing column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}; a read file needs at least {string.Join(", ", required)}"));
            yield break;
        }

        var (meterColumn, readColumn, timeColumn) = (Column(mapping.Meter), Column(mapping.Read), Column(mapping.ReadTime));
        var (accountColumn, pointColumn, methodColumn, unitColumn) = (Column(mapping.Account), Column(mapping.ServicePoint), Column(mapping.ReadMethod), Column(mapping.Unit));
        var flagColumns = new[] { (Column(mapping.TamperFlag), DeviceFlags.Tamper, mapping.TamperFlag), (Column(mapping.LeakFlag), DeviceFlags.Leak, mapping.LeakFlag), (Column(mapping.ReverseFlowFlag), DeviceFlags.ReverseFlow, mapping.ReverseFlowFlag) };
        while (CsvInput.Next(csv, fileName, errors))
        {
            var line = (int)csv.LineNumber;
            if (count >= MaximumReads)
            {
                errors.Add(new FileError(fileName, line, "file", $"a read file can hold at most {MaximumReads:N0} reads; split it"));
                break;
            }

            ReadOnlySpan<byte> Field(int column) => column >= 0 && csv.FieldCount > column ? csv.GetSpan(column).Trim(" \t"u8) : default;
            var readField = Field(readColumn);
            var timeField = Field(timeColumn);
            if (readField.IsEmpty && timeField.IsEmpty)
            {
                // A route sheet comes back with the meters that were not read left blank.
                continue;
            }

            var before = errors.Count;
            var serial = texts.Get(Field(meterColumn));
            if (serial.Length == 0)
            {
                errors.Add(new FileError(fileName, line, mapping.Meter, "is empty"));
            }

            if (!TryParseWholeReading(readField, out var readValue))
            {
                errors.Add(new FileError(fileName, line, mapping.Read, $"'{Encoding.UTF8.GetString(readField)}' is not a whole register reading"));
            }

            var readOn = TryParsePlainDate(timeField) ?? ParseReadTime(Encoding.UTF8.GetString(timeField));
            if (readOn is null)
            {
                errors.Add(new FileError(fileName, line, mapping.ReadTime, $"'{Encoding.UTF8.GetString(timeField)}' is not a date or date and time (YYYY-MM-DD or ISO 8601)"));
            }

            Unit? unit = null;
            var unitText = texts.Get(Field(unitColumn));
            if (unitText.Length > 0)
            {
                unit = ParseUnit(unitText);
                if (unit is null)
                {
                    errors.Add(new FileError(fileName, line, mapping.Unit, $"'{unitText}' is not a unit OpenCIS knows (gal, kgal, cf, ccf, m3, kwh, wh)"));
                }
            }

            var method = texts.Get(Field(methodColumn));
            var source = method.Length == 0 ? ReadSource.Amr : ParseMethod(method);
            if (source is null)
            {
                errors.Add(new FileError(fileName, line, mapping.ReadMethod, $"'{method}' is not a read method (ami, amr, handheld, manual, customer, field)"));
            }

            long? servicePoint = null;
            var pointField = Field(pointColumn);
            if (!pointField.IsEmpty)
            {
                if (Utf8Parser.TryParse(pointField, out long point, out var used) && used == pointField.Length && point >= 0)
                {
                    servicePoint = point;
                }
                else
                {
                    errors.Add(new FileError(fileName, line, mapping.ServicePoint, $"'{Encoding.UTF8.GetString(pointField)}' is not a service point number"));
                }
            }

            var flags = DeviceFlags.None;
            foreach (var (column, flag, name) in flagColumns)
            {
                switch (ParseFlag(texts.Get(Field(column))))
                {
                    case true:
                        flags |= flag;
                        break;
                    case null:
                        errors.Add(new FileError(fileName, line, name, $"'{texts.Get(Field(column))}' is not a flag (1/0, Y/N, true/false)"));
                        break;
                }
            }

            if (errors.Count == before)
            {
                var account = texts.Get(Field(accountColumn));
                count++;
                yield return new Incoming(line, serial, readOn!.Value, readValue, null, unit, source!.Value, flags, account.Length == 0 ? null : account, servicePoint);
            }
        }
    }

    /// <summary>A register reading: digits, or a decimal whose fraction is zero ("1234.0").</summary>
    private static bool TryParseWholeReading(ReadOnlySpan<byte> field, out long value)
    {
        if (!field.IsEmpty && field[0] is >= (byte)'0' and <= (byte)'9' && Utf8Parser.TryParse(field, out value, out var used) && used == field.Length)
        {
            return true;
        }

        value = 0;
        if (decimal.TryParse(Encoding.UTF8.GetString(field), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) && number == decimal.Truncate(number) && number <= long.MaxValue)
        {
            value = (long)number;
            return true;
        }

        return false;
    }

    /// <summary>A plain YYYY-MM-DD date read straight from its bytes; null for anything else (ISO date-times go the long way).</summary>
    private static DateOnly? TryParsePlainDate(ReadOnlySpan<byte> field)
    {
        if (field.Length != 10 || field[4] != '-' || field[7] != '-')
        {
            return null;
        }

        static int Digits(ReadOnlySpan<byte> digits)
        {
            var value = 0;
            foreach (var digit in digits)
            {
                if (digit is < (byte)'0' or > (byte)'9')
                {
                    return -1;
                }

                value = (value * 10) + (digit - '0');
            }

            return value;
        }

        var (year, month, day) = (Digits(field[..4]), Digits(field[5..7]), Digits(field[8..]));
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;
    }

    /// <summary>True, false, or null when the text is not a flag; an empty field is false.</summary>
    private static bool? ParseFlag(string text) => text.ToUpperInvariant() switch
    {
        "1" or "Y" or "YES" or "TRUE" or "T" => true,
        "" or "0" or "N" or "NO" or "FALSE" or "F" => false,
        _ => null,
    };

    /// <summary>One string per distinct field value, looked up from the field's UTF-8 bytes without allocating.</summary>
    private sealed class TextInterner
    {
        private readonly Dictionary<string, string> strings = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> lookup;
        private char[] buffer = new char[128];

        public TextInterner() => lookup = strings.GetAlternateLookup<ReadOnlySpan<char>>();

        public string Get(ReadOnlySpan<byte> utf8)
        {
            if (utf8.IsEmpty)
            {
                return "";
            }

            if (utf8.Length > buffer.Length)
            {
                buffer = new char[utf8.Length];
            }

            var chars = buffer.AsSpan(0, Encoding.UTF8.GetChars(utf8, buffer));
            if (!lookup.TryGetValue(chars, out var text))
            {
                text = chars.ToString();
                strings[text] = text;
            }

            return text;
        }
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
            // Reactive energy (VArh) delivered beside the real energy is no read of the register: it is kept apart for the power factor.
            var delivered = point.MeterReadings.Where(m => m.ReadingType.FlowDirectionCode is null or 1 && m.ReadingType.AccumulationBehaviourCode is null or 4).ToList();
            var forward = delivered.Where(m => !UnitConversion.IsReactive(m.ReadingType.Unit)).ToList();
            var reactive = delivered.Where(m => UnitConversion.IsReactive(m.ReadingType.Unit)).ToList();
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
            reads.Add(new Incoming(entry, serial, readOn, null, intervals, units[0], ReadSource.Ami, flags, null, null)
            {
                Reactive = reactive.Count == 0 ? null : [.. reactive.SelectMany(m => m.Intervals.Select(i => i with { Value = conversion.Convert(new Quantity(i.Value, m.ReadingType.Unit), Unit.Kvarh).Value }))],
            });
        }

        return reads;
    }

    private DateOnly? ParseReadTime(string text)
    {
        if (IsoDate.TryParse(text, out var date))
        {
            return date;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) && text.Contains('T', StringComparison.Ordinal))
        {
            return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, calendar.Zone).DateTime);
        }

        return null;
    }

    public static Unit? ParseUnit(string text) => UnitConversion.Parse(text);

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
