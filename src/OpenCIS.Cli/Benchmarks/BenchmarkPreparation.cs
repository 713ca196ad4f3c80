using OpenCIS.UseCases.Demo;
using Spectre.Console;

namespace OpenCIS.Cli.Benchmarks;

/// <summary>What every benchmark on the demo city does first: seed it when the database is empty, saying so, and count its accounts.</summary>
internal static class BenchmarkPreparation
{
    public static async Task<long> PrepareCityAsync(BenchmarkCity city, IAnsiConsole console, int accounts, CancellationToken cancellationToken)
    {
        console.WriteLine($"Preparing the demo city ({accounts:N0} accounts) if the database is empty...");
        if (await city.EnsureSeededAsync(accounts, cancellationToken) is { } seeded)
        {
            console.WriteLine($"Prepared in {seeded.TotalSeconds:N0} s.");
        }

        return await city.AccountCountAsync(cancellationToken);
    }

    /// <summary>The most memory this process has held, in MB: what the benchmarks and the seed print as their peak.</summary>
    public static long PeakMemoryMegabytes() => System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024;
}
