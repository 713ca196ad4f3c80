using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// A city seeded with fewer months than the demo's year (<c>demo seed --months</c>, the scale benches' cities): its history
/// starts that many months back, it is plain (no planted cases, no collections year, no budget or assistance plants), every
/// metered bill's reads are on file as the bill shows them, and its books tie out.
/// </summary>
public sealed class ShortHistoryCityTests
{
    [Fact]
    public async Task A_city_of_two_months_is_plain_every_metered_bill_has_its_reads_and_the_books_tie_out()
    {
        await using var database = await TestDatabases.CreateAsync(TestProvider.Sqlite, "a short-history city");
        await database.MigrateAsync();
        await using var services = database.Services();
        DemoSeedOutcome outcome;
        await using (var scope = services.CreateAsyncScope())
        {
            outcome = await scope.ServiceProvider.GetRequiredService<SeedDemoCity>().ExecuteAsync(100, 2, null, CancellationToken.None);
        }

        Assert.Equal((outcome.Through.AddMonths(-2).AddDays(1), 4), (outcome.From, outcome.BillingRuns));
        Assert.Empty(outcome.Planted);
        Assert.Null(outcome.Assistance);
        // Where the time went adds up to the whole, and the billing runs took some of it.
        Assert.Equal(outcome.Elapsed, outcome.Phases.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Elapsed));
        Assert.True(outcome.Phases.Single(p => p.Phase == SeedPhases.Billing).Elapsed > TimeSpan.Zero);
        await using var db = database.Context();
        Assert.Equal(100, await db.Accounts.CountAsync(a => a.PremiseId != null));
        Assert.Equal((0, 0, 0), (await db.CollectionRuns.CountAsync(), await db.BudgetPlans.CountAsync(), await db.ProgramEnrollments.CountAsync()));
        Assert.True(outcome.Bills > 190, $"two months of bills: {outcome.Bills}");
        Assert.Equal(outcome.Bills, await db.Bills.CountAsync());
        Assert.True(outcome.Payments > 100, $"the first month's bills are paid: {outcome.Payments}");
        Assert.True(await db.Bills.MinAsync(b => b.BillDate) >= outcome.From, "no bill before the history starts");

        // Every metered segment's present read is a read on file for its meter, on the day and at the reading the bill shows.
        var metered = await db.BillSegments.Where(s => s.MeterSerial != null && s.PresentReadOn != null).CountAsync();
        var matched = await db.BillSegments.Where(s => s.MeterSerial != null && s.PresentReadOn != null)
            .CountAsync(s => db.Reads.Any(r => r.ReadOn == s.PresentReadOn && r.Reading == s.PresentReading && db.Meters.Any(m => m.Id == r.MeterId && m.Serial == s.MeterSerial)));
        Assert.True(metered > 190, $"metered segments: {metered}");
        Assert.Equal(metered, matched);

        var trial = await new LedgerReports(db).TrialBalanceAsync();
        Assert.True(trial.Balances && trial.TiesToSubLedger, $"AR control {trial.ReceivableControl} != sub-ledger {trial.SubLedgerTotal}");
    }

    [Fact]
    public async Task A_history_past_a_year_or_under_a_month_is_refused_naming_the_months()
    {
        await using var database = await TestDatabases.CreateAsync(TestProvider.Sqlite, "a refused seed");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var seed = scope.ServiceProvider.GetRequiredService<SeedDemoCity>();
        foreach (var months in new[] { 0, 13 })
        {
            var refused = await Assert.ThrowsAsync<DomainException>(() => seed.ExecuteAsync(10, months, null, CancellationToken.None));
            Assert.Equal(("months", "The demo city has between 1 and 12 months of history."), (refused.Field, refused.Message));
        }

        await using var db = database.Context();
        Assert.Equal(0, await db.Accounts.CountAsync());
    }
}
