using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Demo;
using Spectre.Console;

namespace OpenCIS.Cli.Benchmarks;

/// <summary>
/// <c>opencis bench collections --accounts N</c>: prepares the demo city of that size if the database is
/// empty (reusing it otherwise), imports the demo collection policy if none is on file, catches a city that
/// never ran collections up (yesterday, untimed), and runs the daily collections run for the next date not yet
/// run, timing it over every account of the city. The last line is the machine-readable result. Run again, it
/// runs the next day.
/// </summary>
public static class CollectionsBenchmark
{
    public static async Task<int> RunAsync(IServiceProvider services, IAnsiConsole console, int accounts, string user, CancellationToken cancellationToken,
        int workers = RunCollections.DefaultWorkers, int chunkSize = RunCollections.DefaultChunkSize)
    {
        var settings = services.GetRequiredService<DatabaseSettings>();
        long cityAccounts;
        DateOnly businessDate;
        int pastDue;
        await using (var scope = services.CreateAsyncScope())
        {
            var city = scope.ServiceProvider.GetRequiredService<BenchmarkCity>();
            cityAccounts = await BenchmarkPreparation.PrepareCityAsync(city, console, accounts, cancellationToken);
            if (await city.EnsureCollectionPolicyAsync(user, cancellationToken) is { } imported)
            {
                console.WriteLine(imported);
            }

            var next = await city.NextCollectionsDateAsync(cancellationToken);
            businessDate = next ?? scope.ServiceProvider.GetRequiredService<BusinessCalendar>().Today();
            if (next is null)
            {
                await CatchUpAsync(services, console, businessDate.AddDays(-1), user, cancellationToken);
            }

            pastDue = await city.PastDueAccountsAsync(businessDate, cancellationToken);
        }

        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{pastDue:N0} of {cityAccounts:N0} accounts have something past due on {businessDate:yyyy-MM-dd}."));
        // The run's lanes open their own contexts: build their model now, once per process, as a long-running host has.
        settings.BuildModel();

        var clock = Stopwatch.StartNew();
        var (cpuBefore, allocatedBefore) = (Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes());
        CollectionRunOutcome outcome;
        await using (var scope = services.CreateAsyncScope())
        {
            var run = scope.ServiceProvider.GetRequiredService<RunCollections>();
            run.Workers = workers;
            run.ChunkSize = chunkSize;
            outcome = await run.ExecuteAsync(businessDate, user, null, cancellationToken);
        }

        clock.Stop();
        console.WriteLine(outcome.Message);
        var perSecond = cityAccounts / clock.Elapsed.TotalSeconds;
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Collections for {businessDate:yyyy-MM-dd}: {cityAccounts:N0} accounts ({outcome.AccountsSelected:N0} looked at) in {clock.Elapsed.TotalSeconds:N2} s ({perSecond:N0} accounts/s); {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds:N1} s of CPU in this process, {(GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024 / 1024:N0} MB allocated."));
        await NoticesAsync(services, console, businessDate, user, cancellationToken);
        var peak = BenchmarkPreparation.PeakMemoryMegabytes();
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT accounts_per_second={perSecond:0} late_charges={outcome.LateCharges} notices={outcome.Notices} disconnects={outcome.Listed} peak_memory_mb={peak} database={settings.Describe()}"));
        return CliApp.Ok;
    }

    /// <summary>
    /// A city that has never run collections, as a newly seeded benchmark city, has a year of delinquency no run has
    /// looked at: its first run takes every step at once (each late charge of the year, every notice). That is a
    /// conversion's day, not a city's ordinary one, so it runs yesterday, untimed in the result, and says what it took.
    /// </summary>
    internal static async Task CatchUpAsync(IServiceProvider services, IAnsiConsole console, DateOnly date, string user, CancellationToken cancellationToken)
    {
        console.WriteLine($"No collections run is on file: catching the city up on {date:yyyy-MM-dd}, untimed in the result...");
        var clock = Stopwatch.StartNew();
        await using var scope = services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<RunCollections>().ExecuteAsync(date, user, null, cancellationToken);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{outcome.Message} ({clock.Elapsed.TotalSeconds:N2} s)"));
    }

    /// <summary>
    /// After the run, as the nightly job does: the day's notices written (the default templates imported when
    /// none is on file), then the mailed ones rendered as one print-ready PDF, timed in pages per second.
    /// </summary>
    private static async Task NoticesAsync(IServiceProvider services, IAnsiConsole console, DateOnly businessDate, string user, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var templates = scope.ServiceProvider.GetRequiredService<ImportNoticeTemplate>();
        if ((await templates.ListAsync(cancellationToken)).Count == 0)
        {
            foreach (var (kind, fileName, text) in DemoCollections.NoticeTemplates())
            {
                await templates.ExecuteAsync(kind, fileName, text, user, cancellationToken);
            }
        }

        var written = Stopwatch.StartNew();
        var notices = await scope.ServiceProvider.GetRequiredService<ProduceNotices>().AfterRunAsync(businessDate, user, cancellationToken);
        written.Stop();
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{notices?.Message ?? "No notices: the run has not completed."} ({written.Elapsed.TotalSeconds:N2} s)"));

        var rendering = Stopwatch.StartNew();
        var pdf = await scope.ServiceProvider.GetRequiredService<NoticeQueries>().DayPdfAsync(businessDate, cancellationToken);
        rendering.Stop();
        var seconds = Math.Max(rendering.Elapsed.TotalSeconds, 0.001);
        // A day with nothing to mail renders one page that says so: no rate to print.
        console.WriteLine(pdf.Notices == 0
            ? string.Create(CultureInfo.InvariantCulture, $"NOTICES pages=0 seconds={seconds:0.00} pages_per_second=none (no notice to mail on {businessDate:yyyy-MM-dd})")
            : string.Create(CultureInfo.InvariantCulture, $"NOTICES pages={pdf.Pages} seconds={seconds:0.00} pages_per_second={pdf.Pages / seconds:0}"));
    }
}
