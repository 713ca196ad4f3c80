using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Metering;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Customers;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// New construction into inventory on each provider: a CSV with a bad line imports nothing and names each line and
/// field; the good file adds the premises, a service point per service and the meters set with their reads; service
/// then starts at one of them on the builder's read.
/// </summary>
public sealed class PremiseInventoryTests
{
    private const string Header = "address_line1,city,state,zip,parcel_id,owner_of_record,services,meter_serial,meter_size,meter_dials,initial_reading\n";

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_premise_file_imports_all_or_nothing_and_service_starts_at_an_imported_premise(TestProvider provider)
    {
        TestDatabases.Require(provider, "premise inventory");
        await using var city = await PaymentCity.StartAsync(provider, "premise inventory", accounts: 1);
        int premisesBefore;
        await using (var db = city.Fresh())
        {
            premisesBefore = await db.Premises.CountAsync();
        }

        var bad = Header
            + "10 Orchard Way,Riverbend,OR,97401,R-ORC-00010,Orchard Builders,water;sewer;trash,OW000010,5/8\",6,3\n"
            + "12 Orchard Way,Riverbend,Oregon,97401,R-ORC-00012,Orchard Builders,water;sewer;steam,,,,\n"
            + "14 Orchard Way,Riverbend,OR,974,P1,Orchard Builders,sewer,OW000010,,,\n";
        var refused = await city.RunAsync<PremiseInventory, PremiseImportOutcome>(i => i.ImportAsync("orchard.csv", Encoding.UTF8.GetBytes(bad), "clerk"));
        Assert.False(refused.Imported);
        Assert.Equal(
            [(3, "services"), (3, "state"), (4, "zip"), (4, "parcel_id"), (4, "meter_serial"), (4, "meter_serial")],
            refused.Errors.Select(e => (e.Line, e.Field)).OrderBy(e => e.Line).ThenBy(e => e.Field == "meter_serial").ToArray());
        await using (var db = city.Fresh())
        {
            Assert.Equal(premisesBefore, await db.Premises.CountAsync());
            Assert.False(await db.Meters.AnyAsync(m => m.Serial == "OW000010"));
        }

        var good = Header
            + "10 Orchard Way,Riverbend,OR,97401,R-ORC-00010,Orchard Builders,water;sewer;trash,OW000010,5/8\",6,3\n"
            + "12 Orchard Way,Riverbend,OR,97401-1234,R-ORC-00012,Orchard Builders,water;sewer,,,,\n";
        var imported = await city.RunAsync<PremiseInventory, PremiseImportOutcome>(i => i.ImportAsync("orchard.csv", Encoding.UTF8.GetBytes(good), "clerk"));
        Assert.True(imported.Imported, imported.Message);
        Assert.Equal((2, 1), (imported.Premises, imported.Meters));
        var again = await city.RunAsync<PremiseInventory, PremiseImportOutcome>(i => i.ImportAsync("orchard.csv", Encoding.UTF8.GetBytes(good), "clerk"));
        Assert.Equal(["parcel_id", "meter_serial", "parcel_id"], again.Errors.Select(e => e.Field));

        long premiseId;
        await using (var db = city.Fresh())
        {
            var premise = await db.Premises.SingleAsync(p => p.ParcelId == "R-ORC-00010");
            premiseId = premise.Id;
            var points = (await db.ServicePoints.Where(p => p.PremiseId == premise.Id).ToListAsync()).OrderBy(p => p.Service).ToList();
            Assert.Equal([Service.Water, Service.Sewer, Service.Trash], points.Select(p => p.Service));
            Assert.All(points, p => Assert.Equal(ServicePointState.ActiveVacant, p.State));
            var meter = await db.Meters.SingleAsync(m => m.Serial == "OW000010");
            Assert.Equal((MeterStatus.Installed, points[0].Id), (meter.Status, meter.ServicePointId!.Value));
            Assert.Equal(2, await db.MeterEvents.CountAsync(e => e.MeterId == meter.Id));
        }

        // Service starts the next day on the builder's read.
        var today = DateOnly.FromDateTime(city.Clock.GetUtcNow().UtcDateTime);
        var started = await city.RunAsync<StartService, StartServiceOutcome>(s => s.ExecuteAsync(
            new StartServiceRequest(null, new ApplyingCustomer(Storage.Customers.CustomerKind.Person, "Orla Orchard", null, null, null, "541-555-0110", null), premiseId, today.AddDays(1), AccountClass.Residential, CycleCode: "C1"), "clerk"));
        await using (var db = city.Fresh())
        {
            Assert.Equal(3, await db.ServiceAgreements.CountAsync(a => a.AccountId == started.AccountId));
            Assert.Equal(ServicePointState.ActiveOccupied, (await db.ServicePoints.FirstAsync(p => p.PremiseId == premiseId)).State);
        }
    }
}
