using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Reports;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Persistence;

/// <summary>A lockbox import in a process of its own is killed mid-file; run again, every payment has posted exactly once.</summary>
public sealed class LockboxKillTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_lockbox_import_killed_mid_file_and_run_again_posts_every_payment_exactly_once(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "lockbox kill and resume");
        await database.MigrateAsync();
        List<TinyCity.TinyAccount> accounts;
        await using (var db = database.Context())
        {
            accounts = await TinyCity.BuildAsync(db, 5);
        }

        var items = Enumerable.Range(0, 40).Select(n => new Bai2Item(Money.FromCents(1000 + n), accounts[n % 5].AccountNumber, $"K{n:D3}")).ToList();
        var content = Bai2Writer.Write("121000248", "RIVERBEND", new DateTime(2026, 11, 20, 6, 0, 0), "3", new DateOnly(2026, 11, 20), [new Bai2Account("5550001", items)]);
        var path = Path.Combine(Path.GetTempPath(), $"lockbox-kill-{Guid.NewGuid():N}.bai");
        await File.WriteAllTextAsync(path, content);
        try
        {
            using (var first = Start(database, path))
            {
                var killed = false;
                var clock = Stopwatch.StartNew();
                while (!first.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
                {
                    await using var db = database.Context();
                    if (await db.ImportedFileChunks.AnyAsync())
                    {
                        first.Kill(entireProcessTree: true);
                        await first.WaitForExitAsync();
                        killed = true;
                        break;
                    }

                    await Task.Delay(5);
                }

                Assert.True(killed, "the import finished (or never started) before it could be killed: " + await first.StandardOutput.ReadToEndAsync() + await first.StandardError.ReadToEndAsync());
            }

            await using (var db = database.Context())
            {
                Assert.InRange(await db.Payments.CountAsync(), 1, 39);
            }

            await using var services = database.Services();
            await using var scope = services.CreateAsyncScope();
            var resumed = await scope.ServiceProvider.GetRequiredService<ImportLockbox>().ExecuteAsync(LockboxFormat.Bai2, Path.GetFileName(path), Encoding.UTF8.GetBytes(content), "cashier");
            Assert.True(resumed.Resumed, resumed.Message);

            await using var check = database.Context();
            var references = await check.Payments.Select(p => p.Reference).ToListAsync();
            Assert.Equal(items.Select(i => i.BankReference).Order(), references.Order());
            Assert.Equal(items.Sum(i => i.Amount.Cents), await check.Payments.SumAsync(p => p.AmountCents));
            var trialBalance = await new LedgerReports(check).TrialBalanceAsync();
            Assert.True(trialBalance.Balances && trialBalance.TiesToSubLedger);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Process Start(TestDatabase database, string path)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "opencis.dll"), "payments", "import", "--format", "bai2", "--file", path, "--chunk-size", "2", "--pause-ms", "200" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[DatabaseSettings.EnvironmentVariable] = database.ConnectionString;
        start.Environment["OPENCIS_TIME_ZONE"] = "UTC";
        return Process.Start(start) ?? throw new InvalidOperationException("The import process did not start.");
    }
}
