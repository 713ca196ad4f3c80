using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Collections;
using OpenCIS.Web.Api;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>
/// The collector's work through the API on the demo city: who may write what, protections entered (a
/// certificate beyond the policy's renewals refused, naming the limit) and ended with a reason, contacts with a
/// promise, promises, notes, and the work queue's filters.
/// </summary>
public sealed class CollectionWorkApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(OpenCisWebFactory.Today.UtcDateTime);

    public static TheoryData<string, string, string, HttpStatusCode> PermissionCases => new()
    {
        { "Field", "POST", "/api/accounts/1/contacts", HttpStatusCode.Forbidden },
        { "Auditor", "POST", "/api/accounts/1/contacts", HttpStatusCode.Forbidden },
        { "Clerk", "POST", "/api/accounts/1/contacts", HttpStatusCode.OK },
        { "Cashier", "POST", "/api/accounts/1/contacts", HttpStatusCode.OK },
        { "Auditor", "POST", "/api/accounts/1/promises", HttpStatusCode.Forbidden },
        { "Cashier", "POST", "/api/accounts/1/notes", HttpStatusCode.Forbidden },
        { "Auditor", "POST", "/api/accounts/1/protections", HttpStatusCode.Forbidden },
        { "Cashier", "POST", "/api/accounts/1/protections", HttpStatusCode.Forbidden },
        { "Auditor", "POST", "/api/accounts/1/protections/1/end", HttpStatusCode.Forbidden },
        { "Cashier", "GET", "/api/accounts/1/notes", HttpStatusCode.Forbidden },
        { "Cashier", "GET", "/api/collections/queue", HttpStatusCode.Forbidden },
        { "Auditor", "GET", "/api/collections/queue", HttpStatusCode.OK },
        { "Auditor", "GET", "/api/accounts/1/protections", HttpStatusCode.OK },
        { "Collector", "GET", "/api/accounts/999999/contacts", HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(PermissionCases))]
    public async Task Each_role_reads_and_writes_collection_work_only_as_its_permissions_allow(string role, string method, string path, HttpStatusCode expected)
    {
        var client = await factory.SignedInClientAsync(role);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { kind = "call", outcome = "no-answer", text = "permission test", reason = "permission test", startsOn = "2026-11-22" });
        }

        Assert.Equal(expected, (await client.SendAsync(request)).StatusCode);
    }

    private async Task<long> AccountIdAsync(HttpClient client, int sequence)
    {
        using var account = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/accounts/{AccountNumbers.Create(sequence)}", UriKind.Relative)));
        return account.RootElement.GetProperty("accountId").GetInt64();
    }


    private async Task ImportPolicyAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var yaml = await File.ReadAllTextAsync(RepositoryExamples.Path("collections", "riverbend.yaml"));
        await scope.ServiceProvider.GetRequiredService<ImportCollectionPolicy>().ExecuteAsync("riverbend.yaml", yaml, "supervisor");
    }

    [Fact]
    public async Task A_clerk_enters_and_ends_protections_and_a_certificate_beyond_the_policys_renewals_is_refused_naming_the_limit()
    {
        await ImportPolicyAsync();
        var clerk = await factory.SignedInClientAsync("Clerk");
        var id = await AccountIdAsync(clerk, 7);
        var path = $"/api/accounts/{id}/protections";
        foreach (var from in new[] { "2026-01-05", "2026-05-05", "2026-09-05" })
        {
            (await PostAsync(clerk, path, new ProtectionBody("medical_certificate", from, DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture).AddDays(21).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                "Dr. Ada Lane", null, null, null, null))).EnsureSuccessStatusCode();
        }

        var refused = await PostAsync(clerk, path, new ProtectionBody("medical_certificate", "2026-11-20", "2026-12-10", "Dr. Ada Lane", null, null, null, null));
        var refusal = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("allows 2 renewals", refusal, StringComparison.Ordinal);
        Assert.Contains("startsOn", refusal, StringComparison.Ordinal);

        Assert.Equal("kind", await ProblemFieldAsync(await PostAsync(clerk, path, new ProtectionBody("moratorium", "2026-11-22", null, null, null, null, null, null))));
        Assert.Equal("startsOn", await ProblemFieldAsync(await PostAsync(clerk, path, new ProtectionBody("life_support", "11/22/2026", null, null, null, null, null, null))));
        Assert.Equal("amount", await ProblemFieldAsync(await PostAsync(clerk, path, new ProtectionBody("dispute", "2026-11-22", null, null, "lots", null, null, null))));

        var dispute = await PostAsync(clerk, path, new ProtectionBody("dispute", "2026-11-22", null, null, "40.00", null, null, "Leak under the slab"));
        dispute.EnsureSuccessStatusCode();
        using var entered = JsonDocument.Parse(await dispute.Content.ReadAsStringAsync());
        var protection = entered.RootElement.GetProperty("protection");
        Assert.Equal(("Dispute", "open dispute over $40.00", true), (protection.GetProperty("kind").GetString(), protection.GetProperty("description").GetString(), protection.GetProperty("active").GetBoolean()));
        var pid = protection.GetProperty("id").GetInt64();

        Assert.Equal("reason", await ProblemFieldAsync(await PostAsync(clerk, $"{path}/{pid}/end", new EndProtectionBody(""))));
        (await PostAsync(clerk, $"{path}/{pid}/end", new EndProtectionBody("Resolved: meter tested accurate"))).EnsureSuccessStatusCode();
        Assert.Equal("protectionId", await ProblemFieldAsync(await PostAsync(clerk, $"{path}/{pid}/end", new EndProtectionBody("again"))));

        using var listed = JsonDocument.Parse(await clerk.GetStringAsync(new Uri(path, UriKind.Relative)));
        var newest = listed.RootElement[0];
        Assert.Equal((4, pid, "Resolved: meter tested accurate"), (listed.RootElement.GetArrayLength(), newest.GetProperty("id").GetInt64(), newest.GetProperty("endReason").GetString()));

        var auditor = await factory.SignedInClientAsync("Auditor");
        using var audit = JsonDocument.Parse(await auditor.GetStringAsync(new Uri($"/api/accounts/{AccountNumbers.Create(7)}/audit", UriKind.Relative)));
        Assert.Contains(audit.RootElement.EnumerateArray(), a => a.GetRawText().Contains("End protection", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_clerk_logs_a_walk_in_about_billing_but_a_promise_to_pay_on_a_contact_is_a_collectors()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var id = await AccountIdAsync(clerk, 18);
        var walkIn = await PostAsync(clerk, $"/api/accounts/{id}/contacts", new ContactBody("walk-in", "resolved", "Asked why the bill went up", null, null, "billing"));
        walkIn.EnsureSuccessStatusCode();
        using (var logged = JsonDocument.Parse(await walkIn.Content.ReadAsStringAsync()))
        {
            var contact = logged.RootElement.GetProperty("contact");
            Assert.Equal(("WalkIn", "billing", "resolved"), (contact.GetProperty("kind").GetString(), contact.GetProperty("category").GetString(), contact.GetProperty("outcome").GetString()));
        }

        Assert.Equal("category", await ProblemFieldAsync(await PostAsync(clerk, $"/api/accounts/{id}/contacts", new ContactBody("call", "answered", null, null, null, "weather"))));
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(clerk, $"/api/accounts/{id}/contacts", new ContactBody("call", "promise-to-pay", null, "2026-11-30", "20.00"))).StatusCode);
        var collector = await factory.SignedInClientAsync("Collector");
        using var contacts = JsonDocument.Parse(await collector.GetStringAsync(new Uri($"/api/accounts/{id}/contacts", UriKind.Relative)));
        // The refused ones left nothing behind.
        Assert.Equal(["billing"], contacts.RootElement.EnumerateArray().Select(c => c.GetProperty("category").GetString()));
    }

    [Fact]
    public async Task A_collector_logs_a_call_with_a_promise_takes_a_promise_writes_a_note_and_works_the_queue()
    {
        var collector = await factory.SignedInClientAsync("Collector");
        var id = await AccountIdAsync(collector, 9);
        var other = await AccountIdAsync(collector, 10);

        var call = await PostAsync(collector, $"/api/accounts/{id}/contacts", new ContactBody("call", "promise-to-pay", "Will pay Friday", "2026-11-27", "55.25"));
        call.EnsureSuccessStatusCode();
        using (var logged = JsonDocument.Parse(await call.Content.ReadAsStringAsync()))
        {
            Assert.Equal("Call", logged.RootElement.GetProperty("contact").GetProperty("kind").GetString());
            Assert.Equal(5_525, logged.RootElement.GetProperty("promise").GetProperty("amountCents").GetInt64());
        }

        Assert.Equal("promiseAmount", await ProblemFieldAsync(await PostAsync(collector, $"/api/accounts/{id}/contacts", new ContactBody("call", "promise-to-pay", null, "2026-11-27", null))));
        Assert.Equal("kind", await ProblemFieldAsync(await PostAsync(collector, $"/api/accounts/{id}/contacts", new ContactBody("fax", "other", null, null, null))));
        Assert.Equal("promisedOn", await ProblemFieldAsync(await PostAsync(collector, $"/api/accounts/{id}/promises", new PromiseBody(Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "10.00"))));
        Assert.Equal("amount", await ProblemFieldAsync(await PostAsync(collector, $"/api/accounts/{id}/promises", new PromiseBody("2026-12-01", "0.00"))));
        Assert.Equal("text", await ProblemFieldAsync(await PostAsync(collector, $"/api/accounts/{id}/notes", new NoteBody(""))));
        (await PostAsync(collector, $"/api/accounts/{other}/promises", new PromiseBody("2026-12-01", "20.00"))).EnsureSuccessStatusCode();
        (await PostAsync(collector, $"/api/accounts/{id}/notes", new NoteBody("Asked for a call after 5 p.m."))).EnsureSuccessStatusCode();

        using (var contacts = JsonDocument.Parse(await collector.GetStringAsync(new Uri($"/api/accounts/{id}/contacts", UriKind.Relative))))
        using (var promises = JsonDocument.Parse(await collector.GetStringAsync(new Uri($"/api/accounts/{id}/promises", UriKind.Relative))))
        using (var notes = JsonDocument.Parse(await collector.GetStringAsync(new Uri($"/api/accounts/{id}/notes", UriKind.Relative))))
        {
            Assert.Equal(("promise-to-pay", "collector"), (contacts.RootElement.EnumerateArray().Single().GetProperty("outcome").GetString(), contacts.RootElement[0].GetProperty("contactedBy").GetString()));
            Assert.Equal(("Open", "2026-11-27"), (promises.RootElement.EnumerateArray().Single().GetProperty("status").GetString(), promises.RootElement[0].GetProperty("promisedOn").GetString()));
            Assert.Equal("Asked for a call after 5 p.m.", notes.RootElement.EnumerateArray().Single().GetProperty("text").GetString());
        }

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            foreach (var (account, status, days, cents) in new[] { (id, CollectionStatus.FinalNotice, 25, 31_000L), (other, CollectionStatus.Reminded, 8, 4_000L) })
            {
                var standing = AccountCollection.For(account);
                standing.Update("RIVERBEND-UTIL", status, days, cents, false, null, null, null, null, null, $"next: door hanger ({account})", Today, OpenCisWebFactory.Today);
                db.AccountCollections.Add(standing);
            }

            await db.SaveChangesAsync();
        }

        using (var queue = JsonDocument.Parse(await collector.GetStringAsync(new Uri("/api/collections/queue?status=final_notice&minPastDue=100.00&minDays=20&class=residential", UriKind.Relative))))
        {
            var entry = queue.RootElement.GetProperty("entries").EnumerateArray().Single();
            Assert.Equal((id, "FinalNotice", 31_000L, $"next: door hanger ({id})"), (entry.GetProperty("accountId").GetInt64(), entry.GetProperty("status").GetString(), entry.GetProperty("pastDueCents").GetInt64(), entry.GetProperty("nextAction").GetString()));
            Assert.Equal(5_525, entry.GetProperty("openPromise").GetProperty("amountCents").GetInt64());
            Assert.NotEqual(JsonValueKind.Null, entry.GetProperty("lastContactAt").ValueKind);
        }

        using (var all = JsonDocument.Parse(await collector.GetStringAsync(new Uri("/api/collections/queue?sort=daysPastDue", UriKind.Relative))))
        {
            Assert.True(all.RootElement.GetProperty("total").GetInt32() >= 2);
        }

        Assert.Equal("status", await ProblemFieldAsync(await collector.GetAsync(new Uri("/api/collections/queue?status=asleep", UriKind.Relative))));
        Assert.Equal("class", await ProblemFieldAsync(await collector.GetAsync(new Uri("/api/collections/queue?class=royal", UriKind.Relative))));
    }
}
