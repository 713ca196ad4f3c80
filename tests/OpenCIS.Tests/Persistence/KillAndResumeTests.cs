using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Metering.Import;
using OpenCIS.UseCases.Reports;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// A billing run in a process of its own is killed part-way; run again, it finishes, and every
/// account of the cycle has been billed (or listed as an exception) exactly once, with the books
/// still tied out. Running the completed run once more changes nothing.
/// </summary>
public sealed class KillAndResumeTests
{
    private static readonly DateTimeOffset SeededThrough = new(2026, 10, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly BusinessDate = new(2026, 10, 5);

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_billing_run_killed_mid_run_and_restarted_bills_every_account_exactly_once(TestProvider provider)
    {
        await using var database = await SeedAsync(provider, "kill and resume");
        var accounts = await CycleAccountsAsync(database, "C1");
        Assert.True(accounts.Count >= 20, $"the cycle should have enough accounts to interrupt; it has {accounts.Count}");

        // First attempt: one account per committed chunk, one lane resting after each, killed as soon as the first chunk is in.
        using (var first = StartBillingProcess(database, chunkSize: 1, workers: 1, pauseMs: 250))
        {
            var interrupted = false;
            var clock = Stopwatch.StartNew();
            while (!first.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                await using var db = database.Context();
                var run = await db.BillingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.CycleCode == "C1" && r.BusinessDate == BusinessDate);
                if (run is { Status: BillingRunStatus.Running } && await db.BillingRunChunks.AnyAsync(c => c.BillingRunId == run.Id && c.Status == BillingChunkStatus.Done))
                {
                    first.Kill(entireProcessTree: true);
                    await first.WaitForExitAsync();
                    interrupted = true;
                    break;
                }

                await Task.Delay(5);
            }

            Assert.True(interrupted, "the run finished (or never started) before it could be killed: " + await first.StandardOutput.ReadToEndAsync() + await first.StandardError.ReadToEndAsync());
        }

        await using (var db = database.Context())
        {
            var run = await db.BillingRuns.AsNoTracking().SingleAsync(r => r.CycleCode == "C1" && r.BusinessDate == BusinessDate);
            Assert.Equal(BillingRunStatus.Running, run.Status);
            Assert.True(await db.BillingRunChunks.AnyAsync(c => c.BillingRunId == run.Id && c.Status == BillingChunkStatus.Pending), "the kill left work to do");
        }

        // Second attempt: resumes after the last committed chunk and completes.
        using (var second = StartBillingProcess(database, chunkSize: 7))
        {
            await second.WaitForExitAsync();
            Assert.True(second.ExitCode == 0, await second.StandardOutput.ReadToEndAsync() + await second.StandardError.ReadToEndAsync());
        }

        await AssertBilledExactlyOnceAsync(database, accounts);

        // A completed run asked for again changes nothing.
        var before = await CountsAsync(database);
        using (var again = StartBillingProcess(database, chunkSize: 500))
        {
            await again.WaitForExitAsync();
            Assert.Contains("already completed", await again.StandardOutput.ReadToEndAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await CountsAsync(database));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Two_processes_with_two_lanes_each_share_one_run_and_bill_every_account_exactly_once(TestProvider provider)
    {
        await using var database = await SeedAsync(provider, "shared run");
        var accounts = await CycleAccountsAsync(database, "C1");

        using var first = StartBillingProcess(database, chunkSize: 1, workers: 2);
        using var second = StartBillingProcess(database, chunkSize: 1, workers: 2);
        await Task.WhenAll(first.WaitForExitAsync(), second.WaitForExitAsync());
        Assert.True(first.ExitCode == 0, await first.StandardOutput.ReadToEndAsync() + await first.StandardError.ReadToEndAsync());
        Assert.True(second.ExitCode == 0, await second.StandardOutput.ReadToEndAsync() + await second.StandardError.ReadToEndAsync());

        await AssertBilledExactlyOnceAsync(database, accounts);
        await using var db = database.Context();
        var workers = await db.BillingRunChunks.AsNoTracking().Select(c => c.Worker).Distinct().ToListAsync();
        Assert.True(workers.Count >= 2, $"the chunks were shared out among lanes: {string.Join(", ", workers)}");
    }

    /// <summary>A copy of one 60-account city billed through September with cycle C1's October reads imported (seeded once per database kind).</summary>
    private static async Task<TestDatabase> SeedAsync(TestProvider provider, string name)
    {
        TestDatabases.Require(provider, name);
        var (database, _) = await TestDatabases.CopyOfSeededAsync(provider, "the kill-and-resume city", async template =>
        {
            await using var services = template.Services(new FixedClock(SeededThrough));
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SeedDemoCity>().ExecuteAsync(60);
            var file = await DemoReads.NextMonthAsync(scope.ServiceProvider.GetRequiredService<OpenCisDbContext>(), "C1", BusinessDate.AddDays(-1));
            var imported = await scope.ServiceProvider.GetRequiredService<ImportReads>().ExecuteAsync("c1-october.csv", file, ReadFileFormat.Csv, null, "clerk");
            Assert.True(imported.Posted, imported.Message);
            return imported.Posted;
        });
        return database;
    }

    /// <summary>The run completed; each account of the cycle has one bill or one exception in it; the books tie out.</summary>
    private static async Task AssertBilledExactlyOnceAsync(TestDatabase database, List<long> accounts)
    {
        await using var db = database.Context();
        var run = await db.BillingRuns.AsNoTracking().SingleAsync(r => r.CycleCode == "C1" && r.BusinessDate == BusinessDate);
        Assert.Equal(BillingRunStatus.Completed, run.Status);
        var billed = await db.Bills.AsNoTracking().Where(b => b.BillingRunId == run.Id).Select(b => b.AccountId).ToListAsync();
        var excepted = await db.BillingExceptions.AsNoTracking().Where(x => x.BillingRunId == run.Id).Select(x => x.AccountId).ToListAsync();
        Assert.Equal(billed.Count, billed.Distinct().Count());
        Assert.Equal(excepted.Count, excepted.Distinct().Count());
        Assert.Empty(billed.Intersect(excepted));
        Assert.Equal(accounts.Order().ToArray(), billed.Concat(excepted).Order().ToArray());
        Assert.Equal((run.BillsCreated, run.ExceptionCount), (billed.Count, excepted.Count));
        Assert.True(billed.Count > excepted.Count, $"most accounts bill: {billed.Count} bills, {excepted.Count} exceptions");

        var trial = await new LedgerReports(db).TrialBalanceAsync(null, CancellationToken.None);
        Assert.True(trial.Balances && trial.TiesToSubLedger, "the books tie out after the run");

        // The bulk writers keep every reference whole (PostgreSQL has no foreign keys on these tables).
        Assert.Equal(0, await db.GlEntries.CountAsync(g => !db.FinancialTransactions.Any(t => t.Id == g.FinancialTransactionId)));
        Assert.Equal(0, await db.OpenItems.CountAsync(o => !db.FinancialTransactions.Any(t => t.Id == o.FinancialTransactionId)));
        Assert.Equal(0, await db.Bills.CountAsync(b => b.FinancialTransactionId != null && !db.FinancialTransactions.Any(t => t.Id == b.FinancialTransactionId)));
        Assert.Equal(0, await db.Set<BillSegment>().CountAsync(s => !db.Bills.Any(b => b.Id == s.BillId)));
        Assert.Equal(0, await db.Set<BillLine>().CountAsync(l => !db.Set<BillSegment>().Any(s => s.Id == l.BillSegmentId)));
        Assert.Equal(0, await db.ItemAllocations.CountAsync(a => !db.OpenItems.Any(o => o.Id == a.ChargeItemId) || !db.OpenItems.Any(o => o.Id == a.CreditItemId)));
        Assert.Equal(0, await db.Payments.CountAsync(p => !db.FinancialTransactions.Any(t => t.Id == p.FinancialTransactionId)));
    }

    private static Process StartBillingProcess(TestDatabase database, int chunkSize, int workers = 2, int pauseMs = 0)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "opencis.dll"), "bill", "run", "--cycle", "C1", "--date", BusinessDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--chunk-size", chunkSize.ToString(CultureInfo.InvariantCulture), "--workers", workers.ToString(CultureInfo.InvariantCulture), "--pause-ms", pauseMs.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[DatabaseSettings.EnvironmentVariable] = database.ConnectionString;
        start.Environment["OPENCIS_TIME_ZONE"] = "UTC";
        return Process.Start(start) ?? throw new InvalidOperationException("The billing process did not start.");
    }

    private static async Task<List<long>> CycleAccountsAsync(TestDatabase database, string cycle)
    {
        await using var db = database.Context();
        return await db.Accounts.AsNoTracking().Where(a => a.CycleCode == cycle).Select(a => a.Id).ToListAsync();
    }

    private static async Task<(int Bills, int Exceptions, int Transactions, int GlEntries)> CountsAsync(TestDatabase database)
    {
        await using var db = database.Context();
        return (await db.Bills.CountAsync(), await db.BillingExceptions.CountAsync(), await db.FinancialTransactions.CountAsync(), await db.GlEntries.CountAsync());
    }
}
