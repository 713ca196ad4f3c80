using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCIS.Core.Customers;
using OpenCIS.Web.Api;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>The corrections API (issue 4) on the demo city: permissions, cancel and rebill with its idempotency key, and adjustment approval.</summary>
public sealed class CorrectionsApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static TheoryData<string, string, string, HttpStatusCode> PermissionCases => new()
    {
        { "Cashier", "POST", "/api/bills/1/cancel-rebill", HttpStatusCode.Forbidden },
        { "Auditor", "POST", "/api/bills/1/cancel-rebill", HttpStatusCode.Forbidden },
        { "Collector", "POST", "/api/accounts/00000018/adjustments", HttpStatusCode.Forbidden },
        { "Cashier", "POST", "/api/accounts/00000018/stop-service", HttpStatusCode.Forbidden },
        { "Clerk", "GET", "/api/adjustments/pending", HttpStatusCode.Forbidden },
        { "Clerk", "POST", "/api/adjustments/1/approve", HttpStatusCode.Forbidden },
        { "Auditor", "POST", "/api/adjustments/1/reject", HttpStatusCode.Forbidden },
        { "Supervisor", "GET", "/api/adjustments/pending", HttpStatusCode.OK },
        { "Clerk", "GET", "/api/adjustments/reasons", HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(PermissionCases))]
    public async Task Each_role_can_correct_only_what_its_permissions_allow(string role, string method, string path, HttpStatusCode expected)
    {
        var client = await factory.SignedInClientAsync(role);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { reason = "permission test" });
        }

        var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    private static async Task<(long BillId, string Serial, long PresentReading, long Balance)> LatestWaterBillAsync(HttpClient client, string accountNumber)
    {
        using var account = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/accounts/{accountNumber}", UriKind.Relative)));
        var bill = account.RootElement.GetProperty("bills").EnumerateArray().First(b => b.GetProperty("status").GetString() == "Issued");
        var water = bill.GetProperty("segments").EnumerateArray().First(s => s.GetProperty("service").GetString() == "Water");
        return (bill.GetProperty("billId").GetInt64(), water.GetProperty("meterSerial").GetString()!, water.GetProperty("presentReading").GetInt64(), account.RootElement.GetProperty("balanceCents").GetInt64());
    }


    [Fact]
    public async Task A_bill_before_the_latest_is_rebilled_with_the_bill_after_it_previewed_first()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var number = AccountNumbers.Create(13);
        using var account = JsonDocument.Parse(await clerk.GetStringAsync(new Uri($"/api/accounts/{number}", UriKind.Relative)));
        var issued = account.RootElement.GetProperty("bills").EnumerateArray().Where(b => b.GetProperty("status").GetString() == "Issued").ToList();
        var (latestId, earlierId) = (issued[0].GetProperty("billId").GetInt64(), issued[1].GetProperty("billId").GetInt64());
        var water = issued[1].GetProperty("segments").EnumerateArray().First(s => s.GetProperty("service").GetString() == "Water");
        var body = new CancelRebillBody("The reader keyed a read 1,000 high", [new CorrectedReadingBody(water.GetProperty("meterSerial").GetString()!, water.GetProperty("presentReading").GetInt64() - 1_000, Confirmed: true)]);

        using var preview = JsonDocument.Parse(await (await PostAsync(clerk, $"/api/bills/{earlierId}/cancel-rebill/preview", body)).Content.ReadAsStringAsync());
        Assert.Equal([earlierId, latestId], preview.RootElement.GetProperty("periods").EnumerateArray().Select(p => p.GetProperty("canceledBillId").GetInt64()));

        var response = await PostAsync(clerk, $"/api/bills/{earlierId}/cancel-rebill", body, Guid.NewGuid().ToString());
        response.EnsureSuccessStatusCode();
        var result = (await response.Content.ReadFromJsonAsync<RebillResponse>(Json))!;
        Assert.Equal([earlierId, latestId], result.Periods.Select(p => p.CanceledBillId));
        Assert.All(result.Periods, p => Assert.NotNull(p.NewBillId));
        Assert.True(decimal.Parse(result.Periods[0].Difference, System.Globalization.CultureInfo.InvariantCulture) < 0, result.Periods[0].Difference);
        Assert.True(decimal.Parse(result.Periods[1].Difference, System.Globalization.CultureInfo.InvariantCulture) > 0, result.Periods[1].Difference);
        Assert.Equal(preview.RootElement.GetProperty("differenceCents").GetInt64(), (long)(decimal.Parse(result.Difference, System.Globalization.CultureInfo.InvariantCulture) * 100));
    }

    [Fact]
    public async Task A_clerk_cancels_and_rebills_with_a_corrected_read_and_a_retry_posts_nothing_twice()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var number = AccountNumbers.Create(11);
        var (billId, serial, present, balanceBefore) = await LatestWaterBillAsync(clerk, number);
        var body = new CancelRebillBody("Reader keyed the wrong digits", [new CorrectedReadingBody(serial, present - 10)]);
        var key = Guid.NewGuid().ToString();

        var first = await PostAsync(clerk, $"/api/bills/{billId}/cancel-rebill", body, key);
        first.EnsureSuccessStatusCode();
        var result = (await first.Content.ReadFromJsonAsync<RebillResponse>(Json))!;
        var retry = (await (await PostAsync(clerk, $"/api/bills/{billId}/cancel-rebill", body, key)).Content.ReadFromJsonAsync<RebillResponse>(Json))!;
        var again = await PostAsync(clerk, $"/api/bills/{billId}/cancel-rebill", body);

        Assert.False(result.AlreadyDone);
        Assert.True(retry.AlreadyDone);
        Assert.Equal(result.NewBillId, retry.NewBillId);
        Assert.True(decimal.Parse(result.Difference, System.Globalization.CultureInfo.InvariantCulture) < 0, $"less use, a smaller bill: {result.Difference}");
        Assert.Equal(decimal.Parse(result.NewTotal, System.Globalization.CultureInfo.InvariantCulture) - decimal.Parse(result.OldTotal, System.Globalization.CultureInfo.InvariantCulture),
            decimal.Parse(result.Difference, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already canceled", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var (_, _, _, balanceAfter) = await LatestWaterBillAsync(clerk, number);
        Assert.Equal(balanceBefore + (long)(decimal.Parse(result.Difference, System.Globalization.CultureInfo.InvariantCulture) * 100), balanceAfter);
        var trial = (await supervisor.GetFromJsonAsync<TrialBalanceResponse>("/api/reports/trial-balance", Json))!;
        Assert.True(trial.Balances && trial.TiesToSubLedger);
    }

    [Fact]
    public async Task A_large_adjustment_waits_for_a_supervisor_and_the_clerk_cannot_approve_it()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var number = AccountNumbers.Create(12);
        var (_, _, _, balanceBefore) = await LatestWaterBillAsync(clerk, number);

        var requested = (await (await PostAsync(clerk, $"/api/accounts/{number}/adjustments", new AdjustmentBody("COURTESY", "credit", "150.00", "Service outage for a week", null), Guid.NewGuid().ToString()))
            .Content.ReadFromJsonAsync<AdjustmentOutcomeResponse>(Json))!;
        Assert.True(requested.NeedsApproval);
        Assert.Equal(("Pending", "-150.00"), (requested.Adjustment.Status, requested.Adjustment.Amount));
        Assert.Equal(balanceBefore, (await LatestWaterBillAsync(clerk, number)).Balance);

        var pending = (await supervisor.GetFromJsonAsync<List<AdjustmentResponse>>("/api/adjustments/pending", Json))!;
        Assert.Contains(pending, p => p.AdjustmentId == requested.Adjustment.AdjustmentId);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(clerk, $"/api/adjustments/{requested.Adjustment.AdjustmentId}/approve", new AdjustmentDecisionBody(null))).StatusCode);
        var key = Guid.NewGuid().ToString();
        var approve = $"/api/adjustments/{requested.Adjustment.AdjustmentId}/approve";
        var first = await PostAsync(supervisor, approve, new AdjustmentDecisionBody("Outage confirmed"), key);
        var firstBody = await first.Content.ReadAsStringAsync();
        var approved = System.Text.Json.JsonSerializer.Deserialize<AdjustmentOutcomeResponse>(firstBody, Json)!;
        Assert.Equal(("Posted", "supervisor"), (approved.Adjustment.Status, approved.Adjustment.DecidedBy));
        Assert.Equal(balanceBefore - 15000, (await LatestWaterBillAsync(clerk, number)).Balance);

        // The approval retried with its Idempotency-Key gets the same answer and posts nothing; the key on another request is refused.
        var retry = await PostAsync(supervisor, approve, new AdjustmentDecisionBody("Outage confirmed"), key);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(firstBody, await retry.Content.ReadAsStringAsync());
        Assert.Equal(balanceBefore - 15000, (await LatestWaterBillAsync(clerk, number)).Balance);
        var otherBody = await PostAsync(supervisor, approve, new AdjustmentDecisionBody("Different note"), key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.StatusCode);
        Assert.Contains("Idempotency-Key", await otherBody.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var withoutKey = await PostAsync(supervisor, approve, new AdjustmentDecisionBody("Outage confirmed"));
        Assert.Equal(HttpStatusCode.BadRequest, withoutKey.StatusCode);

        var wrongReason = await PostAsync(clerk, $"/api/accounts/{number}/adjustments", new AdjustmentBody("NOT-A-CODE", "credit", "5.00", "x", null));
        Assert.Equal(HttpStatusCode.BadRequest, wrongReason.StatusCode);
        Assert.Contains("reasonCode", await wrongReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
