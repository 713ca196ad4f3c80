using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Core.Payments.Ach;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Metering.Import;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Payments.Ach;
using OpenCIS.UseCases.Rating;
using OpenCIS.UseCases.Reports;
using Spectre.Console;

namespace OpenCIS.Cli.Benchmarks;

/// <summary>
/// <c>opencis bench fuzz --files N</c>: takes a valid file of every format OpenCIS reads (payment CSV, lockbox CSV and
/// BAI2, read CSV, Green Button XML, a NACHA return file, tariff YAML, collection policy YAML), built from the demo
/// city's own accounts, meters and ACH file, mutates it (bit flips, truncation, duplicated, swapped and dropped lines,
/// huge numbers, other encodings, oversize fields, stray bytes) and imports it through the same workflow the screens
/// use. Each file must be posted whole or refused with a message naming a line, record or field, and a refusal must
/// leave the ledger exactly as it was. The last line is
/// <c>RESULT files=N crashes=N partial_posts=N unclear_errors=N</c>; the target is all zeros.
/// </summary>
public static class FuzzBenchmark
{
    private enum Format
    {
        PaymentCsv,
        LockboxCsv,
        LockboxBai2,
        ReadCsv,
        GreenButton,
        AchReturns,
        TariffYaml,
        PolicyYaml,
    }

    private sealed record Outcome(bool Posted, IReadOnlyList<FileError> Errors, string Message);

