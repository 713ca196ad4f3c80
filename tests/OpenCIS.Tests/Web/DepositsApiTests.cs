using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCIS.Core.Customers;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>The deposits API on the demo city: permissions, requiring a deposit with its Idempotency-Key, the refund review and the report.</summary>
public sealed class DepositsApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    public static TheoryData<string, string, string, HttpStatusCode> PermissionCases => new()
    {
        { "Cashier", "POST", $"/api/accounts/{AccountNumbers.Create(5)}/deposits", HttpStatusCode.Forbidden },
        { "Auditor", "POST", "/api/deposits/refund-reviews", HttpStatusCode.Forbidden },
        { "Collector", "POST", $"/api/accounts/{AccountNumbers.Create(5)}/deposits/apply", HttpStatusCode.Forbidden },
        { "Clerk", "GET", "/api/reports/deposits?asOf=2026-11-22", HttpStatusCode.Forbidden },
        { "Auditor", "GET", "/api/reports/deposits?asOf=2026-11-22", HttpStatusCode.OK },
        { "Cashier", "GET", $"/api/accounts/{AccountNumbers.Create(5)}/deposits", HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(PermissionCases))]
    public async Task Each_role_can_do_only_what_its_permissions_allow(string role, string method, string path, HttpStatusCode expected)
    {
        var client = await factory.SignedInClientAsync(role);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { date = "2026-11-22" });
        }

        var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }


    private static async Task<string> ActiveAccountWithoutDepositAsync(HttpClient client)
    {
        for (var sequence = 30; sequence <= OpenCisWebFactory.DemoAccounts; sequence++)
        {
            var number = AccountNumbers.Create(sequence);
            using var account = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/accounts/{number}", UriKind.Relative)));
            using var deposits = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/accounts/{number}/deposits", UriKind.Relative)));
            if (account.RootElement.GetProperty("status").GetString() == "Active" && account.RootElement.GetProperty("class").GetString() == "Residential"
                && !deposits.RootElement.EnumerateArray().Any(d => d.GetProperty("status").GetString() is "Billed" or "Held"))
            {
                return number;
            }
        }

        throw new InvalidOperationException("The demo city has no active residential account without a deposit.");
    }

    [Fact]
    public async Task A_clerk_requires_a_deposit_once_per_key_and_a_reused_key_with_another_body_is_422()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var number = await ActiveAccountWithoutDepositAsync(clerk);
        var key = Guid.NewGuid().ToString();

        var first = await PostAsync(clerk, $"/api/accounts/{number}/deposits", new { }, key);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var billed = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        var deposit = billed.RootElement.GetProperty("deposit");
        Assert.Equal(("Billed", "150.00", false), (deposit.GetProperty("status").GetString(), deposit.GetProperty("billed").GetString(), billed.RootElement.GetProperty("alreadyDone").GetBoolean()));

        var retry = await PostAsync(clerk, $"/api/accounts/{number}/deposits", new { }, key);
        using var retried = JsonDocument.Parse(await retry.Content.ReadAsStringAsync());
        Assert.True(retried.RootElement.GetProperty("alreadyDone").GetBoolean());
        Assert.Equal(deposit.GetProperty("depositId").GetInt64(), retried.RootElement.GetProperty("deposit").GetProperty("depositId").GetInt64());
        Assert.Equal(billed.RootElement.GetProperty("balance").GetString(), retried.RootElement.GetProperty("balance").GetString());

        var reused = await PostAsync(clerk, $"/api/accounts/{number}/deposits", new { waiverReason = "Letter of credit" }, key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Contains("Idempotency-Key", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var list = JsonDocument.Parse(await clerk.GetStringAsync(new Uri($"/api/accounts/{number}/deposits", UriKind.Relative)));
        Assert.Single(list.RootElement.EnumerateArray(), d => d.GetProperty("status").GetString() == "Billed");

        // Applying a deposit of an active account is refused with the field named (400), not posted.
        var apply = await PostAsync(clerk, $"/api/accounts/{number}/deposits/apply", new { }, Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.BadRequest, apply.StatusCode);
        Assert.Contains("accountNumber", await apply.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var supervisor = await factory.SignedInClientAsync("Supervisor");
        using var report = JsonDocument.Parse(await supervisor.GetStringAsync(new Uri("/api/reports/deposits?asOf=2026-11-22", UriKind.Relative)));
        Assert.True(report.RootElement.GetProperty("tiesToGeneralLedger").GetBoolean());
        Assert.Contains(report.RootElement.GetProperty("outstandings").EnumerateArray(), l => l.GetProperty("accountNumber").GetString() == number);
        var csv = await supervisor.GetAsync(new Uri("/api/reports/deposits?asOf=2026-11-22&format=csv", UriKind.Relative));
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.Contains(number, text, StringComparison.Ordinal);
        Assert.Contains("ties to GL 2200,,yes", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_refund_review_runs_once_per_date_and_a_key_reused_for_another_date_is_422()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var key = Guid.NewGuid().ToString();

        var first = await PostAsync(clerk, "/api/deposits/refund-reviews", new { date = "2026-11-20" }, key);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var ran = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        Assert.False(ran.RootElement.GetProperty("alreadyDone").GetBoolean());

        using var again = JsonDocument.Parse(await (await PostAsync(clerk, "/api/deposits/refund-reviews", new { date = "2026-11-20" }, null)).Content.ReadAsStringAsync());
        Assert.True(again.RootElement.GetProperty("alreadyDone").GetBoolean());
        Assert.Equal(ran.RootElement.GetProperty("refunded").GetInt32(), again.RootElement.GetProperty("refunded").GetInt32());

        var otherDate = await PostAsync(clerk, "/api/deposits/refund-reviews", new { date = "2026-11-21" }, key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherDate.StatusCode);
        Assert.Contains("Idempotency-Key", await otherDate.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var badDate = await PostAsync(clerk, "/api/deposits/refund-reviews", new { date = "20-11-2026" }, null);
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
    }
}
