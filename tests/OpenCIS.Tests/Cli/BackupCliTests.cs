using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Tests.Persistence;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.Tests.Cli;

/// <summary>`opencis db backup` while payments post, then `opencis db restore` into an empty database: the same rows and trial balance.</summary>
public sealed class BackupCliTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_backup_taken_under_load_restores_to_the_same_rows_and_a_tied_trial_balance(TestProvider provider)
    {
        await using var source = await TestDatabases.CreateAsync(provider, "backup source");
        await using var target = await TestDatabases.CreateAsync(provider, "backup target");
        var folder = Directory.CreateTempSubdirectory("opencis-backup").FullName;
        try
        {
            Assert.Equal(0, (await CliRun.ExecuteAsync(source.Configuration(), "demo", "seed", "--accounts", "20")).ExitCode);
            List<string> accounts;
            await using (var db = source.Context())
            {
                accounts = await db.Accounts.OrderBy(a => a.Id).Select(a => a.AccountNumber).Take(10).ToListAsync();
            }

            // Payments keep posting while the backup runs.
            using var stop = new CancellationTokenSource();
            var posted = 0;
            var load = Task.Run(async () =>
            {
                await using var services = source.Services();
                while (!stop.IsCancellationRequested)
                {
                    await using var scope = services.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<TakePayment>().ExecuteAsync(
                        new TakePaymentRequest(accounts[posted % accounts.Count], Money.FromCents(100 + posted), Tender.MoneyOrder, null, PaymentSource.Counter, null), "cashier");
                    posted++;
                }
            });
            await Task.Delay(300);
            var file = Path.Combine(folder, provider == TestProvider.Sqlite ? "riverbend.db" : "riverbend.dump");
            var backup = await CliRun.ExecuteAsync(source.Configuration(), "db", "backup", "--out", file);
            await stop.CancelAsync();
            await load;
            Assert.True(backup.ExitCode == 0, backup.Output);
            Assert.True(posted > 0, "payments posted during the backup");
            Assert.True(File.Exists(file));

            var again = await CliRun.ExecuteAsync(source.Configuration(), "db", "backup", "--out", file);
            Assert.NotEqual(0, again.ExitCode);
            Assert.Contains("never overwrites", again.Output, StringComparison.Ordinal);

            Assert.NotEqual(0, (await CliRun.ExecuteAsync(target.Configuration(), "db", "restore", "--from", file)).ExitCode);
            var restored = await CliRun.ExecuteAsync(target.Configuration(), "db", "restore", "--from", file, "--yes");
            Assert.True(restored.ExitCode == 0, restored.Output);
            Assert.Contains("(balanced)", restored.Output, StringComparison.Ordinal);
            Assert.Contains("(tied)", restored.Output, StringComparison.Ordinal);
            if (provider == TestProvider.Sqlite)
            {
                // The backup's own summary and the restored database's are the same, row for row and cent for cent.
                Assert.Equal(After(backup.Output, "The backup holds:"), After(restored.Output, "The database now holds:"));
            }

            // The restored database has every payment the backup caught, and no more than were posted.
            await using var check = target.Context();
            var payments = await check.Payments.CountAsync();
            await using var live = source.Context();
            Assert.InRange(payments, await live.Payments.CountAsync() - posted, await live.Payments.CountAsync());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string After(string output, string heading) => output[(output.IndexOf(heading, StringComparison.Ordinal) + heading.Length)..].Trim();
}
