using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Collections;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Payment arrangements through the API on the demo city: a collector sets one up within the policy (201) and is
/// refused outside it with the limit named; a Supervisor approves terms outside it; the letter is a PDF; a
/// cashier may not set one up.
/// </summary>
public sealed class CollectionArrangementsApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(OpenCisWebFactory.Today.UtcDateTime);

    /// <summary>Residential accounts with no arrangement whose past due is well inside the policy's eligible debt, with their past due.</summary>
    private async Task<List<(long Id, long PastDueCents)>> CandidatesAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var arranged = await db.Arrangements.Select(a => a.AccountId).Distinct().ToListAsync();
        var residential = await db.Accounts.Where(a => a.Class == AccountClass.Residential && a.Status == AccountStatus.Active).Select(a => a.Id).ToListAsync();
        var open = await db.OpenItems.Select(o => new { o.AccountId, o.OpenCents, o.DueOn }).ToListAsync();
        var balances = open.GroupBy(o => o.AccountId).ToDictionary(g => g.Key, g => (Balance: g.Sum(o => o.OpenCents), PastDue: g.Where(o => o.OpenCents > 0 && o.DueOn < Today).Sum(o => o.OpenCents)));
        return [.. residential.Except(arranged)
            // Past due at least the policy's eligible minimum ($50), well under its maximum.
            .Where(id => balances.TryGetValue(id, out var b) && b.PastDue >= 50_00 && b.PastDue <= 4_000_00 && b.Balance >= b.PastDue)
            .Select(id => (id, balances[id].PastDue))];
    }

    private async Task ImportPolicyAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var yaml = await File.ReadAllTextAsync(RepositoryExamples.Path("collections", "riverbend.yaml"));
        await scope.ServiceProvider.GetRequiredService<ImportCollectionPolicy>().ExecuteAsync("riverbend.yaml", yaml, "supervisor");
    }

    private static string Dollars(long cents) => Money.FromCents(cents).ToPlainString();

    [Fact]
    public async Task A_collector_arranges_within_the_policy_is_refused_outside_it_naming_the_limit_and_a_supervisor_approves_it()
    {
        await ImportPolicyAsync();
        var candidates = await CandidatesAsync();
        Assert.True(candidates.Count >= 2, "the demo city has two residential accounts past due");
        var (first, firstPastDue) = candidates[0];
        var (second, secondPastDue) = candidates[1];
        var collector = await factory.SignedInClientAsync("Collector");
        var firstDue = Today.AddDays(20).ToString("yyyy-MM-dd");

        var cashier = await factory.SignedInClientAsync("Cashier");
        Assert.Equal(HttpStatusCode.Forbidden, (await cashier.PostAsJsonAsync($"/api/accounts/{first}/arrangements",
            new { downPayment = Dollars(firstPastDue / 2), installments = 2, firstDueOn = firstDue })).StatusCode);

        // Within the policy: 201, the past due arranged by default.
        var made = await collector.PostAsJsonAsync($"/api/accounts/{first}/arrangements", new { downPayment = Dollars(firstPastDue / 2), installments = 2, firstDueOn = firstDue });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        using (var body = JsonDocument.Parse(await made.Content.ReadAsStringAsync()))
        {
            var arrangement = body.RootElement.GetProperty("arrangement");
            Assert.Equal(firstPastDue, arrangement.GetProperty("amountCents").GetInt64());
            Assert.Equal("Active", arrangement.GetProperty("status").GetString());
            var id = arrangement.GetProperty("id").GetInt64();
            var letter = await collector.GetAsync(new Uri($"/api/accounts/{first}/arrangements/{id}/letter.pdf", UriKind.Relative));
            Assert.Equal("application/pdf", letter.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await letter.Content.ReadAsByteArrayAsync())[..4], StringComparison.Ordinal);
        }

        Assert.Single(await collector.GetFromJsonAsync<JsonElement[]>($"/api/accounts/{first}/arrangements") ?? []);

        // Below the minimum down payment: a validation problem naming the limit.
        var tooLittle = new { downPayment = Dollars(secondPastDue / 10), installments = 3, firstDueOn = firstDue };
        var refused = await collector.PostAsJsonAsync($"/api/accounts/{second}/arrangements", tooLittle);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            var error = problem.RootElement.GetProperty("errors").EnumerateObject().Single();
            Assert.Equal("minimumDownPaymentPercent", error.Name);
            Assert.Contains("minimum of 25%", error.Value[0].GetString(), StringComparison.Ordinal);
        }

        // A collector may not approve it; a supervisor may, with a reason.
        var approval = new { downPayment = Dollars(secondPastDue / 10), installments = 3, firstDueOn = firstDue, approveOutsidePolicy = true, approvalReason = "Hardship" };
        Assert.Equal(HttpStatusCode.BadRequest, (await collector.PostAsJsonAsync($"/api/accounts/{second}/arrangements", approval)).StatusCode);
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var approved = await supervisor.PostAsJsonAsync($"/api/accounts/{second}/arrangements", approval);
        Assert.Equal(HttpStatusCode.Created, approved.StatusCode);
        using (var body = JsonDocument.Parse(await approved.Content.ReadAsStringAsync()))
        {
            var arrangement = body.RootElement.GetProperty("arrangement");
            Assert.Contains("minimum of 25%", arrangement.GetProperty("outsidePolicy").GetString(), StringComparison.Ordinal);
            Assert.Equal("supervisor", arrangement.GetProperty("approvedBy").GetString());
            var id = arrangement.GetProperty("id").GetInt64();
            var cancelled = await collector.PostAsJsonAsync($"/api/accounts/{second}/arrangements/{id}/cancel", new { reason = "Customer asked" });
            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        }

        // The account's collections page: the form with the past due, the approval only for a supervisor, the list with the letter.
        string number;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            number = await scope.ServiceProvider.GetRequiredService<OpenCisDbContext>().Accounts.Where(a => a.Id == first).Select(a => a.AccountNumber).SingleAsync();
        }

        var page = await collector.GetStringAsync(new Uri($"/Accounts/{number}/Collections", UriKind.Relative));
        Assert.Contains("id=\"arrange-form\"", page, StringComparison.Ordinal);
        Assert.Contains($"value=\"{Dollars(firstPastDue)}\"", page, StringComparison.Ordinal);
        Assert.Contains("letter.pdf", page, StringComparison.Ordinal);
        Assert.Contains("cancel-arrangement", page, StringComparison.Ordinal);
        Assert.DoesNotContain("arrange-approve", page, StringComparison.Ordinal);
        Assert.Contains("arrange-approve", await supervisor.GetStringAsync(new Uri($"/Accounts/{number}/Collections", UriKind.Relative)), StringComparison.Ordinal);
    }
}
