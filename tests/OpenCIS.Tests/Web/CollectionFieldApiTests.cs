using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCIS.Web.Api;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>
/// The disconnect list's approval and the field's orders through the API: who may do what; an approval made twice
/// makes one order per account; a disconnect on a day the policy forbids (the demo date is a Sunday) is refused
/// naming it; paid at the door is posted as a payment (a check needs its number) and linked on the order; a completion replayed under its Idempotency-Key answers
/// the same and changes nothing.
/// </summary>
public sealed class CollectionFieldApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(OpenCisWebFactory.Today.UtcDateTime);

    public static TheoryData<string, string, string, HttpStatusCode> PermissionCases => new()
    {
        { "Collector", "POST", "/api/collections/disconnect-list/approve", HttpStatusCode.Forbidden },
        { "Field", "POST", "/api/collections/disconnect-list/approve", HttpStatusCode.Forbidden },
        { "Collector", "GET", "/api/field/orders", HttpStatusCode.Forbidden },
        { "Field", "GET", "/api/field/orders", HttpStatusCode.OK },
        { "Collector", "POST", "/api/field/orders/1/complete", HttpStatusCode.Forbidden },
        { "Cashier", "POST", "/api/accounts/1/reconnect", HttpStatusCode.Forbidden },
        { "Field", "POST", "/api/accounts/1/reconnect", HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(PermissionCases))]
    public async Task Each_role_approves_completes_and_reconnects_only_as_its_permissions_allow(string role, string method, string path, HttpStatusCode expected)
    {
        var client = await factory.SignedInClientAsync(role);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { result = "no-access", timing = "standard" });
        }

        Assert.Equal(expected, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task A_supervisor_approves_twice_and_the_field_completes_with_the_refusal_naming_the_no_disconnect_day()
    {
        var listed = await FieldSetup.ListAccountsAsync(factory, Today, 2);
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var approved = await PostAsync(supervisor, "/api/collections/disconnect-list/approve", new ApproveListBody(listed));
        approved.EnsureSuccessStatusCode();
        using var first = JsonDocument.Parse(await approved.Content.ReadAsStringAsync());
        Assert.Equal(2, first.RootElement.GetProperty("created").GetInt32());
        using var second = JsonDocument.Parse(await (await PostAsync(supervisor, "/api/collections/disconnect-list/approve", new ApproveListBody(listed))).Content.ReadAsStringAsync());
        Assert.Equal(0, second.RootElement.GetProperty("created").GetInt32());
        Assert.Equal(2, second.RootElement.GetProperty("alreadyOpen").GetInt32());

        var field = await factory.SignedInClientAsync("Field");
        using var routes = JsonDocument.Parse(await field.GetStringAsync(new Uri("/api/field/orders", UriKind.Relative)));
        var orders = routes.RootElement.EnumerateArray().SelectMany(r => r.GetProperty("orders").EnumerateArray())
            .Where(o => listed.Contains(o.GetProperty("accountNumber").GetString() ?? "")).ToList();
        Assert.Equal(2, orders.Count);
        Assert.All(orders, o => Assert.True(o.GetProperty("pastDue").GetProperty("cents").GetInt64() >= 50_00));
        var one = orders[0].GetProperty("id").GetInt64();
        var other = orders[1].GetProperty("id").GetInt64();

        // Sunday: the demo policy allows no disconnects on weekends.
        var refused = await PostAsync(field, $"/api/field/orders/{one}/complete", new FieldCompletionBody("disconnected", 1234, null, null, null, null, null));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("no-disconnect day", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A check without its number is refused, naming the reference, and the order stays open.
        var noNumber = await PostAsync(field, $"/api/field/orders/{other}/complete", new FieldCompletionBody("paid-at-door", null, "120.00", null, null, null, null, "check"));
        Assert.Equal(HttpStatusCode.BadRequest, noNumber.StatusCode);
        Assert.Contains("reference", await noNumber.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var card = await PostAsync(field, $"/api/field/orders/{other}/complete", new FieldCompletionBody("paid-at-door", null, "120.00", null, null, null, null, "card"));
        Assert.Equal(HttpStatusCode.BadRequest, card.StatusCode);

        var paid = await PostAsync(field, $"/api/field/orders/{other}/complete", new FieldCompletionBody("paid-at-door", null, "120.00", null, null, null, "Paid cash to the crew"), key: "door-1");
        paid.EnsureSuccessStatusCode();
        var body = await paid.Content.ReadAsStringAsync();
        Assert.Contains("$120.00 paid at the door (cash), posted as payment", body, StringComparison.Ordinal);
        using (var completed = JsonDocument.Parse(body))
        {
            var order = completed.RootElement.GetProperty("order");
            Assert.Equal(120_00, order.GetProperty("amountCollected").GetProperty("cents").GetInt64());
            Assert.True(order.GetProperty("paymentId").GetInt64() > 0);
        }

        var replayed = await PostAsync(field, $"/api/field/orders/{other}/complete", new FieldCompletionBody("paid-at-door", null, "120.00", null, null, null, "Paid cash to the crew"), key: "door-1");
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Equal(body, await replayed.Content.ReadAsStringAsync());
        var twice = await PostAsync(field, $"/api/field/orders/{other}/complete", new FieldCompletionBody("no-access", null, null, null, null, null, null));
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("is completed", await twice.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
