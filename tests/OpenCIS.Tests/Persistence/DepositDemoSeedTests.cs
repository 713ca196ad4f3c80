using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Data.Demo;
using OpenCIS.Data.Deposits;

namespace OpenCIS.Tests.Persistence;

/// <summary>The demo city of 100 accounts or more carries a few deposits, posted like any other, so the deposit report ties to GL 2200.</summary>
public sealed class DepositDemoSeedTests
{
    [Fact]
    public async Task The_demo_city_bills_three_deposits_waives_one_and_the_deposit_report_ties_to_GL_2200()
    {
        await using var database = await TestDatabases.CreateAsync(TestProvider.Sqlite, "demo deposits");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<SeedDemoCity>().ExecuteAsync(100);

        await using var db = database.Context();
        var deposits = await db.Deposits.OrderBy(d => d.Id).Select(d => new { d.Status, d.BilledCents, d.DecidedOn }).ToListAsync();
        Assert.Equal([(DepositStatus.Billed, 15000L), (DepositStatus.Billed, 15000L), (DepositStatus.Billed, 15000L), (DepositStatus.Waived, 0L)], deposits.Select(d => (d.Status, d.BilledCents)).ToArray());
        Assert.All(deposits, d => Assert.Equal(outcome.Through, d.DecidedOn));

        var report = await scope.ServiceProvider.GetRequiredService<DepositQueries>().ReportAsync(outcome.Through);
        Assert.Equal((3, 45000L, 45000L, true), (report.BilledUnpaidCount, report.BilledUnpaidCents, report.GeneralLedgerBalanceCents, report.TiesToGeneralLedger));
    }
}
