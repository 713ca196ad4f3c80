using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;
using OpenCIS.Storage.Jobs;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Billing;
using OpenCIS.Tests.Mail;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// The billing schedule catches up a bill date it missed (the host down that day) for a week, unless the
/// cycle was billed since, by the schedule or by hand on another day. C1 reads on the 5th: in December 2026
/// that is a Saturday, so it reads Monday the 7th and bills Tuesday the 8th.
/// </summary>
public sealed class ScheduleCatchUpTests
{
    private static readonly DateOnly BillDate = new(2026, 12, 8);

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_missed_bill_date_is_caught_up_within_a_week_unless_the_cycle_was_billed_since(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "schedule catch up");
        await database.MigrateAsync();
        var clock = new MovableClock();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<IJobQueue, NoJobQueue>();
        services.AddOpenCisUseCases(database.Configuration());
        await using var container = services.BuildServiceProvider();
        await using (var setup = container.CreateAsyncScope())
        {
            await TinyCity.BuildAsync(setup.ServiceProvider.GetRequiredService<OpenCisDbContext>(), 2);
        }

        async Task<IReadOnlyList<ScheduledBillingRun>> ScheduleOnAsync(DateOnly day)
        {
            clock.Now = new DateTimeOffset(day.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero);
            await using var scope = container.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<StartScheduledBillingRuns>().ExecuteAsync();
        }

        // Eight days on, the bill date is past catching up; the day before it there is nothing to bill.
        Assert.Empty(await ScheduleOnAsync(BillDate.AddDays(StartScheduledBillingRuns.CatchUpDays)));
        Assert.Empty(await ScheduleOnAsync(BillDate.AddDays(-1)));

        // Two days on, with no run since: the run for the bill date starts, dated by the schedule.
        var caughtUp = Assert.Single(await ScheduleOnAsync(BillDate.AddDays(2)));
        Assert.Equal(("C1", BillDate), (caughtUp.CycleCode, caughtUp.BusinessDate));
        Assert.NotNull(caughtUp.JobId);
        Assert.EndsWith("(caught up: its bill date 2026-12-08 passed with no run)", caughtUp.Message, StringComparison.Ordinal);

        // A clerk billed the cycle by hand on the 9th instead: nothing is missed, nothing starts.
        await using (var db = database.Context())
        {
            await db.Jobs.Where(j => j.Id == caughtUp.JobId).ExecuteUpdateAsync(set => set.SetProperty(j => j.Status, JobStatus.Failed));
        }

        await using (var scope = container.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", BillDate.AddDays(1), "clerk");
        }

        Assert.Empty(await ScheduleOnAsync(BillDate.AddDays(2)));

        // On the bill date itself the schedule starts the run as ever, whatever ran before.
        var onTheDay = Assert.Single(await ScheduleOnAsync(BillDate));
        Assert.Equal(("C1", BillDate), (onTheDay.CycleCode, onTheDay.BusinessDate));
        Assert.DoesNotContain("caught up", onTheDay.Message, StringComparison.Ordinal);
    }
}
