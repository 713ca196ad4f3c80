using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Persistence;

/// <summary>The meter lifecycle and what billing makes of it, on each database.</summary>
public sealed class MeteringWorkflowTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_meter_exchanged_mid_period_bills_the_use_of_both_meters(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "meter exchange billing");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 1);
        await TinyCity.AddReadAsync(db, accounts, new DateOnly(2026, 10, 4), 6_000);
        db.ChangeTracker.Clear();
        var billing = scope.ServiceProvider.GetRequiredService<RunBilling>();
        await billing.ExecuteAsync("C1", new DateOnly(2026, 10, 5), "clerk");

        var lifecycle = scope.ServiceProvider.GetRequiredService<MeterLifecycle>();
        await lifecycle.ReceiveAsync(new ReceiveMeterRequest("N0000001", Service.Water, "5/8\"", 6, 1m, Unit.Gallons, "Neptune", "T-10"), "clerk");
        await lifecycle.ExchangeAsync("T0000001", "N0000001", new DateOnly(2026, 10, 20), 8_000, 50, "clerk");
        var newMeter = await db.Meters.AsNoTracking().SingleAsync(m => m.Serial == "N0000001");
        db.Reads.Add(MeterRead.Record(newMeter.Id, accounts[0].WaterServicePointId, new DateOnly(2026, 11, 4), 3_050, ReadSource.Amr, ReadVerdicts.Valid, DeviceFlags.None, "test", FixedClock.DemoToday));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        var outcome = await billing.ExecuteAsync("C1", new DateOnly(2026, 11, 5), "clerk");
        Assert.Equal(1, outcome.BillsCreated);
        await using var check = database.Context();
        var bill = await check.Bills.Include(b => b.Segments).ThenInclude(s => s.RemovedMeters).Include(b => b.Segments).ThenInclude(s => s.Lines)
            .SingleAsync(b => b.BillingRunId == outcome.RunId);
        var water = bill.Segments.Single(s => s.Service == Service.Water);
        Assert.Equal(5_000m, water.UsageQuantity); // 2,000 on the old meter + 3,000 on the new one
        Assert.Equal("N0000001", water.MeterSerial);
        Assert.Equal(50, water.PreviousReading);
        var removed = Assert.Single(water.RemovedMeters);
        Assert.Equal(("T0000001", 6_000L, 8_000L, new DateOnly(2026, 10, 20)), (removed.MeterSerial, removed.PreviousReading, removed.FinalReading, removed.RemovedOn));
        Assert.Equal(new DateOnly(2026, 10, 5), bill.PeriodStart);
        // Sewer is billed on the same combined water use.
        Assert.Equal(5_000m, bill.Segments.Single(s => s.Service == Service.Sewer).UsageQuantity);

        var history = await check.MeterEvents.OrderBy(e => e.Id).Select(e => new { e.Kind, e.Reading }).ToListAsync();
        Assert.Equal([MeterEventKind.Received, MeterEventKind.Removed, MeterEventKind.Set], history.Select(h => h.Kind).ToArray());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Illegal_meter_moves_are_refused_with_a_reason_and_change_nothing(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "meter lifecycle rules");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 1);
        var lifecycle = scope.ServiceProvider.GetRequiredService<MeterLifecycle>();

        var duplicate = await Assert.ThrowsAsync<DomainException>(() => lifecycle.ReceiveAsync(new ReceiveMeterRequest("T0000001", Service.Water, "5/8\"", 6, 1m, Unit.Gallons, "", ""), "clerk"));
        Assert.Equal("serial", duplicate.Field);

        await lifecycle.ReceiveAsync(new ReceiveMeterRequest("N0000002", Service.Water, "5/8\"", 4, 1m, Unit.Gallons, "", ""), "clerk");
        var occupied = await Assert.ThrowsAsync<DomainException>(() => lifecycle.SetAsync("N0000002", accounts[0].WaterServicePointId, new DateOnly(2026, 10, 1), 0, "clerk"));
        Assert.Contains("T0000001 is still installed", occupied.Message, StringComparison.Ordinal);

        var backwards = await Assert.ThrowsAsync<DomainException>(() => lifecycle.RemoveAsync("T0000001", new DateOnly(2026, 10, 1), 500, "clerk"));
        Assert.Equal("finalReading", backwards.Field);
        var tooBig = await Assert.ThrowsAsync<DomainException>(() => lifecycle.ExchangeAsync("T0000001", "N0000002", new DateOnly(2026, 10, 1), 2_000, 10_000, "clerk"));
        Assert.Equal("initialReading", tooBig.Field);

        await using var check = database.Context();
        Assert.Equal(MeterStatus.Installed, (await check.Meters.SingleAsync(m => m.Serial == "T0000001")).Status);
        Assert.Equal(MeterStatus.Inventory, (await check.Meters.SingleAsync(m => m.Serial == "N0000002")).Status);
        Assert.Equal(1, await check.Reads.CountAsync());
    }
}
