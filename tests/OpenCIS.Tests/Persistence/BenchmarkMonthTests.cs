using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Metering;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// A billing bench month is lived as the city lives one: the bills the last run held are released, the
/// last run's bills are paid once (a bench run again does not pay them twice), and the review queue is
/// worked empty before the run.
/// </summary>
public sealed class BenchmarkMonthTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_last_bills_are_paid_once_and_the_review_queue_is_emptied(TestProvider provider)
    {
        var (database, _) = await TestDatabases.SeededCity100Async(provider);
        await using var owned = database;
        await using var services = database.Services();
        long runId;
        int bills;
        await using (var db = database.Context())
        {
            runId = await db.BillingRuns.Where(r => r.CycleCode == "C1" && r.Status == BillingRunStatus.Completed).OrderByDescending(r => r.BusinessDate).Select(r => r.Id).FirstAsync();
            bills = await db.Bills.CountAsync(b => b.BillingRunId == runId && b.Status == BillStatus.Issued && b.AmountDueCents > 0);
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var city = scope.ServiceProvider.GetRequiredService<BenchmarkCity>();
            var paid = await city.PayLastBillsAsync("C1", new DateOnly(2027, 1, 31), "bench", default);
            // Most pay, in full or in part (a few in a hundred do not).
            Assert.InRange(paid.Payments, bills * 8 / 10, bills);
            Assert.True(paid.PaidCents > 0);
            Assert.Equal(new BenchmarkMonth(0, 0, 0, 0), await city.PayLastBillsAsync("C1", new DateOnly(2027, 1, 31), "bench", default));

            await using var db = database.Context();
            Assert.Equal(paid.Payments, await db.Payments.CountAsync(p => p.Reference == $"mailed-run-{runId}"));
            Assert.Equal(paid.PaidCents, await db.Payments.Where(p => p.Reference == $"mailed-run-{runId}").SumAsync(p => p.AmountCents));
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var queue = scope.ServiceProvider.GetRequiredService<ReviewReads>();
            var pending = (await queue.QueueAsync("C1")).Count;
            var reviewed = await scope.ServiceProvider.GetRequiredService<BenchmarkCity>().ReviewReadsAsync("C1", "bench", default);

            Assert.Equal(pending, reviewed.ReadsAccepted + reviewed.ReadsEstimated);
            Assert.Empty(await queue.QueueAsync("C1"));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_bills_the_last_run_held_are_released_two_days_after_it(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "bench held bills");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 2);
        await scope.ServiceProvider.GetRequiredService<ReviewHeldBills>().SetRulesAsync(AccountClass.Residential, new BillReviewRules { ZeroUse = true }, "supervisor");
        var billDate = new DateOnly(2026, 11, 5);
        await TinyCity.AddReadAsync(db, accounts.Take(1), billDate.AddDays(-1), 3_000);
        await TinyCity.AddReadAsync(db, accounts.Skip(1), billDate.AddDays(-1), 1_000);
        db.ChangeTracker.Clear();
        var run = await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", billDate, "clerk");
        Assert.EndsWith("; 1 held for review.", run.Message, StringComparison.Ordinal);

        var released = await scope.ServiceProvider.GetRequiredService<BenchmarkCity>().ReleaseHeldBillsAsync("C1", "bench", default);

        Assert.Equal(1, released.BillsReleased);
        await using var fresh = database.Context();
        var bill = await fresh.Bills.SingleAsync(b => b.BillingRunId == run.RunId && b.AccountId == accounts[1].AccountId);
        Assert.Equal((BillStatus.Issued, billDate.AddDays(2)), (bill.Status, bill.BillDate));
        Assert.NotNull(bill.FinancialTransactionId);
        Assert.Equal(0, (await scope.ServiceProvider.GetRequiredService<BenchmarkCity>().ReleaseHeldBillsAsync("C1", "bench", default)).BillsReleased);
    }
}
