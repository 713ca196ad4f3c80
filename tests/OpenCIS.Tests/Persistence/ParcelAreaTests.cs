using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// Parcels' impervious areas on both databases: every premise of a parcel gets the area, each change is audited with
/// the area before, a CSV changes all its parcels or none, and the account view shows the area.
/// </summary>
public sealed class ParcelAreaTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Every_premise_of_a_parcel_gets_its_area_audited_and_a_csv_with_a_bad_line_changes_nothing(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "parcel areas");
        await using var services = database.Services();
        await database.MigrateAsync();
        long accountId;
        await using (var db = database.Context())
        {
            accountId = (await TinyCity.BuildAsync(db, 1)).Single().AccountId;

            // A duplex: two premises on one parcel.
            db.Premises.AddRange(
                new Premise { AddressLine1 = "20 Twin Ct", City = "Riverbend", State = "OR", Zip = "97401", ParcelId = "R-TWIN-00020", OwnerOfRecord = "Owner" },
                new Premise { AddressLine1 = "20 Twin Ct Unit B", City = "Riverbend", State = "OR", Zip = "97401", ParcelId = "R-TWIN-00020", OwnerOfRecord = "Owner" });
            await db.SaveChangesAsync();
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var areas = scope.ServiceProvider.GetRequiredService<ParcelAreas>();
            Assert.Equal(new ParcelArea("R-TWIN-00020", null, 2), await areas.FindAsync("R-TWIN-00020"));

            // As a clerk types it: trimmed and in upper case, it is the parcel on file.
            var set = await areas.SetAsync(" r-twin-00020 ", 3250m, "clerk");
            Assert.Equal(new ParcelArea("R-TWIN-00020", 3250m, 2), set);
            // The same area again changes nothing (and audits nothing).
            await areas.SetAsync("R-TWIN-00020", 3250m, "clerk");

            Assert.Equal("parcelId", (await Assert.ThrowsAsync<DomainException>(() => areas.SetAsync("R-NONE", 1000m, "clerk"))).Field);
            Assert.Equal("imperviousArea", (await Assert.ThrowsAsync<DomainException>(() => areas.SetAsync("R-TWIN-00020", -1m, "clerk"))).Field);
            Assert.Null(await areas.FindAsync("R-NONE"));

            // Line 2 is good, but line 3's parcel has no premise and line 4's area is less than none: both named, nothing changes.
            var refused = await areas.ImportAsync("gis.csv", Encoding.UTF8.GetBytes("parcel_id,impervious_sqft\nP1,4100\nR-NONE,2000\nR-TWIN-00020,-3\n"), "clerk");
            Assert.False(refused.Imported);
            Assert.Equal([("gis.csv", 3, "parcel_id"), ("gis.csv", 4, "impervious_sqft")], refused.Errors.Select(e => (e.FileName, e.Line, e.Field)));
            Assert.Null((await areas.FindAsync("P1"))!.ImperviousArea);

            var imported = await areas.ImportAsync("gis.csv", Encoding.UTF8.GetBytes("parcel_id,impervious_sqft\nP1,4100.5\nR-TWIN-00020,3300\n"), "admin");
            Assert.True(imported.Imported, imported.Message);
            Assert.Equal((2, 3), (imported.Parcels, imported.PremisesChanged));

            var overview = await scope.ServiceProvider.GetRequiredService<AccountQueries>().OverviewAsync(accountId);
            Assert.Equal(4100.5m, overview!.ImperviousArea);

            var cleared = await areas.SetAsync("P1", null, "clerk");
            Assert.Null(cleared.ImperviousArea);
            Assert.Null((await scope.ServiceProvider.GetRequiredService<AccountQueries>().OverviewAsync(accountId))!.ImperviousArea);
        }

        await using var check = database.Context();
        Assert.Equal([3300m, 3300m], await check.Premises.Where(p => p.ParcelId == "R-TWIN-00020").Select(p => p.ImperviousArea!.Value).ToListAsync());
        var audit = await check.AuditEntries.AsNoTracking().Where(a => a.EntityType == "Premise" && a.Action == "Set impervious area").OrderBy(a => a.Id)
            .Select(a => new { a.User, a.Before, a.After, a.Reason }).ToListAsync();
        // Two premises set by hand, three changed by the file, one cleared: one entry per premise changed.
        Assert.Equal(
            ["Set by hand", "Set by hand", "Imported from gis.csv line 2", "Imported from gis.csv line 3", "Imported from gis.csv line 3", "Set by hand"],
            audit.Select(a => a.Reason));
        Assert.Contains("3250", audit[3].Before, StringComparison.Ordinal);
        Assert.Contains("3300", audit[3].After, StringComparison.Ordinal);
        Assert.Contains("\"ImperviousArea\":null", audit[^1].After, StringComparison.Ordinal);
    }
}
