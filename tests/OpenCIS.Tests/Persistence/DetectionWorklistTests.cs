using Microsoft.Extensions.DependencyInjection;
using OpenCIS.UseCases.Demo;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;

namespace OpenCIS.Tests.Persistence;

/// <summary>The demo city plants cases for the worklists; the worklists must find exactly those.</summary>
public sealed class DetectionWorklistTests
{
    private static readonly Dictionary<SeedDemoCity.PlantedCase, string> ExpectedRule = new()
    {
        [SeedDemoCity.PlantedCase.UseWhileDisconnected] = "use-while-off",
        [SeedDemoCity.PlantedCase.SuddenDrop] = "sudden-drop",
        [SeedDemoCity.PlantedCase.TamperFlag] = "device-flag",
        [SeedDemoCity.PlantedCase.StuckMeter] = "stuck",
        [SeedDemoCity.PlantedCase.ErraticMeter] = "erratic",
        [SeedDemoCity.PlantedCase.DropAfterExchange] = "drop-after-exchange",
    };

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_worklists_list_every_planted_case_and_no_other_account(TestProvider provider)
    {
        TestDatabases.Require(provider, "detection worklists");
        var (database, outcome) = await TestDatabases.SeededCity100Async(provider);
        await using var owned = database;
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        // The detection cases; the collections cases planted beside them are the collections tests' to find.
        var planted = outcome.Planted.Where(p => p.Value < SeedDemoCity.PlantedCase.ListedNonPayer).ToList();
        Assert.Equal(11, planted.Count);

        var entries = await scope.ServiceProvider.GetRequiredService<DetectionWorklists>().BuildAsync();
        await using var db = database.Context();
        var numbers = db.Accounts.ToDictionary(a => a.Id, a => a.AccountNumber);
        // The demand account planted to be billed on its ratchet: its use fell by two thirds, and the worklist says so.
        var ratchet = db.ServiceAgreements.Where(a => a.RateScheduleCode == "E-GSD").Min(a => a.AccountId);
        var expected = planted.Select(p => (Account: numbers[p.Key], Rule: ExpectedRule[p.Value])).Append((Account: numbers[ratchet], Rule: "sudden-drop")).OrderBy(x => x.Account).ToList();
        var found = entries.Select(e => (Account: e.AccountNumber, e.Rule)).OrderBy(x => x.Account).ToList();
        Assert.Equal(expected, found);
        Assert.All(entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
    }
}
