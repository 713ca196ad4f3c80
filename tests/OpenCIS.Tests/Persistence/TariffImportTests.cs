using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Rating;
using OpenCIS.UseCases.Demo;
using OpenCIS.Storage.Rating;
using OpenCIS.UseCases.Rating;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Persistence;

/// <summary>Tariff versions in from YAML, kept as written, never changed, and read back for billing.</summary>
public sealed class TariffImportTests
{
    private static string Example(string file) => File.ReadAllText(RepositoryExamples.Path("tariffs", file));

    public static TheoryData<string> ExampleFiles =>
    [
        "seymour-tx-residential-electric.yaml", "charlotte-nc-water-sewer.yaml", "longview-tx-sewer.yaml",
        "goodland-ks-large-commercial-electric.yaml", "river-falls-wi-time-of-day-electric.yaml", "berkeley-county-sc-stormwater.yaml",
        "richmond-va-gas.yaml",
    ];

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Writing_a_tariff_and_reading_it_back_gives_the_same_tariff(string file)
    {
        var tariff = TariffYaml.Read(Example(file), file);
        var again = TariffYaml.Read(TariffYaml.Write(tariff, Service.Water), "written");
        Assert.Equal(TariffCatalog.Serialize(tariff), TariffCatalog.Serialize(again));
    }

    [Fact]
    public void The_demo_city_tariffs_write_and_read_back_unchanged()
    {
        var since = new DateOnly(2020, 1, 1);
        foreach (var (service, tariff) in DemoTariffs.All(new DateOnly(2026, 7, 1)).Concat(DemoElectric.Tariffs(since)).Concat(DemoGas.Tariffs(since)).Concat(DemoFireLines.Tariffs(since)))
        {
            var (again, againService) = TariffYaml.ReadFile(TariffYaml.Write(tariff, service), tariff.Code);
            Assert.Equal(TariffCatalog.Serialize(tariff), TariffCatalog.Serialize(again));
            Assert.Equal(service, againService);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_version_is_imported_once_kept_as_written_and_never_changed(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "tariff import");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var import = scope.ServiceProvider.GetRequiredService<ImportTariff>();
        var yaml = Example("longview-tx-sewer.yaml");

        var missingService = await import.ExecuteAsync("longview.yaml", yaml, null, "supervisor");
        Assert.False(missingService.Imported);
        Assert.Equal("service", missingService.Errors.Single().Field);

        var first = await import.ExecuteAsync("longview.yaml", yaml, Service.Sewer, "supervisor");
        Assert.True(first.Imported, first.Message);
        var again = await import.ExecuteAsync("longview-copy.yaml", yaml, Service.Sewer, "supervisor");
        Assert.False(again.Imported);
        Assert.Empty(again.Errors);
        Assert.Contains("nothing changed", again.Message, StringComparison.Ordinal);

        var changed = await import.ExecuteAsync("longview.yaml", yaml.Replace("price: 3.95", "price: 4.10", StringComparison.Ordinal), Service.Sewer, "supervisor");
        Assert.False(changed.Imported);
        Assert.Contains("versions are never changed", changed.Message, StringComparison.Ordinal);

        var bad = await import.ExecuteAsync("bad.yaml", yaml.Replace("unit: gal", "unit: barrels", StringComparison.Ordinal), Service.Sewer, "supervisor");
        Assert.False(bad.Imported);
        Assert.Equal([(17, "unit")], bad.Errors.Select(e => (e.Line, e.Field)).ToArray());

        // A new effective date is a new version; billing finds the one in force.
        var raised = await import.ExecuteAsync("longview-2026.yaml", yaml.Replace("effective: 2019-10-01", "effective: 2026-10-01", StringComparison.Ordinal).Replace("price: 3.95", "price: 4.10", StringComparison.Ordinal), Service.Sewer, "supervisor");
        Assert.True(raised.Imported, raised.Message);

        await using var check = database.Context();
        var catalog = await TariffCatalog.LoadAsync(check, CancellationToken.None);
        var september = catalog.InForce("LGV-S-RES", new DateOnly(2026, 9, 30))!;
        var october = catalog.InForce("LGV-S-RES", new DateOnly(2026, 10, 31))!;
        Assert.Equal(3.95m, ((SewerCharge)september.Components[1]).Blocks[1].Price);
        Assert.Equal(4.10m, ((SewerCharge)october.Components[1]).Blocks[1].Price);

        var exported = await import.ExportAsync("LGV-S-RES", new DateOnly(2019, 10, 1));
        Assert.Equal(yaml, exported!.Value.Yaml); // comments and all
        Assert.Equal(2, (await import.VersionsAsync()).Count);
        Assert.Equal(2, await check.AuditEntries.CountAsync(a => a.EntityType == "RateSchedule"));
    }
}
