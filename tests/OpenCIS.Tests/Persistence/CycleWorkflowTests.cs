using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Billing.Cycles;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Persistence;

/// <summary>Cycle rules and the utility's own holidays, on each provider, and what they do to a billing run's due dates.</summary>
public sealed class CycleWorkflowTests
{
    private static readonly DateOnly BillDate = new(2026, 11, 5);

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_city_holiday_on_the_due_date_moves_a_billing_runs_due_date(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "cycle holiday due date");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 1);
        await TinyCity.AddReadAsync(db, accounts, BillDate.AddDays(-1), 10_000);
        db.ChangeTracker.Clear();

        // 21 days after 5 November is Thanksgiving; the city also closes on the Friday after.
        await scope.ServiceProvider.GetRequiredService<ManageHolidays>().AddAsync("US-Federal", new DateOnly(2026, 11, 27), "Day after Thanksgiving", "supervisor");
        await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", BillDate, "clerk");

        await using var fresh = database.Context();
        var bill = await fresh.Bills.SingleAsync();
        Assert.Equal(new DateOnly(2026, 11, 30), bill.DueDate);
        var audit = await fresh.AuditEntries.SingleAsync(a => a.EntityType == "Holiday");
        Assert.Equal((20261127L, "Add holiday", "supervisor"), (audit.EntityId, audit.Action, audit.User));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Changing_a_cycles_rules_is_audited_and_moves_its_schedule(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "cycle rules");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        await TinyCity.BuildAsync(db, 1);
        db.ChangeTracker.Clear();

        var change = scope.ServiceProvider.GetRequiredService<ChangeCycleRules>();
        await change.ExecuteAsync("C1", new ChangeCycleRulesRequest(3, 14, 7, "None", "New mail house schedule"), "supervisor");
        var refused = await Assert.ThrowsAsync<DomainException>(() => change.ExecuteAsync("C1", new ChangeCycleRulesRequest(1, 0, 7, "None", "x"), "supervisor"));
        Assert.Equal("dueDays", refused.Field);
        var unknown = await Assert.ThrowsAsync<DomainException>(() => change.ExecuteAsync("C1", new ChangeCycleRulesRequest(1, 20, 7, "Mars", "x"), "supervisor"));
        Assert.Equal("holidayCalendar", unknown.Field);

        await using var fresh = database.Context();
        var cycle = await fresh.BillingCycles.SingleAsync();
        Assert.Equal((3, 14, 7, "None"), (cycle.BillDaysAfterRead, cycle.DueDays, cycle.ReadWindowDays, cycle.HolidayCalendar));
        var audit = await fresh.AuditEntries.SingleAsync();
        Assert.Equal("Change cycle rules", audit.Action);
        Assert.Contains("\"DueDays\":21", audit.Before, StringComparison.Ordinal);
        Assert.Contains("\"DueDays\":14", audit.After, StringComparison.Ordinal);

        // Read Thursday 5 November 2026, billed three business days on (Tuesday the 10th), due 14 days later.
        var schedule = await new CycleSchedules(fresh).ScheduleAsync("C1", new DateOnly(2026, 11, 1), 12);
        Assert.Equal(12, schedule.Months.Count);
        Assert.Equal((new DateOnly(2026, 11, 5), new DateOnly(2026, 11, 10), new DateOnly(2026, 11, 24)),
            (schedule.Months[0].ReadDate.Date, schedule.Months[0].BillDate.Date, schedule.Months[0].DueDate.Date));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_holiday_is_added_once_listed_with_the_rule_holidays_and_removed(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "holidays");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var holidays = scope.ServiceProvider.GetRequiredService<ManageHolidays>();
        var day = new DateOnly(2026, 11, 27);

        await holidays.AddAsync("US-Federal", day, "Day after Thanksgiving", "supervisor");
        Assert.Equal("date", (await Assert.ThrowsAsync<DomainException>(() => holidays.AddAsync("US-Federal", day, "Again", "supervisor"))).Field);
        Assert.Equal("calendar", (await Assert.ThrowsAsync<DomainException>(() => holidays.AddAsync("City", day, "Again", "supervisor"))).Field);

        var listed = await scope.ServiceProvider.GetRequiredService<CycleSchedules>().HolidaysAsync("US-Federal", 2026, 2027);
        Assert.Equal(11 + 12 + 1, listed.Count); // 2027 also keeps New Year's Day 2028, on Friday 31 December
        Assert.Contains(listed, h => h is { Own: true, Name: "Day after Thanksgiving" } && h.Date == day);

        await holidays.RemoveAsync("US-Federal", day, "supervisor");
        await using var fresh = database.Context();
        Assert.Empty(await fresh.Holidays.ToListAsync());
        Assert.Equal(["Add holiday", "Remove holiday"], await fresh.AuditEntries.OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }
}
