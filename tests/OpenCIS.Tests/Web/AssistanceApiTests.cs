using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCIS.Core.Customers;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Assistance programs through the API on the demo city (business date 2026-11-22): who may define programs, enroll
/// and record pledges; bad input named by field; a pledge's payment posted once under a retried Idempotency-Key.
/// </summary>
public sealed class AssistanceApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [Fact]
    public async Task A_supervisor_defines_a_program_a_clerk_enrolls_an_account_and_bad_input_names_its_field()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var program = new { code = "apitest", name = "API test program", eligibility = "Anyone in a test", verificationMonths = 12, active = true };
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(clerk, "/api/programs", program)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(supervisor, "/api/programs", program)).StatusCode);
        Assert.Equal("verificationMonths", await ProblemFieldAsync(await PostAsync(supervisor, "/api/programs", program with { verificationMonths = 500 })));
        var listed = await clerk.GetFromJsonAsync<JsonElement>(new Uri("/api/programs", UriKind.Relative));
        Assert.Contains(listed.EnumerateArray(), p => p.GetProperty("code").GetString() == "APITEST");

        var path = $"/api/accounts/{AccountNumbers.Create(21)}/enrollments";
        var enrolled = await PostAsync(clerk, path, new { programCode = "APITEST", enrolledOn = "2026-11-01", verifiedOn = "2026-11-01" });
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        var id = (await enrolled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal("programCode", await ProblemFieldAsync(await PostAsync(clerk, path, new { programCode = "APITEST" })));
        Assert.Equal("programCode", await ProblemFieldAsync(await PostAsync(clerk, path, new { programCode = "NOSUCH" })));
        Assert.Equal("endedOn", await ProblemFieldAsync(await PostAsync(clerk, $"/api/enrollments/{id}/end", new { endedOn = "2026-10-01" })));
        var state = (await clerk.GetFromJsonAsync<JsonElement>(new Uri(path, UriKind.Relative))).EnumerateArray().Single(e => e.GetProperty("programCode").GetString() == "APITEST");
        Assert.Equal(("Counts", "2027-10-31"), (state.GetProperty("state").GetString(), state.GetProperty("countsThrough").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(clerk, $"/api/enrollments/{id}/end", new { endedOn = "2026-11-22", note = "Test over" })).StatusCode);
    }

    [Fact]
    public async Task A_pledge_payment_posts_once_under_its_key_and_the_report_counts_it_paid()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var cashier = await factory.SignedInClientAsync("Cashier");
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var path = $"/api/accounts/{AccountNumbers.Create(22)}/pledges";
        Assert.Equal("expectedBy", await ProblemFieldAsync(await PostAsync(clerk, path, new { agency = "API Agency", amount = "40.00", pledgedOn = "2026-11-20", expectedBy = "2026-11-01" })));
        Assert.Equal("amount", await ProblemFieldAsync(await PostAsync(clerk, path, new { agency = "API Agency", amount = "forty", expectedBy = "2026-12-01" })));
        var recorded = await PostAsync(clerk, path, new { agency = "API Agency", amount = "40.00", pledgedOn = "2026-11-20", expectedBy = "2026-12-01" });
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        var pledgeId = (await recorded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var body = new { tender = "check", reference = "7001" };
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(clerk, $"/api/pledges/{pledgeId}/payment", body, "api-pledge-1")).StatusCode);
        var first = await (await PostAsync(cashier, $"/api/pledges/{pledgeId}/payment", body, "api-pledge-1")).Content.ReadFromJsonAsync<JsonElement>();
        var again = await (await PostAsync(cashier, $"/api/pledges/{pledgeId}/payment", body, "api-pledge-1")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((false, true), (first.GetProperty("alreadyPosted").GetBoolean(), again.GetProperty("alreadyPosted").GetBoolean()));
        Assert.Equal(first.GetProperty("receiptNumber").GetString(), again.GetProperty("receiptNumber").GetString());
        Assert.Equal(("Paid", "40.00"), (first.GetProperty("pledge").GetProperty("status").GetString(), first.GetProperty("pledge").GetProperty("paid").GetString()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(cashier, $"/api/pledges/{pledgeId}/payment", new { tender = "check", reference = "7002" }, "api-pledge-1")).StatusCode);

        var report = await supervisor.GetFromJsonAsync<JsonElement>(new Uri("/api/pledges?from=2026-11-20&to=2026-11-20&agency=API%20Agency", UriKind.Relative));
        var total = report.GetProperty("total");
        Assert.Equal((1, "40.00", 0), (total.GetProperty("paidCount").GetInt32(), total.GetProperty("paid").GetString(), total.GetProperty("openCount").GetInt32()));
        Assert.Equal("to", await ProblemFieldAsync(await supervisor.GetAsync(new Uri("/api/pledges?from=2026-11-20&to=2026-11-01", UriKind.Relative))));
    }
}
