using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Metering;
using OpenCIS.Storage;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Billing;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// An account with a domestic water meter and a fire line, billed in a run on each database: each is rated on its own
/// meter's use, and sewer (billed on water) counts only the domestic meter, the fire line's use not being shared.
/// </summary>
public sealed class SeveralMetersOfOneServiceTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_domestic_meter_and_a_fire_line_are_rated_apart_and_sewer_follows_the_domestic_one(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "two water meters");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var account = (await TinyCity.BuildAsync(db, 1))[0];

        var premiseId = await db.Accounts.Where(a => a.Id == account.AccountId).Select(a => a.PremiseId!.Value).SingleAsync();
        var firePoint = new ServicePoint { PremiseId = premiseId, Service = Service.Water, IsMetered = true };
        var fireMeter = Meter.Receive("F0000001", Service.Water, "5/8\"", 6, 1m, Unit.Gallons);
        db.AddRange(firePoint, fireMeter);
        await db.SaveChangesAsync();
        fireMeter.SetAt(firePoint.Id, TinyCity.OpenedOn);
        db.ServiceAgreements.Add(new ServiceAgreement
        {
            AccountId = account.AccountId, ServicePointId = firePoint.Id, Service = Service.Water, RateScheduleCode = "W-RES", StartedOn = TinyCity.OpenedOn,
            Attributes = ServiceAttributes.Format(new Dictionary<string, string> { [BillCalculator.UsageSharedAttribute] = "no" }),
        });
        db.Reads.Add(MeterRead.Record(fireMeter.Id, firePoint.Id, TinyCity.OpenedOn, 0, ReadSource.Handheld, ReadVerdicts.Valid, DeviceFlags.None, "test", FixedClock.DemoToday));
        await db.SaveChangesAsync();

        // The domestic meter used 9,000 gallons; the fire line 3,000.
        await TinyCity.AddReadAsync(db, [account], new DateOnly(2026, 10, 4), 10_000);
        db.Reads.Add(MeterRead.Record(fireMeter.Id, firePoint.Id, new DateOnly(2026, 10, 4), 3_000, ReadSource.Handheld, ReadVerdicts.Valid, DeviceFlags.None, "test", FixedClock.DemoToday));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        var run = await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", new DateOnly(2026, 10, 5), "clerk");
        Assert.Equal((1, 0), (run.BillsCreated, run.Exceptions));

        await using var fresh = database.Context();
        var segments = await fresh.BillSegments.OrderBy(s => s.Id).Select(s => new { s.Service, s.MeterSerial, s.UsageQuantity }).ToListAsync();
        Assert.Equal(9_000m, segments.Single(s => s.MeterSerial == "T0000001").UsageQuantity);
        Assert.Equal(3_000m, segments.Single(s => s.MeterSerial == "F0000001").UsageQuantity);
        Assert.Equal(9_000m, segments.Single(s => s.Service == Service.Sewer).UsageQuantity);
    }
}
