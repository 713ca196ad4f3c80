using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCIS.Core.Customers;
using OpenCIS.Tests.Persistence;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Calling campaigns through the API on the demo city: a Supervisor builds one (an unknown collector refused), the collector calls and
/// takes a promise, the results count it, both exports download, and the Supervisor closes it; each step by its permission.
/// </summary>
public sealed class CampaignApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [Fact]
    public async Task A_supervisor_builds_a_campaign_the_collector_calls_and_takes_a_promise_it_is_exported_and_closed_each_by_its_permission()
    {
        var (one, two) = (AccountNumbers.Create(11), AccountNumbers.Create(12));
        await TestCampaigns.OweAsync(factory.Services, new DateOnly(2026, 11, 22), one, two);
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var collector = await factory.SignedInClientAsync("Collector");
        var auditor = await factory.SignedInClientAsync("Auditor");
        var body = new { name = "Large balances", minimumDaysPastDue = 31, maximumDaysPastDue = 90, minimumBalance = "1000.00", debt = "utility", script = "Hello.", collectors = new[] { "collector" } };
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(collector, "/api/campaigns", body)).StatusCode);
        Assert.Equal("collectors", await ProblemFieldAsync(await PostAsync(supervisor, "/api/campaigns", body with { collectors = new[] { "nobody" } })));
        Assert.Equal("debt", await ProblemFieldAsync(await PostAsync(supervisor, "/api/campaigns", body with { debt = "parking" })));
        var built = await (await PostAsync(supervisor, "/api/campaigns", body)).Content.ReadFromJsonAsync<JsonElement>();
        var id = built.GetProperty("id").GetInt64();
        var targets = built.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal([one, two], targets.Select(t => t.GetProperty("accountNumber").GetString()!).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("31–90 days past due, owing $1,000.00 or more, utility accounts", built.GetProperty("criteria").GetString());

        // The collector calls: a promise needs its amount; then 700.00 promised for December 6.
        var target = targets.Single(t => t.GetProperty("accountNumber").GetString() == one).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(auditor, $"/api/campaigns/{id}/calls", new { targetId = target, outcome = "no-answer" })).StatusCode);
        Assert.Equal("promiseAmount", await ProblemFieldAsync(await PostAsync(collector, $"/api/campaigns/{id}/calls", new { targetId = target, outcome = "promise-to-pay" })));
        var call = await (await PostAsync(collector, $"/api/campaigns/{id}/calls",
            new { targetId = target, outcome = "promise-to-pay", promiseAmount = "700.00", promiseDate = "2026-12-06" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Done", "promise-to-pay"), (call.GetProperty("target").GetProperty("status").GetString(), call.GetProperty("target").GetProperty("lastOutcome").GetString()));
        var results = (await auditor.GetFromJsonAsync<JsonElement>(new Uri($"/api/campaigns/{id}", UriKind.Relative))).GetProperty("results").EnumerateArray().Single();
        Assert.Equal(("collector", 1, 1, 1, "700.00"), (results.GetProperty("collector").GetString(), results.GetProperty("calls").GetInt32(), results.GetProperty("rightPartyContacts").GetInt32(),
            results.GetProperty("promises").GetInt32(), results.GetProperty("promised").GetString()));

        // Both exports, for anyone who may read the campaign.
        var csv = await auditor.GetStringAsync(new Uri($"/api/campaigns/{id}/export.csv", UriKind.Relative));
        Assert.StartsWith("account_number,customer,phone,", csv, StringComparison.Ordinal);
        Assert.Contains($"{one},", csv, StringComparison.Ordinal);
        var xlsx = await auditor.GetAsync(new Uri($"/api/campaigns/{id}/export.xlsx", UriKind.Relative));
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);

        // The Supervisor covers for the collector: a call on the collector's list.
        var other = targets.Single(t => t.GetProperty("accountNumber").GetString() == two).GetProperty("id").GetInt64();
        var covered = await PostAsync(supervisor, $"/api/campaigns/{id}/calls", new { targetId = other, outcome = "left-message" });
        Assert.Equal(HttpStatusCode.OK, covered.StatusCode);

        // Closed by the Supervisor only; then no call is taken.
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(collector, $"/api/campaigns/{id}/close", new { })).StatusCode);
        Assert.Equal("Closed", (await (await PostAsync(supervisor, $"/api/campaigns/{id}/close", new { })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("id", await ProblemFieldAsync(await PostAsync(collector, $"/api/campaigns/{id}/calls", new { targetId = other, outcome = "no-answer" })));
        Assert.Single((await auditor.GetFromJsonAsync<JsonElement>(new Uri("/api/campaigns", UriKind.Relative))).EnumerateArray());
    }
}
