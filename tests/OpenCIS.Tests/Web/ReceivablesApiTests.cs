using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCIS.Core.Customers;
using OpenCIS.Web.Api;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>The receivables API on the demo city: permissions, refunds with a Supervisor's approval and the register, write-offs and their reversal, and Idempotency-Key handling.</summary>
public sealed class ReceivablesApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static TheoryData<string, string, string, HttpStatusCode> PermissionCases => new()
    {
        { "Cashier", "POST", "/api/accounts/00000018/refunds", HttpStatusCode.Forbidden },
        { "Auditor", "POST", "/api/accounts/00000018/refunds", HttpStatusCode.Forbidden },
        { "Clerk", "POST", "/api/refunds/1/approve", HttpStatusCode.Forbidden },
        { "Clerk", "POST", "/api/refunds/1/reject", HttpStatusCode.Forbidden },
        { "Clerk", "GET", "/api/refunds?status=pending", HttpStatusCode.Forbidden },
        { "Clerk", "GET", "/api/refunds/register?from=2026-11-22", HttpStatusCode.Forbidden },
        { "Collector", "POST", "/api/accounts/00000018/transfer", HttpStatusCode.Forbidden },
        { "Clerk", "POST", "/api/accounts/00000018/write-offs", HttpStatusCode.Forbidden },
        { "Collector", "POST", "/api/write-offs/1/reverse", HttpStatusCode.Forbidden },
        { "Supervisor", "GET", "/api/refunds?status=pending", HttpStatusCode.OK },
        { "Clerk", "GET", "/api/write-offs/reasons", HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(PermissionCases))]
    public async Task Each_role_can_refund_transfer_and_write_off_only_what_its_permissions_allow(string role, string method, string path, HttpStatusCode expected)
    {
        var client = await factory.SignedInClientAsync(role);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { reason = "permission test" });
        }

        Assert.Equal(expected, (await client.SendAsync(request)).StatusCode);
    }


    private static async Task<long> BalanceCentsAsync(HttpClient client, string accountNumber)
    {
        using var account = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/accounts/{accountNumber}", UriKind.Relative)));
        return account.RootElement.GetProperty("balanceCents").GetInt64();
    }

    private static string Dollars(long cents) => (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_clerk_requests_a_refund_of_a_credit_a_supervisor_approves_it_and_it_is_on_the_register_once()
    {
        var cashier = await factory.SignedInClientAsync("Cashier");
        var clerk = await factory.SignedInClientAsync("Clerk");
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var number = AccountNumbers.Create(21);
        var owed = await BalanceCentsAsync(clerk, number);
        (await PostAsync(cashier, "/api/payments", new TakePaymentBody(number, Dollars(Math.Max(owed, 0) + 7_500), "money order", null), Guid.NewGuid().ToString())).EnsureSuccessStatusCode();
        Assert.Equal(Math.Min(owed, 0) - 7_500, await BalanceCentsAsync(clerk, number));

        var key = Guid.NewGuid().ToString();
        var body = new RefundBody("75.00", "check", "Moved out of the city");
        var first = await PostAsync(clerk, $"/api/accounts/{number}/refunds", body, key);
        first.EnsureSuccessStatusCode();
        var requested = (await first.Content.ReadFromJsonAsync<RefundOutcomeResponse>(Json))!;
        var retry = (await (await PostAsync(clerk, $"/api/accounts/{number}/refunds", body, key)).Content.ReadFromJsonAsync<RefundOutcomeResponse>(Json))!;
        Assert.Equal(("Pending", "75.00", false), (requested.Refund.Status, requested.Refund.Amount, requested.AlreadyDone));
        Assert.Equal((requested.Refund.RefundId, true), (retry.Refund.RefundId, retry.AlreadyDone));

        var misuse = await PostAsync(clerk, $"/api/accounts/{number}/refunds", body with { Amount = "74.00" }, key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, misuse.StatusCode);
        using (var problem = JsonDocument.Parse(await misuse.Content.ReadAsStringAsync()))
        {
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(clerk, $"/api/refunds/{requested.Refund.RefundId}/approve", new RefundDecisionBody(null))).StatusCode);
        var pending = (await supervisor.GetFromJsonAsync<List<RefundResponse>>("/api/refunds?status=pending", Json))!;
        Assert.Contains(pending, r => r.RefundId == requested.Refund.RefundId);

        var approveKey = Guid.NewGuid().ToString();
        var approved = (await (await PostAsync(supervisor, $"/api/refunds/{requested.Refund.RefundId}/approve", new RefundDecisionBody("ok"), approveKey)).Content.ReadFromJsonAsync<RefundOutcomeResponse>(Json))!;
        var approvedAgain = (await (await PostAsync(supervisor, $"/api/refunds/{requested.Refund.RefundId}/approve", new RefundDecisionBody("ok"), approveKey)).Content.ReadFromJsonAsync<RefundOutcomeResponse>(Json))!;
        Assert.Equal(("Approved", "supervisor", false), (approved.Refund.Status, approved.Refund.DecidedBy, approved.AlreadyDone));
        Assert.True(approvedAgain.AlreadyDone);
        Assert.Equal(Math.Min(owed, 0), await BalanceCentsAsync(clerk, number));

        var csv = await supervisor.GetStringAsync(new Uri("/api/refunds/register?from=2026-11-22&through=2026-11-22", UriKind.Relative));
        var line = Assert.Single(csv.Split("\r\n"), l => l.StartsWith($"{requested.Refund.RefundId},", StringComparison.Ordinal));
        Assert.Contains($",{number},Check,", line, StringComparison.Ordinal);
        Assert.EndsWith(",75.00,supervisor,accounts payable", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_supervisor_writes_off_a_balance_once_per_key_and_reverses_it()
    {
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var number = AccountNumbers.Create(22);
        var owed = await BalanceCentsAsync(supervisor, number);
        if (owed <= 0)
        {
            var admin = await factory.SignedInClientAsync("Admin");
            (await PostAsync(admin, $"/api/accounts/{number}/adjustments", new AdjustmentBody("BILLING-ERROR", "debit", "40.00", "Owed for the write-off test", null), Guid.NewGuid().ToString())).EnsureSuccessStatusCode();
            owed = await BalanceCentsAsync(supervisor, number);
        }

        var key = Guid.NewGuid().ToString();
        var body = new WriteOffBody(null, "UNCOLLECTIBLE", "Final bill unpaid after pursuit");
        var first = (await (await PostAsync(supervisor, $"/api/accounts/{number}/write-offs", body, key)).Content.ReadFromJsonAsync<WriteOffOutcomeResponse>(Json))!;
        var retry = (await (await PostAsync(supervisor, $"/api/accounts/{number}/write-offs", body, key)).Content.ReadFromJsonAsync<WriteOffOutcomeResponse>(Json))!;
        Assert.Equal((Dollars(owed), "0.00", false), (first.WriteOff.Amount, first.Balance, first.AlreadyDone));
        Assert.Equal((first.WriteOff.WriteOffId, true, "0.00"), (retry.WriteOff.WriteOffId, retry.AlreadyDone, retry.Balance));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(supervisor, $"/api/accounts/{number}/write-offs", body with { ReasonCode = "SMALLBAL" }, key)).StatusCode);

        var reversed = (await (await PostAsync(supervisor, $"/api/write-offs/{first.WriteOff.WriteOffId}/reverse", new WriteOffReversalBody("Paid after all"), Guid.NewGuid().ToString()))
            .Content.ReadFromJsonAsync<WriteOffOutcomeResponse>(Json))!;
        Assert.Equal((Dollars(owed), "supervisor"), (reversed.Balance, reversed.WriteOff.ReversedBy));
        Assert.Equal(owed, await BalanceCentsAsync(supervisor, number));
    }

    [Fact]
    public async Task A_transfer_to_another_customers_account_is_refused_naming_the_field()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var response = await PostAsync(clerk, $"/api/accounts/{AccountNumbers.Create(23)}/transfer", new TransferBody(AccountNumbers.Create(24), "wrong customer"), Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("toAccountNumber", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
