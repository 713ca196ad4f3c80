using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Metering;
using OpenCIS.Data.Demo;
using OpenCIS.Data.Metering.Import;
using OpenCIS.Data.Storage;
using Spectre.Console;

namespace OpenCIS.Cli;

/// <summary>
/// <c>opencis bench reads --reads N</c>: prepares the demo city if the database is empty, writes a
/// file of daily AMI register reads for its meters (continuing from each meter's last read, with a
/// few spikes and stuck days so validation has work), imports and validates it, and prints where the
/// time went. The last line is the machine-readable result.
/// </summary>
public static class ReadBenchmark
{
    public const int DemoAccounts = 2_000;

    public static async Task<int> RunAsync(IServiceProvider services, IAnsiConsole console, int reads, string user, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<OpenCisDbContext>();
        var settings = services.GetRequiredService<DatabaseSettings>();
        if (!await db.Accounts.AnyAsync(cancellationToken))
        {
            console.WriteLine($"Preparing the demo city ({DemoAccounts:N0} accounts) for the benchmark...");
            await services.GetRequiredService<SeedDemoCity>().ExecuteAsync(DemoAccounts, null, cancellationToken);
            db.ChangeTracker.Clear();
        }

        var meters = await db.Meters.AsNoTracking().Where(m => m.Status == MeterStatus.Installed)
            .Select(m => new
            {
                m.Serial,
                m.Dials,
                Last = db.Reads.Where(r => r.MeterId == m.Id).OrderByDescending(r => r.ReadOn).Select(r => new { r.ReadOn, r.Reading }).First(),
            })
            .ToListAsync(cancellationToken);
        var perMeter = (int)Math.Ceiling(reads / (double)meters.Count);
        var path = Path.Combine(Path.GetTempPath(), $"opencis-bench-reads-{Environment.ProcessId}.csv");
        var generate = Stopwatch.StartNew();
        var random = new Random(7);
        var written = 0;
        await using (var writer = new StreamWriter(path))
        {
            await writer.WriteLineAsync("meter,read,read_time,read_method");
            foreach (var meter in meters)
            {
                var reading = meter.Last.Reading;
                var maximum = (long)Math.Pow(10, meter.Dials);
                for (var day = 1; day <= perMeter && written < reads; day++, written++)
                {
                    var roll = random.Next(1000);
                    var usage = roll < 3 ? 0 : roll < 6 ? 2_500 : 120 + random.Next(160);
                    reading = (reading + usage) % maximum;
                    await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{meter.Serial},{reading},{meter.Last.ReadOn.AddDays(day):yyyy-MM-dd},AMI"));
                }
            }
        }

        generate.Stop();
        var size = new FileInfo(path).Length;
        console.WriteLine($"Generated {written:N0} reads for {meters.Count:N0} meters ({size / 1024.0 / 1024.0:N1} MB) in {generate.Elapsed.TotalSeconds:N1} s.");

        var phases = new List<(string Phase, double Seconds, int Reads)>();
        var clock = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        var progress = new InlineProgress<(string Phase, int Reads)>(p =>
        {
            var now = clock.Elapsed;
            // Validation and writing alternate chunk by chunk; each phase adds up its own time.
            var index = phases.FindIndex(x => x.Phase == p.Phase);
            if (index >= 0)
            {
                phases[index] = (p.Phase, phases[index].Seconds + (now - last).TotalSeconds, p.Phase == "committed" ? p.Reads : phases[index].Reads + p.Reads);
            }
            else
            {
                phases.Add((p.Phase, (now - last).TotalSeconds, p.Reads));
            }

            last = now;
        });
        ReadImportOutcome outcome;
        await using (var file = File.OpenRead(path))
        {
            outcome = await services.GetRequiredService<ImportReads>().ExecuteAsync(Path.GetFileName(path), file, ReadFileFormat.Csv, null, user, progress, cancellationToken);
        }

        clock.Stop();
        File.Delete(path);
        if (!outcome.Posted)
        {
            console.WriteLine(outcome.Message);
            foreach (var error in outcome.Errors.Take(10))
            {
                console.WriteLine(error.ToString());
            }

            return CliApp.BadInput;
        }

        var table = new Table().AddColumns("Phase", "Reads", "Seconds", "Reads per second");
        foreach (var (phase, seconds, count) in phases)
        {
            table.AddRow(phase, count.ToString("N0", CultureInfo.InvariantCulture), seconds.ToString("N2", CultureInfo.InvariantCulture), seconds > 0 ? (count / seconds).ToString("N0", CultureInfo.InvariantCulture) : "-");
        }

        table.AddRow("total", outcome.Total.ToString("N0", CultureInfo.InvariantCulture), clock.Elapsed.TotalSeconds.ToString("N2", CultureInfo.InvariantCulture), (outcome.Total / clock.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture));
        console.Write(table);
        console.WriteLine(outcome.Message);
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024;
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT reads_per_second={outcome.Total / clock.Elapsed.TotalSeconds:0} peak_memory_mb={peak} database={settings.Describe()}"));
        return CliApp.Ok;
    }

    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
