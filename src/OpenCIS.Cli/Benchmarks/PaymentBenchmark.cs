using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.UseCases.Demo;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Storage;
using Spectre.Console;

namespace OpenCIS.Cli.Benchmarks;

/// <summary>
/// <c>opencis bench payments --payments N</c>: prepares the demo city if the database is empty
/// (reusing it otherwise), writes a BAI2 lockbox file of N checks paying the open balances of its
/// accounts (the same file for the same database; each run numbers its file anew so it is a new
/// file), imports and posts it through <see cref="ImportLockbox"/>, and prints where the time went.
/// The last line is the machine-readable result.
/// </summary>
public static class PaymentBenchmark
{
    public static async Task<int> RunAsync(IServiceProvider services, IAnsiConsole console, int paymentCount, int cityAccounts, string user, CancellationToken cancellationToken)
    {
        if (paymentCount is < 1 or > Bai2Parser.MaximumRecords / 2)
        {
            console.WriteLine($"--payments is 1 to {Bai2Parser.MaximumRecords / 2:N0}.");
            return CliApp.BadInput;
        }

        var city = services.GetRequiredService<BenchmarkCity>();
        var settings = services.GetRequiredService<DatabaseSettings>();
        if (await city.EnsureSeededAsync(cityAccounts, cancellationToken) is { } seeded)
        {
            console.WriteLine($"Prepared the demo city ({cityAccounts:N0} accounts) in {seeded.TotalSeconds:N0} s.");
        }

        var generate = Stopwatch.StartNew();
        var accounts = await city.PayersAsync(cancellationToken);
        var earlierFiles = await city.LockboxFilesAsync(LockboxFormat.Bai2, cancellationToken);
        var today = DateOnly.FromDateTime(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);

        // Each account in turn: its first check pays its open balance, the others are small amounts.
        var items = new List<Bai2Item>(paymentCount);
        for (var i = 0; i < paymentCount; i++)
        {
            var account = accounts[i % accounts.Count];
            var cents = i < accounts.Count && account.OpenCents > 0 ? Math.Min(account.OpenCents, 9_999_999) : 1_000 + ((i * 37L) % 9_000);
            items.Add(new Bai2Item(Money.FromCents(cents), account.AccountNumber, $"CHK{i + 1:D7}"));
        }

        // Banks send a few hundred items per lockbox account (batch); cut them the same way.
        var lockboxes = items.Chunk(500).Select((chunk, n) => new Bai2Account($"LBX{n + 1:D5}", chunk)).ToList();
        var text = Bai2Writer.Write("121000248", "RIVERBEND", new DateTime(today, new TimeOnly(6, 0)), (earlierFiles + 1).ToString(CultureInfo.InvariantCulture), today, lockboxes);
        var content = Encoding.UTF8.GetBytes(text);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Wrote a BAI2 lockbox file of {paymentCount:N0} checks ({Money.Sum(items.Select(i => i.Amount))}) for {Math.Min(paymentCount, accounts.Count):N0} of {accounts.Count:N0} accounts, {content.Length / 1024:N0} KB, in {generate.Elapsed.TotalSeconds:N1} s."));
        items.Clear();
        lockboxes.Clear();
        city.Forget();

        var clock = Stopwatch.StartNew();
        var (cpuBefore, allocatedBefore) = (Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes());
        var chunks = 0;
        var import = services.GetRequiredService<ImportLockbox>();
        import.OnChunkPosted = (done, total) =>
        {
            if (++chunks % 5 == 0 || done == total)
            {
                console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {done:N0} of {total:N0} posted at {clock.Elapsed.TotalSeconds:N1} s"));
            }
        };
        var outcome = await import.ExecuteAsync(LockboxFormat.Bai2, $"bench-lockbox-{earlierFiles + 1}.bai", content, user, cancellationToken);
        clock.Stop();
        foreach (var error in outcome.Errors.Take(20))
        {
            console.WriteLine(error.ToString());
        }

        console.WriteLine(outcome.Message);
        if (!outcome.Posted)
        {
            return CliApp.BadInput;
        }

        var posted = outcome.PaymentCount + outcome.SuspenseCount;
        var perSecond = posted / clock.Elapsed.TotalSeconds;
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Imported and posted {posted:N0} payments in {clock.Elapsed.TotalSeconds:N2} s ({perSecond:N0}/s); {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds:N1} s of CPU in this process, {(GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024 / 1024:N0} MB allocated."));
        var peak = BenchmarkPreparation.PeakMemoryMegabytes();
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT payments_per_second={perSecond:0} peak_memory_mb={peak} database={settings.Describe()}"));
        return CliApp.Ok;
    }
}
