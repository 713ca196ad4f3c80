using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Cli;
using OpenCIS.Tests.Persistence;

namespace OpenCIS.Tests.Cli;

/// <summary><c>opencis agreement attributes</c>: print, set, remove and clear a service agreement's attributes, audited; bad input names the option.</summary>
public sealed class AgreementAttributeCliTests : IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabases.CreateAsync(TestProvider.Sqlite, "agreement attributes CLI");
        await database.MigrateAsync();
        await using var db = database.Context();
        await TinyCity.BuildAsync(db, 1);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private Task<CliRun> RunAsync(params string[] args) => CliRun.ExecuteAsync(database.Configuration(), args);

    [Fact]
    public async Task Attributes_are_printed_set_removed_and_cleared()
    {
        long trash;
        await using (var db = database.Context())
        {
            trash = await db.ServiceAgreements.Where(a => a.Service == OpenCIS.Core.Billing.Service.Trash).Select(a => a.Id).SingleAsync();
        }

        var id = trash.ToString(CultureInfo.InvariantCulture);
        Assert.Contains($"Agreement {id} (Trash under T-RES): no attributes.", (await RunAsync("agreement", "attributes", id)).Output, StringComparison.Ordinal);

        var set = await RunAsync("agreement", "attributes", id, "--set", "cart_size=96gal", "--set", "pickups=2");
        Assert.True(set.ExitCode == 0, set.Output);
        Assert.Contains("cart_size=96gal; pickups=2.", set.Output, StringComparison.Ordinal);
        Assert.Contains("cart_size=96gal; pickups=2.", (await RunAsync("agreement", "attributes", id)).Output, StringComparison.Ordinal);

        var removed = await RunAsync("agreement", "attributes", id, "--remove", "pickups");
        Assert.Contains(": cart_size=96gal.", removed.Output, StringComparison.Ordinal);

        var badName = await RunAsync("agreement", "attributes", id, "--set", "Cart Size=96");
        Assert.Equal(CliApp.BadInput, badName.ExitCode);
        Assert.Contains("is not an attribute name", badName.Output, StringComparison.Ordinal);
        Assert.Equal(CliApp.BadInput, (await RunAsync("agreement", "attributes", id, "--set", "cart_size")).ExitCode);
        Assert.Equal(CliApp.BadInput, (await RunAsync("agreement", "attributes", id, "--remove", "color")).ExitCode);
        Assert.Equal(CliApp.BadInput, (await RunAsync("agreement", "attributes", "999999")).ExitCode);

        Assert.Contains("no attributes.", (await RunAsync("agreement", "attributes", id, "--clear")).Output, StringComparison.Ordinal);
        await using (var db = database.Context())
        {
            Assert.Equal(3, await db.AuditEntries.CountAsync(e => e.EntityType == "ServiceAgreement" && e.EntityId == trash));
        }
    }
}
