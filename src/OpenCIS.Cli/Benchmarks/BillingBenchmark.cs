using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Metering.Import;
using OpenCIS.Storage;
using Spectre.Console;

namespace OpenCIS.Cli.Benchmarks;

/// <summary>
/// <c>opencis bench billing --accounts N</c>: prepares the demo city of that size if the database is
/// empty (reusing it otherwise), lives cycle C1's month as the city would (the bills its runs held
/// released, its last bills paid, its meters' next month of reads imported, the review queue
/// worked), and bills the cycle end to end (reads, rating, postings, bills), printing where the
/// time went. Then, unless told not to, it writes the run's rows again by the writers alone into
/// scratch copies of the tables (<see cref="MeasureBillingWriteLimit"/>): the write limit, and the
/// run's ratio to it. The last line is the machine-readable result. Run again, it bills the next
/// month.
/// </summary>
public static class BillingBenchmark
{
    public static async Task<int> RunAsync(IServiceProvider services, IAnsiConsole console, int accounts, bool writeLimit, string user, CancellationToken cancellationToken)
    {
        const string cycle = "C1";
        var city = services.GetRequiredService<BenchmarkCity>();
        var settings = services.GetRequiredService<DatabaseSettings>();
        var cityAccounts = await BenchmarkPreparation.PrepareCityAsync(city, console, accounts, cancellationToken);
        var lastRun = await city.LastRunDateAsync(cycle, cancellationToken)
            ?? throw new Core.Common.DomainException($"Cycle {cycle} has never been billed; prepare the city with `demo seed` first.", "cycle");
        var businessDate = lastRun.AddMonths(1);

        // The month between the runs, as the city lives it: the held bills released, the last bills paid, next month's reads (each meter's
        // last valid read plus its usual month of use) imported, and the review queue worked before the run.
        var prepare = Stopwatch.StartNew();
        var released = await city.ReleaseHeldBillsAsync(cycle, user, cancellationToken);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The bills held for review: {released.BillsReleased:N0} released. ({prepare.Elapsed.TotalSeconds:N1} s)"));
        prepare.Restart();
        var paid = await city.PayLastBillsAsync(cycle, businessDate.AddDays(-1), user, cancellationToken);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"The month's payments on the last bills: {paid.Payments:N0} posted, {Core.Common.Money.FromCents(paid.PaidCents)}. ({prepare.Elapsed.TotalSeconds:N1} s)"));
        prepare.Restart();
        var file = await city.NextMonthReadsAsync(cycle, businessDate.AddDays(-1), cancellationToken);
        var imported = await services.GetRequiredService<ImportReads>().ExecuteAsync($"bench-{cycle}-{businessDate:yyyyMMdd}.csv", file, ReadFileFormat.Csv, null, user, cancellationToken);
        var intervalDays = await city.NextIntervalDaysAsync(cycle, businessDate.AddDays(-1), cancellationToken);
        console.WriteLine($"{imported.Message} {intervalDays:N0} interval days of the electric meters delivered. ({prepare.Elapsed.TotalSeconds:N1} s)");
        prepare.Restart();
        var reviewed = await city.ReviewReadsAsync(cycle, user, cancellationToken);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"The review queue: {reviewed.ReadsAccepted:N0} suspect reads accepted, {reviewed.ReadsEstimated:N0} rejected reads estimated. ({prepare.Elapsed.TotalSeconds:N1} s)"));
        city.Forget();

        var clock = Stopwatch.StartNew();
        var (cpuBefore, allocatedBefore) = (Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes());
        var (pauseBefore, collectionsBefore) = (GC.GetTotalPauseDuration(), Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray());
        var billing = services.GetRequiredService<RunBilling>();
        var timings = billing.Timings = new BillingRunTimings();
        var outcome = await billing.ExecuteAsync(cycle, businessDate, user, null, cancellationToken);
        clock.Stop();
        var billsPerSecond = outcome.BillsCreated / clock.Elapsed.TotalSeconds;
        var pause = GC.GetTotalPauseDuration() - pauseBefore;
        var collections = Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collectionsBefore[g]).ToArray();
        console.WriteLine(outcome.Message);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Billed cycle {cycle} for {businessDate:yyyy-MM-dd}: {outcome.BillsCreated:N0} bills and {outcome.Exceptions:N0} exceptions in {clock.Elapsed.TotalSeconds:N2} s ({billsPerSecond:N0} bills/s); {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds:N1} s of CPU in this process, {(GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024 / 1024:N0} MB allocated."));
        var phases = new Table().AddColumn("Phase (summed over the lanes)").AddColumn(new TableColumn("Seconds").RightAligned()).AddColumn(new TableColumn("Per bill").RightAligned())
            .AddColumn(new TableColumn("Allocated per bill").RightAligned());
        foreach (var (phase, time, allocated) in timings.Phases)
        {
            phases.AddRow(phase, time.TotalSeconds.ToString("N2", CultureInfo.InvariantCulture),
                outcome.BillsCreated == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"{time.TotalMicroseconds / outcome.BillsCreated:N0} µs"),
                outcome.BillsCreated == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"{allocated / 1024.0 / outcome.BillsCreated:N1} KB"));
        }

        console.Write(phases);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Garbage collection: {collections[0]:N0} collections ({collections[1]:N0} of generation 1, {collections[2]:N0} of generation 2) paused every lane for {pause.TotalSeconds:N2} s, {pause / clock.Elapsed:P0} of the run."));
        if (billing.Workers > 1)
        {
            console.WriteLine("Allocations are counted process-wide while each phase runs, so overlapping lanes count each other's; --workers 1 gives them exactly.");
        }

        var limit = "";
        if (writeLimit && outcome.BillsCreated > 0)
        {
            var measured = await services.GetRequiredService<MeasureBillingWriteLimit>().ExecuteAsync(outcome.RunId, billing.Workers, cancellationToken);
            var ratio = billsPerSecond / measured.BillsPerSecond;
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Write limit: the run's {measured.Bills:N0} bills and their postings, written again by the same writer over {measured.Lanes} {(measured.Lanes == 1 ? "lane" : "lanes")} into empty copies of their tables (keys, checks and indexes kept), took {measured.Indexed.Writing.TotalSeconds:N2} s ({measured.BillsPerSecond:N0} bills/s; commits {measured.Indexed.Committing.TotalSeconds:N2} s of it); the run reached {ratio:P0} of it."));
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Without their secondary indexes the copies took {measured.Bare.Writing.TotalSeconds:N2} s: keeping the indexes costs {Math.Max(0, measured.IndexUpkeepPerBill.TotalMicroseconds):N0} µs a bill."));
            limit = string.Create(CultureInfo.InvariantCulture, $" write_limit_bills_per_second={measured.BillsPerSecond:0} ratio={ratio:0.00}");
        }

        var peak = BenchmarkPreparation.PeakMemoryMegabytes();
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT bills_per_second={billsPerSecond:0}{limit} accounts={cityAccounts} peak_memory_mb={peak} database={settings.Describe()}"));
        return CliApp.Ok;
    }
}
