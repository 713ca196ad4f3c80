using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Metering;
using OpenCIS.Data.Billing;
using OpenCIS.Data.Demo;
using OpenCIS.Data.Metering.Import;
using OpenCIS.Data.Storage;
using Spectre.Console;

namespace OpenCIS.Cli;

/// <summary>
/// <c>opencis bench billing --accounts N</c>: prepares the demo city of that size if the database is
/// empty (reusing it otherwise), gives cycle C1's meters their next month of reads, and bills the
/// cycle end to end (reads, rating, postings, bills), printing where the time went. The last line
/// is the machine-readable result. Run again, it bills the next month.
/// </summary>
public static class BillingBenchmark
{
    public static async Task<int> RunAsync(IServiceProvider services, IAnsiConsole console, int accounts, string user, CancellationToken cancellationToken)
    {
        const string cycle = "C1";
        var db = services.GetRequiredService<OpenCisDbContext>();
        var settings = services.GetRequiredService<DatabaseSettings>();
        if (!await db.Accounts.AnyAsync(cancellationToken))
        {
            console.WriteLine($"Preparing the demo city ({accounts:N0} accounts)...");
            var seeded = await services.GetRequiredService<SeedDemoCity>().ExecuteAsync(accounts, null, cancellationToken);
            console.WriteLine($"Prepared in {seeded.Elapsed.TotalSeconds:N0} s.");
            db.ChangeTracker.Clear();
        }

        var cityAccounts = await db.Accounts.CountAsync(cancellationToken);
        var lastRun = await db.BillingRuns.AsNoTracking().Where(r => r.CycleCode == cycle).OrderByDescending(r => r.BusinessDate).FirstOrDefaultAsync(cancellationToken)
            ?? throw new Core.Common.DomainException($"Cycle {cycle} has never been billed; prepare the city with `demo seed` first.", "cycle");
        var businessDate = lastRun.BusinessDate.AddMonths(1);

        // Next month's reads: each meter's last valid read plus its usual month of use.
        var prepare = Stopwatch.StartNew();
        var points = db.ServiceAgreements.Where(a => a.EndedOn == null)
            .Join(db.Accounts.Where(a => a.CycleCode == cycle), sa => sa.AccountId, a => a.Id, (sa, a) => sa.ServicePointId);
        var meters = await db.Meters.AsNoTracking().Where(m => m.Status == MeterStatus.Installed && m.ServicePointId != null && points.Contains(m.ServicePointId.Value))
            .Select(m => new { m.Id, m.Serial, m.Dials }).ToListAsync(cancellationToken);
        var since = lastRun.BusinessDate.AddDays(-70);
        var recent = (await db.Reads.AsNoTracking().Where(r => r.ReadOn >= since && r.Status == ReadStatus.Valid && meters.Select(m => m.Id).Contains(r.MeterId))
                .Select(r => new { r.MeterId, r.ReadOn, r.Reading }).ToListAsync(cancellationToken))
            .GroupBy(r => r.MeterId).ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.ReadOn).Take(2).Select(r => r.Reading).ToList());
        var csv = new StringBuilder("meter,read,read_time\n");
        foreach (var meter in meters.Where(m => recent.ContainsKey(m.Id)))
        {
            var reads = recent[meter.Id];
            var monthly = reads.Count == 2 ? Math.Max(1, reads[0] - reads[1]) : 1;
            csv.Append(meter.Serial).Append(',').Append((reads[0] + monthly) % (long)Math.Pow(10, meter.Dials)).Append(',')
                .Append(businessDate.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('\n');
        }

        var imported = await services.GetRequiredService<ImportReads>().ExecuteAsync($"bench-{cycle}-{businessDate:yyyyMMdd}.csv", Encoding.UTF8.GetBytes(csv.ToString()), ReadFileFormat.Csv, null, user, cancellationToken);
        console.WriteLine($"{imported.Message} ({prepare.Elapsed.TotalSeconds:N1} s)");
        db.ChangeTracker.Clear();

        var clock = Stopwatch.StartNew();
        var (cpuBefore, allocatedBefore) = (Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes());
        var outcome = await services.GetRequiredService<RunBilling>().ExecuteAsync(cycle, businessDate, user, null, cancellationToken);
        clock.Stop();
        var billsPerSecond = outcome.BillsCreated / clock.Elapsed.TotalSeconds;
        console.WriteLine(outcome.Message);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Billed cycle {cycle} for {businessDate:yyyy-MM-dd}: {outcome.BillsCreated:N0} bills and {outcome.Exceptions:N0} exceptions in {clock.Elapsed.TotalSeconds:N2} s ({billsPerSecond:N0} bills/s); {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds:N1} s of CPU in this process, {(GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024 / 1024:N0} MB allocated."));
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024;
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT bills_per_second={billsPerSecond:0} accounts={cityAccounts} peak_memory_mb={peak} database={settings.Describe()}"));
        return CliApp.Ok;
    }
}
