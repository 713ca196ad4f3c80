using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCIS.Web.Api;

namespace OpenCIS.Tests.Web;

/// <summary>
/// An Idempotency-Key is its sender's own, through the API: the cashier and the supervisor sending the same
/// key and body each get a posting of their own, a retry gets the sender's own first answer, and the sender's
/// key on another body is 422 naming the header. Both ways of keeping keys: on the workflow's rows (payments,
/// drawer payments, adjustments) and in the stored answers of <see cref="IdempotencyFilter"/> (a drawer close).
/// </summary>
public sealed class IdempotencyByUserApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task The_cashier_and_the_supervisor_paying_with_the_same_key_and_body_each_get_their_own_receipt()
    {
        var cashier = await factory.SignedInClientAsync("Cashier");
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var key = Guid.NewGuid().ToString();
        var body = new TakePaymentBody("00000026", "12.34", "money order", null);
        var before = await BalanceAsync(cashier, "00000026");

        var first = await ReadAsync<ReceiptResponse>(await ApiRequests.PostAsync(cashier, "/api/payments", body, key));
        var second = await ReadAsync<ReceiptResponse>(await ApiRequests.PostAsync(supervisor, "/api/payments", body, key));
        var firstAgain = await ReadAsync<ReceiptResponse>(await ApiRequests.PostAsync(cashier, "/api/payments", body, key));
        var secondAgain = await ReadAsync<ReceiptResponse>(await ApiRequests.PostAsync(supervisor, "/api/payments", body, key));
        var otherBody = await ApiRequests.PostAsync(cashier, "/api/payments", body with { Amount = "99.00" }, key);

        Assert.NotEqual(first.ReceiptNumber, second.ReceiptNumber);
        Assert.False(first.AlreadyPosted);
        Assert.False(second.AlreadyPosted);
        Assert.Equal((first.ReceiptNumber, true), (firstAgain.ReceiptNumber, firstAgain.AlreadyPosted));
        Assert.Equal((second.ReceiptNumber, true), (secondAgain.ReceiptNumber, secondAgain.AlreadyPosted));
        await AssertRefusedAsync(otherBody);
        Assert.Equal(before - 2468, await BalanceAsync(cashier, "00000026"));
    }

    [Fact]
    public async Task The_clerk_and_the_supervisor_adjusting_with_the_same_key_and_body_each_get_their_own_adjustment()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var key = Guid.NewGuid().ToString();
        var body = new AdjustmentBody("COURTESY", "credit", "5.00", "Missed trash pickup", null);
        var path = "/api/accounts/00000034/adjustments";
        var before = await BalanceAsync(clerk, "00000034");

        var first = await ReadAsync<AdjustmentOutcomeResponse>(await ApiRequests.PostAsync(clerk, path, body, key));
        var second = await ReadAsync<AdjustmentOutcomeResponse>(await ApiRequests.PostAsync(supervisor, path, body, key));
        var firstAgain = await ReadAsync<AdjustmentOutcomeResponse>(await ApiRequests.PostAsync(clerk, path, body, key));
        var otherBody = await ApiRequests.PostAsync(clerk, path, body with { Amount = "6.00" }, key);

        Assert.NotEqual(first.Adjustment.AdjustmentId, second.Adjustment.AdjustmentId);
        Assert.Equal(("clerk", "supervisor"), (first.Adjustment.RequestedBy, second.Adjustment.RequestedBy));
        Assert.Equal((first.Adjustment.AdjustmentId, true), (firstAgain.Adjustment.AdjustmentId, firstAgain.AlreadyRequested));
        await AssertRefusedAsync(otherBody);
        Assert.Equal(before - 1000, await BalanceAsync(clerk, "00000034"));
    }

    [Fact]
    public async Task Two_cashiers_with_the_same_key_take_drawer_payments_and_close_their_drawers_each_their_own()
    {
        var cashier = await factory.SignedInClientAsync("Cashier");
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var cashierDrawer = await ReadAsync<DrawerResponse>(await cashier.PostAsJsonAsync(new Uri("/api/drawers", UriKind.Relative), new OpenDrawerBody("100.00")));
        var supervisorDrawer = await ReadAsync<DrawerResponse>(await supervisor.PostAsJsonAsync(new Uri("/api/drawers", UriKind.Relative), new OpenDrawerBody("100.00")));
        var key = Guid.NewGuid().ToString();
        var payment = new DrawerPaymentBody("00000018", "20.00", [new TenderBody("cash", "25.00", null, null, null)]);
        var before = await BalanceAsync(cashier, "00000018");

        var first = await ReadAsync<DrawerReceiptResponse>(await ApiRequests.PostAsync(cashier, "/api/drawers/current/payments", payment, key));
        var second = await ReadAsync<DrawerReceiptResponse>(await ApiRequests.PostAsync(supervisor, "/api/drawers/current/payments", payment, key));
        var firstAgain = await ReadAsync<DrawerReceiptResponse>(await ApiRequests.PostAsync(cashier, "/api/drawers/current/payments", payment, key));
        var otherPayment = await ApiRequests.PostAsync(cashier, "/api/drawers/current/payments", payment with { Amount = "21.00" }, key);

        Assert.Equal((cashierDrawer.DrawerId, supervisorDrawer.DrawerId), (first.DrawerId, second.DrawerId));
        Assert.NotEqual(first.ReceiptNumber, second.ReceiptNumber);
        Assert.Equal((first.ReceiptNumber, true), (firstAgain.ReceiptNumber, firstAgain.AlreadyPosted));
        await AssertRefusedAsync(otherPayment);
        Assert.Equal(before - 4000, await BalanceAsync(cashier, "00000018"));

        // A drawer close keeps no key of its own: its answer is stored by the filter, by user and key.
        var closeKey = Guid.NewGuid().ToString();
        var count = new CloseDrawerBody(new Dictionary<string, string> { ["cash"] = "120.00" });
        var cashierClose = await ApiRequests.PostAsync(cashier, "/api/drawers/current/close", count, closeKey);
        var cashierAnswer = await cashierClose.Content.ReadAsStringAsync();
        var supervisorClose = await ApiRequests.PostAsync(supervisor, "/api/drawers/current/close", count, closeKey);
        var cashierRetry = await ApiRequests.PostAsync(cashier, "/api/drawers/current/close", count, closeKey);
        var cashierOtherCount = await ApiRequests.PostAsync(cashier, "/api/drawers/current/close", new CloseDrawerBody(new Dictionary<string, string> { ["cash"] = "119.00" }), closeKey);

        Assert.Equal(HttpStatusCode.OK, cashierClose.StatusCode);
        Assert.Equal(cashierDrawer.DrawerId, JsonSerializer.Deserialize<DrawerCloseResponse>(cashierAnswer, Json)!.DrawerId);
        Assert.Equal(supervisorDrawer.DrawerId, (await ReadAsync<DrawerCloseResponse>(supervisorClose)).DrawerId);
        Assert.False(supervisorClose.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal((HttpStatusCode.OK, cashierAnswer), (cashierRetry.StatusCode, await cashierRetry.Content.ReadAsStringAsync()));
        Assert.Equal("true", cashierRetry.Headers.GetValues("Idempotent-Replayed").Single());
        await AssertRefusedAsync(cashierOtherCount);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    /// <summary>A key reused for another body: 422, the problem naming the header.</summary>
    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("Idempotency-Key", out _), problem.RootElement.ToString());
    }

    private static async Task<long> BalanceAsync(HttpClient client, string accountNumber)
    {
        using var account = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/accounts/{accountNumber}", UriKind.Relative)));
        return account.RootElement.GetProperty("balanceCents").GetInt64();
    }
}
