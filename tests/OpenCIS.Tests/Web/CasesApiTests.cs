using System.Net;
using System.Text.Json;
using OpenCIS.Core.Customers;
using OpenCIS.Web.Api;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Cases through the API on the demo city: who may open and work them, a complaint opened into its queue, assigned,
/// set waiting and resolved; bad input refused naming the field; the assignee's work list and count.
/// </summary>
public sealed class CasesApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    public static TheoryData<string, string, string, HttpStatusCode> PermissionCases => new()
    {
        { "Cashier", "POST", "/api/accounts/1/cases", HttpStatusCode.Forbidden },
        { "Auditor", "POST", "/api/accounts/1/cases", HttpStatusCode.Forbidden },
        { "Field", "POST", "/api/cases/1/resolve", HttpStatusCode.Forbidden },
        { "Auditor", "GET", "/api/accounts/1/cases", HttpStatusCode.OK },
        { "Field", "GET", "/api/work", HttpStatusCode.OK },
        { "Clerk", "GET", "/api/cases/999999", HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(PermissionCases))]
    public async Task Each_role_reads_and_works_cases_only_as_its_permissions_allow(string role, string method, string path, HttpStatusCode expected)
    {
        var client = await factory.SignedInClientAsync(role);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(new { kind = "complaint", subject = "permission test", resolution = "withdrawn" });
        }

        Assert.Equal(expected, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task A_clerk_opens_a_complaint_a_supervisor_assigns_it_and_the_assignee_sees_it_works_it_and_resolves_it()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        long accountId;
        using (var account = JsonDocument.Parse(await clerk.GetStringAsync(new Uri($"/api/accounts/{AccountNumbers.Create(16)}", UriKind.Relative))))
        {
            accountId = account.RootElement.GetProperty("accountId").GetInt64();
        }

        var path = $"/api/accounts/{accountId}/cases";
        Assert.Equal("kind", await ProblemFieldAsync(await PostAsync(clerk, path, new CaseBody("refund", "x", null, null, null))));
        Assert.Equal("subject", await ProblemFieldAsync(await PostAsync(clerk, path, new CaseBody("complaint", " ", null, null, null))));
        Assert.Equal("amount", await ProblemFieldAsync(await PostAsync(clerk, path, new CaseBody("complaint", "Rude crew", null, "10.00", null))));
        Assert.Equal("amount", await ProblemFieldAsync(await PostAsync(clerk, path, new CaseBody("billing-dispute", "Bill too high", null, "ten", null))));

        var opened = await PostAsync(clerk, path, new CaseBody("complaint", "Crew left the gate open", "The dog got out", null, null));
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        long caseId;
        using (var body = JsonDocument.Parse(await opened.Content.ReadAsStringAsync()))
        {
            var c = body.RootElement.GetProperty("case");
            caseId = c.GetProperty("id").GetInt64();
            Assert.Equal(("complaint", "Open", "Customer service", "2026-12-02"), (c.GetProperty("kind").GetString(), c.GetProperty("status").GetString(), c.GetProperty("queue").GetString(), c.GetProperty("dueOn").GetString()));
        }

        var supervisor = await factory.SignedInClientAsync("Supervisor");
        (await PostAsync(supervisor, $"/api/cases/{caseId}/assign", new CaseAssignBody("collector", null, "You took the call"))).EnsureSuccessStatusCode();
        var collector = await factory.SignedInClientAsync("Collector");
        using (var work = JsonDocument.Parse(await collector.GetStringAsync(new Uri("/api/work", UriKind.Relative))))
        {
            Assert.Contains(work.RootElement.GetProperty("myCases").EnumerateArray(), c => c.GetProperty("id").GetInt64() == caseId);
        }

        Assert.Contains("id=\"nav-work-count\"", await collector.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Equal("on", await ProblemFieldAsync(await PostAsync(collector, $"/api/cases/{caseId}/wait", new CaseWaitBody("supervisor", null))));
        (await PostAsync(collector, $"/api/cases/{caseId}/wait", new CaseWaitBody("customer", "Left a voicemail"))).EnsureSuccessStatusCode();
        (await PostAsync(collector, $"/api/cases/{caseId}/notes", new CaseNoteBody("Customer called back; crew reminded"))).EnsureSuccessStatusCode();
        Assert.Equal("resolution", await ProblemFieldAsync(await PostAsync(collector, $"/api/cases/{caseId}/resolve", new CaseResolveBody("denied", null))));
        (await PostAsync(collector, $"/api/cases/{caseId}/resolve", new CaseResolveBody("resolved", "Apologised; crew briefed"))).EnsureSuccessStatusCode();
        Assert.Equal("status", await ProblemFieldAsync(await PostAsync(collector, $"/api/cases/{caseId}/resolve", new CaseResolveBody("resolved", null))));

        using var found = JsonDocument.Parse(await clerk.GetStringAsync(new Uri($"/api/cases/{caseId}", UriKind.Relative)));
        Assert.Equal(["opened in the Customer service queue", "assigned to collector in the Customer service queue", "waiting on the customer", "note", "resolved: resolved"],
            found.RootElement.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("what").GetString()));
        using var audit = JsonDocument.Parse(await supervisor.GetStringAsync(new Uri($"/api/accounts/{AccountNumbers.Create(16)}/audit", UriKind.Relative)));
        Assert.Equal(5, audit.RootElement.EnumerateArray().Count(a => a.GetProperty("entityType").GetString() == "AccountCase"));
    }

}
