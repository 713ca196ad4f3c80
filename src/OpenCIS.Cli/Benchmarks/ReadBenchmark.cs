using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Metering;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Metering.Import;
using OpenCIS.Storage;
using Spectre.Console;

namespace OpenCIS.Cli.Benchmarks;

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
        var city = services.GetRequiredService<BenchmarkCity>();
        var settings = services.GetRequiredService<DatabaseSettings>();
        if (await city.EnsureSeededAsync(DemoAccounts, cancellationToken) is { } seeded)
        {
            console.WriteLine($"Prepared the demo city ({DemoAccounts:N0} accounts) for the benchmark in {seeded.TotalSeconds:N0} s.");
        }

        var meters = await city.InstalledMetersAsync(cancellationToken);
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
                // Each meter goes on using what its history says it uses a day (in register steps, so a
                // CCF register moves a step every few days), varying day to day, with one day in three
                // hundred stuck and one in three hundred a spike: the mix of a real AMI file.
                var days = meter.LastReadOn.DayNumber - meter.FirstReadOn.DayNumber;
                var maximum = MeterRegister.MaximumFor(meter.Dials);
                var usual = days >= 20 ? ((((meter.LastReading - meter.FirstReading) % maximum) + maximum) % maximum) / (double)days : 1.0;
                var (reading, carried) = (meter.LastReading, 0.0);
                for (var day = 1; day <= perMeter && written < reads; day++, written++)
                {
                    var roll = random.Next(1000);
                    carried += roll < 3 ? 0 : roll < 6 ? usual * 8 : usual * (0.6 + (0.8 * random.NextDouble()));
                    var steps = (long)carried;
                    carried -= steps;
                    reading = (reading + steps) % maximum;
                    await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{meter.Serial},{reading},{meter.LastReadOn.AddDays(day):yyyy-MM-dd},AMI"));
                }
            }
        }

        generate.Stop();
        var size = new FileInfo(path).Length;
        console.WriteLine($"Generated {written:N0} reads for {meters.Count:N0} meters ({size / 1024.0 / 1024.0:N1} MB) in {generate.Elapsed.TotalSeconds:N1} s.");

        // Parsing, validation and writing overlap (each on its own thread), so each stage is shown
        // with the reads it has done and when it finished, not as a share of the total.
        var stages = new List<(string Stage, int Reads, double FinishedAt)>();
        var (cpuBefore, allocatedBefore, pausedBefore) = (Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration());
        var collectionsBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var clock = Stopwatch.StartNew();
        var progress = new InlineProgress<(string Phase, int Reads)>(p =>
        {
            lock (stages)
            {
                var index = stages.FindIndex(x => x.Stage == p.Phase);
                if (index >= 0)
                {
                    stages[index] = (p.Phase, stages[index].Reads + p.Reads, clock.Elapsed.TotalSeconds);
                }
                else
                {
                    stages.Add((p.Phase, p.Reads, clock.Elapsed.TotalSeconds));
                }
            }
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

        var table = new Table().AddColumns("Stage", "Reads", "Finished at (s)");
        foreach (var (stage, count, finishedAt) in stages)
        {
            table.AddRow(stage, count.ToString("N0", CultureInfo.InvariantCulture), finishedAt.ToString("N2", CultureInfo.InvariantCulture));
        }

        table.AddRow("committed", outcome.Total.ToString("N0", CultureInfo.InvariantCulture), clock.Elapsed.TotalSeconds.ToString("N2", CultureInfo.InvariantCulture));
        console.WriteLine($"{outcome.Total / clock.Elapsed.TotalSeconds:N0} reads per second, start to commit.");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"The import used {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds:N1} s of CPU in this process (the database server's is its own), allocated {(GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024 / 1024:N0} MB, collected {GC.CollectionCount(0) - collectionsBefore.Item1}/{GC.CollectionCount(1) - collectionsBefore.Item2}/{GC.CollectionCount(2) - collectionsBefore.Item3} times (gen 0/1/2) and paused {(GC.GetTotalPauseDuration() - pausedBefore).TotalSeconds:N2} s for it."));
        console.Write(table);
        console.WriteLine(outcome.Message);
        var peak = BenchmarkPreparation.PeakMemoryMegabytes();
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT reads_per_second={outcome.Total / clock.Elapsed.TotalSeconds:0} peak_memory_mb={peak} database={settings.Describe()}"));
        return CliApp.Ok;
    }

    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