    public static async Task<int> RunAsync(IServiceProvider services, IAnsiConsole console, int files, int seed, int accounts, string user, CancellationToken cancellationToken)
    {
        Dictionary<Format, byte[]> seeds;
        await using (var scope = services.CreateAsyncScope())
        {
            var city = scope.ServiceProvider.GetRequiredService<BenchmarkCity>();
            await BenchmarkPreparation.PrepareCityAsync(city, console, accounts, cancellationToken);
            seeds = await SeedsAsync(scope.ServiceProvider, city, user, cancellationToken);
        }

        console.WriteLine($"Fuzzing {files:N0} files over {seeds.Count} formats (seed {seed})...");
        var random = new Random(seed);
        var formats = seeds.Keys.ToArray();
        int crashes = 0, partial = 0, unclear = 0, posted = 0, refused = 0;
        var examples = new List<string>();
        await console.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask("files", maxValue: files);
            for (var i = 0; i < files; i++)
            {
                var format = formats[i % formats.Length];
                var (content, mutation) = Mutate(seeds[format], random);
                var name = $"fuzz-{i:D5}.{Extension(format)}";
                string before;
                await using (var scope = services.CreateAsyncScope())
                {
                    before = await scope.ServiceProvider.GetRequiredService<DatabaseSummary>().ImportFingerprintAsync(cancellationToken);
                }

                Outcome outcome;
                try
                {
                    await using var scope = services.CreateAsyncScope();
                    outcome = await ImportAsync(scope.ServiceProvider, format, name, content, user, cancellationToken);
                }
                catch (DomainException exception)
                {
                    outcome = new Outcome(false, [new FileError(name, 0, exception.Field ?? "", exception.Message)], exception.Message);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    crashes++;
                    Note(examples, $"crash: {format} {mutation}: {exception.GetType().Name}: {exception.Message}");
                    task.Increment(1);
                    continue;
                }

                if (outcome.Posted)
                {
                    posted++;
                }
                else
                {
                    refused++;
                    if (outcome.Errors.Count == 0 || outcome.Errors.Any(e => string.IsNullOrWhiteSpace(e.Message) || (e.Line <= 0 && string.IsNullOrWhiteSpace(e.Field))))
                    {
                        unclear++;
                        Note(examples, $"unclear: {format} {mutation}: {outcome.Message}");
                    }

                    await using var scope = services.CreateAsyncScope();
                    if (await scope.ServiceProvider.GetRequiredService<DatabaseSummary>().ImportFingerprintAsync(cancellationToken) != before)
                    {
                        partial++;
                        Note(examples, $"partial post: {format} {mutation}: {outcome.Message}");
                    }
                }

                task.Increment(1);
            }
        });

        await using (var scope = services.CreateAsyncScope())
        {
            var summary = await scope.ServiceProvider.GetRequiredService<DatabaseSummary>().ExecuteAsync(cancellationToken);
            if (!summary.Balances || !summary.TiesOut)
            {
                partial++;
                Note(examples, $"after the run the trial balance {(summary.Balances ? "balances" : "does not balance")} and {(summary.TiesOut ? "ties" : "does not tie")} to the sub-ledger");
            }
        }

        foreach (var example in examples)
        {
            console.WriteLine(example);
        }

        console.WriteLine($"{posted:N0} posted whole, {refused:N0} refused naming a line, record or field.");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT files={files} crashes={crashes} partial_posts={partial} unclear_errors={unclear}"));
        return crashes + partial + unclear == 0 ? CliApp.Ok : CliApp.OutOfBalance;
    }

    private static void Note(List<string> examples, string text)
    {
        if (examples.Count < 20)
        {
            examples.Add(text);
        }
    }

    private static string Extension(Format format) => format switch
    {
        Format.LockboxBai2 => "bai",
        Format.GreenButton => "xml",
        Format.AchReturns => "ach",
        Format.TariffYaml or Format.PolicyYaml => "yaml",
        _ => "csv",
    };

    private static async Task<Outcome> ImportAsync(IServiceProvider services, Format format, string name, byte[] content, string user, CancellationToken cancellationToken)
    {
        switch (format)
        {
            case Format.PaymentCsv:
                var payments = await services.GetRequiredService<PostPaymentFile>().ExecuteAsync(name, content, user, cancellationToken);
                return new Outcome(payments.Posted || payments.AlreadyPosted, payments.Errors, payments.Message);
            case Format.LockboxCsv or Format.LockboxBai2:
                var lockbox = await services.GetRequiredService<ImportLockbox>().ExecuteAsync(format == Format.LockboxCsv ? LockboxFormat.Csv : LockboxFormat.Bai2, name, content, user, cancellationToken);
                return new Outcome(lockbox.Posted || lockbox.AlreadyPosted, lockbox.Errors, lockbox.Message);
            case Format.ReadCsv or Format.GreenButton:
                var reads = await services.GetRequiredService<ImportReads>().ExecuteAsync(name, new MemoryStream(content, writable: false), format == Format.ReadCsv ? ReadFileFormat.Csv : ReadFileFormat.GreenButton, null, user, null, cancellationToken);
                return new Outcome(reads.Posted || reads.AlreadyPosted, reads.Errors, reads.Message);
            case Format.AchReturns:
                var returns = await services.GetRequiredService<ProcessAchReturns>().ExecuteAsync(name, content, user, cancellationToken);
                return new Outcome(returns.Posted || returns.AlreadyPosted, returns.Errors, returns.Message);
            case Format.TariffYaml:
                var tariff = await services.GetRequiredService<ImportTariff>().ExecuteAsync(name, Encoding.UTF8.GetString(content), null, user, cancellationToken);
                // No errors and nothing imported: the same text as a version already stored, which is "already posted".
                return new Outcome(tariff.Imported || tariff.Errors.Count == 0, tariff.Errors, tariff.Message);
            default:
                var policy = await services.GetRequiredService<ImportCollectionPolicy>().ExecuteAsync(name, Encoding.UTF8.GetString(content), user, cancellationToken);
                return new Outcome(policy.Imported || policy.Errors.Count == 0, policy.Errors, policy.Message);
        }
    }

    /// <summary>A valid file of each format, from the city's own accounts, meters and ACH file and the repository's examples.</summary>
    private static async Task<Dictionary<Format, byte[]>> SeedsAsync(IServiceProvider services, BenchmarkCity city, string user, CancellationToken cancellationToken)
    {
        var calendar = services.GetRequiredService<UseCases.BusinessCalendar>();
        var today = calendar.Today();
        var payers = (await city.PayersAsync(cancellationToken)).Take(12).ToList();
        var csv = new StringBuilder("account,amount,date,tender,reference\n");
        for (var i = 0; i < payers.Count; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{payers[i].AccountNumber},{12 + i}.{i % 100:D2},{today:yyyy-MM-dd},{(i % 2 == 0 ? "check" : "money order")},CK{1000 + i}\n");
        }

        var seeds = new Dictionary<Format, byte[]>
        {
            [Format.PaymentCsv] = Encoding.UTF8.GetBytes(csv.ToString()),
            [Format.LockboxCsv] = Encoding.UTF8.GetBytes(csv.ToString().Replace("money order", "check", StringComparison.Ordinal)),
            [Format.LockboxBai2] = Encoding.UTF8.GetBytes(Bai2Writer.Write("121000248", "RIVERBEND", today.ToDateTime(new TimeOnly(6, 0)), "1", today,
                [new Bai2Account("5550001", [.. payers.Select((p, i) => new Bai2Item(Money.FromCents(1_000 + (i * 37)), p.AccountNumber, $"CHK{2000 + i}"))])])),
        };

        var meters = (await city.InstalledMetersAsync(cancellationToken)).Take(10).ToList();
        var reads = new StringBuilder("meter,read,read_time,read_method\n");
        foreach (var meter in meters)
        {
            reads.Append(CultureInfo.InvariantCulture, $"{meter.Serial},{meter.LastReading + 7},{meter.LastReadOn.AddDays(1):yyyy-MM-dd},AMI\n");
        }

        seeds[Format.ReadCsv] = Encoding.UTF8.GetBytes(reads.ToString());
        seeds[Format.GreenButton] = Encoding.UTF8.GetBytes(GreenButton(meters.Count > 0 ? meters[0].Serial : "W0000001", meters.Count > 0 ? meters[0].LastReadOn.AddDays(1) : today));

        // A return file answering the city's latest ACH debit file (generated for the next banking day when there is none).
        var debits = await city.LatestAchFileAsync(cancellationToken);
        if (debits is null && await city.NextAchDueDateAsync(today.AddDays(1), cancellationToken) is { } due)
        {
            var generated = await services.GetRequiredService<GenerateAchFile>().ExecuteAsync(due, user, cancellationToken);
            debits = generated.EntryCount > 0 ? generated.Content : null;
        }

        if (debits is null)
        {
            throw new DomainException("The demo city has no ACH debit file to answer with a return file, and no ACH bill coming due to make one.", "ach");
        }

        if (debits is not null && NachaReader.Read(debits) is { File: { } debitFile } read)
        {
            var traces = read.Entries.Where(e => e.Entry.Amount.IsPositive).Take(3).Select((e, i) => (e.Entry.TraceNumber, i == 0 ? "R01" : "R03")).ToList();
            seeds[Format.AchReturns] = Encoding.ASCII.GetBytes(NachaWriter.Write(AchReturnFile.For(debitFile, traces, today)));
        }

        seeds[Format.TariffYaml] = await File.ReadAllBytesAsync(Example("tariffs", "charlotte-nc-water-sewer.yaml"), cancellationToken);
        seeds[Format.PolicyYaml] = await File.ReadAllBytesAsync(Example("collections", "riverbend.yaml"), cancellationToken);
        return seeds;
    }

    /// <summary>A file of the repository's examples folder, found from the working directory or the program's.</summary>
    private static string Example(params string[] parts)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var path = Path.Combine([folder.FullName, "examples", .. parts]);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        throw new DomainException($"The example {string.Join('/', parts)} was not found; run the fuzz harness from the repository.", "examples");
    }

    private static string GreenButton(string serial, DateOnly day)
    {
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
        var values = string.Concat(Enumerable.Range(0, 24).Select(h => string.Create(CultureInfo.InvariantCulture,
            $"        <IntervalReading><timePeriod><duration>3600</duration><start>{start + (h * 3600)}</start></timePeriod><value>{(h % 5) + 1}</value></IntervalReading>\n")));
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xmlns:espi="http://naesb.org/espi">
              <id>urn:uuid:fuzz</id>
              <title>Green Button Usage Feed</title>
              <entry>
                <link rel="self" href="RetailCustomer/1/UsagePoint/1"/>
                <link rel="up" href="RetailCustomer/1/UsagePoint"/>
                <link rel="related" href="RetailCustomer/1/UsagePoint/1/MeterReading"/>
                <title>{serial}</title>
                <content><espi:UsagePoint><espi:ServiceCategory><espi:kind>2</espi:kind></espi:ServiceCategory></espi:UsagePoint></content>
              </entry>
              <entry>
                <link rel="self" href="RetailCustomer/1/UsagePoint/1/MeterReading/1"/>
                <link rel="up" href="RetailCustomer/1/UsagePoint/1/MeterReading"/>
                <link rel="related" href="RetailCustomer/1/UsagePoint/1/MeterReading/1/IntervalBlock"/>
                <link rel="related" href="ReadingType/1"/>
                <content><espi:MeterReading/></content>
              </entry>
              <entry>
                <link rel="self" href="ReadingType/1"/>
                <link rel="up" href="ReadingType"/>
                <content><espi:ReadingType><espi:accumulationBehaviour>4</espi:accumulationBehaviour><espi:commodity>4</espi:commodity><espi:flowDirection>1</espi:flowDirection><espi:intervalLength>3600</espi:intervalLength><espi:powerOfTenMultiplier>0</espi:powerOfTenMultiplier><espi:uom>128</espi:uom></espi:ReadingType></content>
              </entry>
              <entry>
                <link rel="self" href="RetailCustomer/1/UsagePoint/1/MeterReading/1/IntervalBlock/1"/>
                <link rel="up" href="RetailCustomer/1/UsagePoint/1/MeterReading/1/IntervalBlock"/>
                <content>
                  <IntervalBlock xmlns="http://naesb.org/espi">
                    <interval><duration>86400</duration><start>{start}</start></interval>
            {values}      </IntervalBlock>
                </content>
              </entry>
            </feed>

            """;
    }

    /// <summary>One to three mutations of the file, and what they were (for the report of a failure).</summary>
    private static (byte[] Content, string Mutation) Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        var applied = new List<string>();
        var count = 1 + random.Next(3);
        for (var m = 0; m < count; m++)
        {
            switch (random.Next(11))
            {
                case 0 when bytes.Count > 0:
                    var at = random.Next(bytes.Count);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    applied.Add($"bit flip at {at}");
                    break;
                case 1 when bytes.Count > 0:
                    var cut = random.Next(bytes.Count);
                    bytes.RemoveRange(cut, bytes.Count - cut);
                    applied.Add($"truncated at {cut}");
                    break;
                case 2:
                    bytes = Lines(bytes, lines => { var i = random.Next(lines.Count); lines.Insert(i, lines[i]); }, applied, "duplicated a line");
                    break;
                case 3:
                    bytes = Lines(bytes, lines => { var i = random.Next(lines.Count); var j = random.Next(lines.Count); (lines[i], lines[j]) = (lines[j], lines[i]); }, applied, "swapped lines");
                    break;
                case 4:
                    bytes = Lines(bytes, lines => lines.RemoveAt(random.Next(lines.Count)), applied, "dropped a line");
                    break;
                case 5:
                    var text = Encoding.UTF8.GetString([.. bytes]);
                    var digits = System.Text.RegularExpressions.Regex.Matches(text, "[0-9]+");
                    if (digits.Count > 0)
                    {
                        var hit = digits[random.Next(digits.Count)];
                        text = text[..hit.Index] + new string('9', 20 + random.Next(30)) + text[(hit.Index + hit.Length)..];
                        bytes = [.. Encoding.UTF8.GetBytes(text)];
                        applied.Add("huge number");
                    }

                    break;
                case 6:
                    bytes = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Encoding.UTF8.GetString([.. bytes]))];
                    applied.Add("UTF-16");
                    break;
                case 7:
                    bytes = [.. Encoding.Latin1.GetBytes(Encoding.UTF8.GetString([.. bytes]).Replace("e", "\u00e9", StringComparison.Ordinal))];
                    applied.Add("Latin-1 with accents");
                    break;
                case 8:
                    var size = 1_000 + random.Next(200_000);
                    bytes.InsertRange(bytes.Count == 0 ? 0 : random.Next(bytes.Count), Encoding.ASCII.GetBytes(new string('A', size)));
                    applied.Add($"oversize field ({size:N0} characters)");
                    break;
                case 9:
                    var junk = new byte[1 + random.Next(64)];
                    random.NextBytes(junk);
                    bytes.InsertRange(bytes.Count == 0 ? 0 : random.Next(bytes.Count), junk);
                    applied.Add("stray bytes");
                    break;
                default:
                    bytes = Lines(bytes, lines =>
                    {
                        var i = random.Next(lines.Count);
                        var fields = lines[i].Split(',');
                        fields[random.Next(fields.Length)] = random.Next(4) switch { 0 => "", 1 => "-1", 2 => "0,05", _ => "9999-12-31" };
                        lines[i] = string.Join(',', fields);
                    }, applied, "changed a field");
                    break;
            }
        }

        return ([.. bytes], applied.Count == 0 ? "unchanged" : string.Join(", ", applied));
    }

    private static List<byte> Lines(List<byte> bytes, Action<List<string>> change, List<string> applied, string what)
    {
        var lines = Encoding.UTF8.GetString([.. bytes]).Split('\n').ToList();
        if (lines.Count == 0 || (lines.Count == 1 && lines[0].Length == 0))
        {
            return bytes;
        }

        change(lines);
        applied.Add(what);
        return [.. Encoding.UTF8.GetBytes(string.Join('\n', lines))];
    }
}
