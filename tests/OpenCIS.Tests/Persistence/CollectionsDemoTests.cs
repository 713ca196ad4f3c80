using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Collections;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// The demo city's year of collections, produced by the real daily run every business day: on the demo date
/// (a Tuesday) the planted non-payer is on the disconnect list with its reason, each planted protection keeps
/// its account off with the protection named, every entry explains itself, the same city gives the same list
/// on both databases, and the books tie out.
/// </summary>
public sealed class CollectionsDemoTests
{
    private const int Accounts = 200;
    private static readonly DateTimeOffset DemoDay = new(2026, 11, 17, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The list each database gave, by account number with its reason, to compare the two.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<TestProvider, string> Lists = new();

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_disconnect_list_on_the_demo_date_holds_the_planted_non_payer_and_each_planted_protection_keeps_its_account_off(TestProvider provider)
    {
        TestDatabases.Require(provider, "the demo city's collections");
        await using var database = await TestDatabases.CreateAsync(provider, "the demo city's collections");
        await database.MigrateAsync();
        await using var services = database.Services(new FixedClock(DemoDay));
        DemoSeedOutcome outcome;
        await using (var scope = services.CreateAsyncScope())
        {
            outcome = await scope.ServiceProvider.GetRequiredService<SeedDemoCity>().ExecuteAsync(Accounts);
        }

        var planted = outcome.Planted.Where(p => p.Value >= SeedDemoCity.PlantedCase.ListedNonPayer).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(5, planted.Count);
        await using var db = database.Context();
        var numbers = await db.Accounts.ToDictionaryAsync(a => a.Id, a => a.AccountNumber);
        DisconnectList list;
        await using (var scope = services.CreateAsyncScope())
        {
            list = await scope.ServiceProvider.GetRequiredService<CollectionQueries>().DisconnectListAsync(withProtected: true);
        }

        Assert.Equal(DateOnly.FromDateTime(DemoDay.UtcDateTime), list.AsOf);
        var entries = list.Entries.ToDictionary(e => e.AccountNumber);
        var listed = Assert.Single(planted, p => p.Value == SeedDemoCity.PlantedCase.ListedNonPayer).Key;
        Assert.True(entries[numbers[listed]].OnList);
        var reason = entries[numbers[listed]].Reason;
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(reason, @"^\d+ days past due, \$[\d,]+\.\d\d over the \$50\.00 minimum; shut-off notice mailed [A-Z][a-z]{2} \d+, \d{4}, \d+ days elapsed; door hanger hung .*; no protection$"), reason);

        var named = new Dictionary<SeedDemoCity.PlantedCase, string>
        {
            [SeedDemoCity.PlantedCase.MedicalCertificate] = "Dr. Maya Chen",
            [SeedDemoCity.PlantedCase.LifeSupport] = "life-support",
            [SeedDemoCity.PlantedCase.Dispute] = "dispute",
            [SeedDemoCity.PlantedCase.BankruptcyStay] = "bankruptcy",
        };
        foreach (var (accountId, kind) in planted.Where(p => p.Value != SeedDemoCity.PlantedCase.ListedNonPayer))
        {
            var standing = await db.AccountCollections.SingleAsync(a => a.AccountId == accountId);
            Assert.False(standing.Listed, $"{kind}: {standing.Explanation}");
            Assert.Contains(named[kind], standing.ProtectedBy ?? "", StringComparison.OrdinalIgnoreCase);
            Assert.True(standing.PastDueCents >= 50_00, $"{kind} is past due enough to be listed but for its protection: {standing.Explanation}");
            var entry = entries[numbers[accountId]];
            Assert.False(entry.OnList);
            Assert.Contains(named[kind], entry.Reason, StringComparison.OrdinalIgnoreCase);
        }

        // Every entry explains itself: on the list with no protection, or held with the protection named.
        Assert.All(list.Entries.Where(e => e.OnList), e => Assert.EndsWith("no protection", e.Reason, StringComparison.Ordinal));
        Assert.All(list.Entries.Where(e => e.OnList), e => Assert.True(e.PastDue.Cents >= 50_00, $"{e.AccountNumber}: {e.Reason}"));
        // Held ones name what holds them, a balance under the minimum among them (the policy counts it a protection).
        Assert.All(list.Entries.Where(e => !e.OnList), e => Assert.Contains("off the disconnect list: ", e.Reason, StringComparison.Ordinal));

        // A year of the run: late charges in every month since the policy took effect, the steps, and the trial balance ties out.
        var months = await db.CollectionEvents.Where(e => e.Action == CollectionAction.LateCharge).Select(e => e.BusinessDate).ToListAsync();
        Assert.True(months.Select(d => d.Month).Distinct().Count() >= 10, $"late charges in {months.Select(d => d.Month).Distinct().Count()} months");
        Assert.True(await db.CollectionRuns.CountAsync() > 200);
        var books = await new LedgerReports(db).PeriodTrialBalanceAsync(outcome.From, outcome.Through);
        Assert.True(books.Balances && books.TiesToSubLedger, $"debits {books.TotalDebits} credits {books.TotalCredits}, AR {books.ReceivableClosing} against {books.SubLedgerAtClose}");

        // The same seed gives the same city, so both databases give the same list.
        var text = string.Join("\n", list.Entries.OrderBy(e => e.AccountNumber, StringComparer.Ordinal).Select(e => $"{e.AccountNumber}|{e.OnList}|{e.PastDue}|{e.Reason}"));
        Lists[provider] = text;
        var other = provider == TestProvider.Sqlite ? TestProvider.Postgres : TestProvider.Sqlite;
        if (Lists.TryGetValue(other, out var otherText))
        {
            Assert.Equal(otherText, text);
        }
    }
}
