using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Collections;
using OpenCIS.Storage;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Demo;

namespace OpenCIS.Tests.Web;

/// <summary>The daily collections run through the API and the screens: who may start it and read the list, the run as a job, the list by route (JSON, CSV, screen), an account's history.</summary>
public sealed class CollectionsApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_supervisor_runs_collections_and_the_list_reads_the_same_everywhere()
    {
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var clerk = await factory.SignedInClientAsync("Clerk");
        var cashier = await factory.SignedInClientAsync("Cashier");
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var imported = await scope.ServiceProvider.GetRequiredService<ImportCollectionPolicy>().ExecuteAsync(DemoCollections.PolicyFileName, DemoCollections.PolicyYaml(), "supervisor");
            Assert.True(imported.Imported, imported.Message);
        }

        // The business days of November up to the 19th, as the nightly schedule would have run them.
        for (var date = new DateOnly(2026, 11, 2); date <= new DateOnly(2026, 11, 19); date = date.AddDays(1))
        {
            if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || date == new DateOnly(2026, 11, 11))
            {
                continue;
            }

            await using var scope = factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<RunCollections>().ExecuteAsync(date, "schedule");
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.PostAsJsonAsync("/api/collections/runs", new { businessDate = "2026-11-20" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cashier.GetAsync(new Uri("/api/collections/disconnect-list", UriKind.Relative))).StatusCode);
        var result = await JobPolling.ResultAsync<CollectionRunResult>(supervisor, await supervisor.PostAsJsonAsync("/api/collections/runs", new { businessDate = "2026-11-20" }));
        Assert.False(result.AlreadyCompleted);
        Assert.Contains("2026-11-20", result.Message, StringComparison.Ordinal);
        var again = await JobPolling.ResultAsync<CollectionRunResult>(supervisor, await supervisor.PostAsJsonAsync("/api/collections/runs", new { businessDate = "2026-11-20" }));
        Assert.True(again.AlreadyCompleted);

        List<string> listed;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            listed = await db.AccountCollections.Where(a => a.Listed).Join(db.Accounts, c => c.AccountId, a => a.Id, (c, a) => a.AccountNumber).OrderBy(n => n).ToListAsync();
            Assert.True(await db.CollectionEvents.AnyAsync(e => e.Action == CollectionAction.LateCharge), "a year of unpaid bills was charged");
        }

        var list = (await clerk.GetFromJsonAsync<DisconnectList>("/api/collections/disconnect-list", Json))!;
        Assert.Equal(new DateOnly(2026, 11, 20), list.AsOf);
        Assert.Equal(listed, list.Entries.Select(e => e.AccountNumber).Order(StringComparer.Ordinal));
        Assert.All(list.Entries, e => Assert.Contains("no protection", e.Reason, StringComparison.Ordinal));
        var csv = await clerk.GetStringAsync(new Uri("/api/collections/disconnect-list.csv", UriKind.Relative));
        Assert.Equal(listed.Count + 1, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var screen = await clerk.GetStringAsync(new Uri("/Collections/DisconnectList", UriKind.Relative));
        Assert.All(listed, number => Assert.Contains($"data-account=\"{number}\"", screen, StringComparison.Ordinal));
        Assert.DoesNotContain("run-form", await clerk.GetStringAsync(new Uri("/Collections", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Contains("run-form", await supervisor.GetStringAsync(new Uri("/Collections", UriKind.Relative)), StringComparison.Ordinal);

        long charged;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            charged = await db.CollectionEvents.Where(e => e.Action == CollectionAction.LateCharge).Select(e => e.AccountId).FirstAsync();
        }

        var view = (await clerk.GetFromJsonAsync<AccountCollectionView>($"/api/accounts/{charged}/collections", Json))!;
        Assert.Contains(view.History, h => h.Action == CollectionAction.LateCharge && h.TransactionId is not null && h.Reason.Contains("10%", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await clerk.GetAsync(new Uri("/api/accounts/999999/collections", UriKind.Relative))).StatusCode);
    }
}
