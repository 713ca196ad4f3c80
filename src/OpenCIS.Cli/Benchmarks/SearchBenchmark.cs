using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Demo;
using Spectre.Console;

namespace OpenCIS.Cli.Benchmarks;

/// <summary>
/// Times account search over the demo city (seeded when the database is empty) as a clerk uses it: by surname,
/// service street, phone as the customer says it, parcel and meter serial, each query in a fresh scope as a web
/// request has, after one warm-up pass. Prints each kind's median and 99th percentile and whether every query
/// found the account it was taken from; the target is a p99 under 30 ms.
/// </summary>
public static class SearchBenchmark
{
    public static async Task<int> RunAsync(IServiceProvider services, IAnsiConsole console, int accounts, int samples, CancellationToken cancellationToken)
    {
        var settings = services.GetRequiredService<DatabaseSettings>();
        IReadOnlyList<BenchmarkSearch> searches;
        long cityAccounts;
        await using (var scope = services.CreateAsyncScope())
        {
            var city = scope.ServiceProvider.GetRequiredService<BenchmarkCity>();
            cityAccounts = await BenchmarkPreparation.PrepareCityAsync(city, console, accounts, cancellationToken);
            searches = await city.SearchSamplesAsync(samples, cancellationToken);
        }

        settings.BuildModel();
        // One pass to warm the caches and the query plans, as a host that has been up a while has them.
        foreach (var search in searches.DistinctBy(s => s.Kind))
        {
            await SearchAsync(services, search.Query, cancellationToken);
        }

        var timings = new List<Timing>(searches.Count);
        foreach (var search in searches)
        {
            var clock = Stopwatch.StartNew();
            var results = await SearchAsync(services, search.Query, cancellationToken);
            var ms = clock.Elapsed.TotalMilliseconds;
            timings.Add(new Timing(search.Kind, ms, results.Count > 0));
        }

        var table = Latencies.ByKind(timings, "Search by", "Found something");
        console.Write(table);
        var all = timings.Select(t => t.Ms).Order().ToList();
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{all.Count} searches over {cityAccounts:N0} accounts: median {Latencies.Format(Latencies.Percentile(all, 0.5))} ms, p99 {Latencies.Format(Latencies.Percentile(all, 0.99))} ms, slowest {Latencies.Format(all[^1])} ms."));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT p99_ms={Latencies.Format(Latencies.Percentile(all, 0.99))} queries={all.Count} database={settings.Describe()}"));
        return CliApp.Ok;
    }

    private static async Task<IReadOnlyList<AccountSearchResult>> SearchAsync(IServiceProvider services, string query, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccountQueries>().SearchAsync(query, cancellationToken);
    }
}
