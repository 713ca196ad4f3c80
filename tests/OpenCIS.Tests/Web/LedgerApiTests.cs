using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenCIS.Tests.Web;

/// <summary>The chart of accounts and allocation priorities through the API and the chart screen, and who may change them.</summary>
public sealed class LedgerApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    public static TheoryData<string, string, string, HttpStatusCode> PermissionCases => new()
    {
        { "Clerk", "GET", "/api/ledger/chart", HttpStatusCode.Forbidden },
        { "Auditor", "GET", "/api/ledger/chart", HttpStatusCode.OK },
        { "Auditor", "PUT", "/api/ledger/chart/4400", HttpStatusCode.Forbidden },
        { "Clerk", "PUT", "/api/ledger/allocation-priorities/LateCharge", HttpStatusCode.Forbidden },
        { "Collector", "GET", "/api/ledger/allocation-priorities", HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(PermissionCases))]
    public async Task Only_supervisors_and_admins_change_the_chart_and_the_allocation_order(string role, string method, string path, HttpStatusCode expected)
    {
        var client = await factory.SignedInClientAsync(role);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "PUT")
        {
            request.Content = JsonContent.Create(new { name = "Stormwater charges", fundCode = "10", fundName = "General", department = "1520", priority = 50 });
        }

        var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_supervisor_moves_an_account_to_a_new_fund_and_a_bad_department_is_refused_naming_the_field()
    {
        var supervisor = await factory.SignedInClientAsync("Supervisor");

        using var moved = await supervisor.PutAsJsonAsync(new Uri("/api/ledger/chart/4400", UriKind.Relative), new { name = "Stormwater utility fees", fundCode = "43", fundName = "Stormwater utility", department = "4310" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var account = await moved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("43-4310-4400", account.GetProperty("fullCode").GetString());

        var chart = await supervisor.GetFromJsonAsync<JsonElement>(new Uri("/api/ledger/chart", UriKind.Relative));
        Assert.Contains(chart.EnumerateArray(), a => a.GetProperty("code").GetString() == "4400" && a.GetProperty("fundName").GetString() == "Stormwater utility");
        var trialBalance = await supervisor.GetFromJsonAsync<JsonElement>(new Uri("/api/reports/trial-balance/period?from=2026-10-01&through=2026-10-31", UriKind.Relative));
        Assert.True(trialBalance.GetProperty("balances").GetBoolean());

        using var bad = await supervisor.PutAsJsonAsync(new Uri("/api/ledger/chart/4401", UriKind.Relative), new { name = "Impact fees", fundCode = "43", fundName = "Stormwater utility", department = "43" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("department", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var priority = await supervisor.PutAsJsonAsync(new Uri("/api/ledger/allocation-priorities/returned payment fee", UriKind.Relative), new { priority = 10 });
        Assert.Equal(HttpStatusCode.OK, priority.StatusCode);
        var order = await supervisor.GetFromJsonAsync<JsonElement>(new Uri("/api/ledger/allocation-priorities", UriKind.Relative));
        Assert.Equal("ReturnedPaymentFee", order[0].GetProperty("transactionType").GetString());

        var page = await supervisor.GetStringAsync(new Uri("/Reports/Chart", UriKind.Relative));
        Assert.Contains("43-4310-4400", page, StringComparison.Ordinal);
        Assert.Contains("id=\"add-account\"", page, StringComparison.Ordinal);
        Assert.Contains("<td>Returned payment fee</td>", page, StringComparison.Ordinal);
        Assert.DoesNotContain(">ReturnedPaymentFee<", page, StringComparison.Ordinal);
        var auditor = await factory.SignedInClientAsync("Auditor");
        var readOnly = await auditor.GetStringAsync(new Uri("/Reports/Chart", UriKind.Relative));
        Assert.Contains("Stormwater utility fees", readOnly, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"add-account\"", readOnly, StringComparison.Ordinal);
    }
}
