using System.Net;
using System.Text.Json;
using OpenCIS.Core.Customers;
using OpenCIS.Web.Api;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Service orders from creation to completion through the API on the demo city: who may create and dispatch them,
/// a leak check created with its window (a second refused naming the kind), on the dispatch board unassigned, assigned
/// by the dispatcher into the crew's lane, completed by the field with its result, and refused the second time.
/// </summary>
public sealed class ServiceOrderWorkApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [Theory]
    [InlineData("Cashier", "POST", "/api/service-orders", HttpStatusCode.Forbidden)]
    [InlineData("Field", "POST", "/api/service-orders", HttpStatusCode.Forbidden)]
    [InlineData("Clerk", "POST", "/api/service-orders/1/dispatch", HttpStatusCode.Forbidden)]
    [InlineData("Auditor", "GET", "/api/service-orders/board", HttpStatusCode.OK)]
    [InlineData("Dispatcher", "POST", "/api/service-orders/999999/dispatch", HttpStatusCode.BadRequest)]
    public async Task Each_role_creates_and_dispatches_orders_only_as_its_permissions_allow(string role, string method, string path, HttpStatusCode expected)
    {
        var client = await factory.SignedInClientAsync(role);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(new { kind = "re-read", accountNumber = AccountNumbers.Create(3), assignedTo = "field" });
        }

        Assert.Equal(expected, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task A_leak_check_goes_from_the_clerk_to_the_board_to_a_crew_and_is_completed_once()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var number = AccountNumbers.Create(12);
        var day = DateOnly.FromDateTime(OpenCisWebFactory.Today.UtcDateTime).AddDays(2).ToString("yyyy-MM-dd");
        Assert.Equal("kind", await ProblemFieldAsync(await PostAsync(clerk, "/api/service-orders", new ServiceOrderBody("disconnect", number))));
        Assert.Equal("window", await ProblemFieldAsync(await PostAsync(clerk, "/api/service-orders", new ServiceOrderBody("leak-check", number, Window: "morning"))));
        var created = await PostAsync(clerk, "/api/service-orders", new ServiceOrderBody("leak-check", number, DueOn: day, Window: "13:00-17:00", Notes: "Hissing behind the meter box"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        long id;
        using (var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()))
        {
            var order = body.RootElement.GetProperty("order");
            id = order.GetProperty("id").GetInt64();
            Assert.Equal(("Field service", "13:00:00"), (order.GetProperty("queue").GetString(), order.GetProperty("windowStart").GetString()));
        }

        Assert.Equal("kind", await ProblemFieldAsync(await PostAsync(clerk, "/api/service-orders", new ServiceOrderBody("leak-check", number))));
        using (var board = JsonDocument.Parse(await clerk.GetStringAsync(new Uri($"/api/service-orders/board?day={day}", UriKind.Relative))))
        {
            var unassigned = board.RootElement.GetProperty("lanes").EnumerateArray().Single(l => l.GetProperty("crew").ValueKind == JsonValueKind.Null);
            Assert.Contains(id, unassigned.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("id").GetInt64()));
        }

        Assert.Equal("note", await ProblemFieldAsync(await PostAsync(clerk, $"/api/service-orders/{id}/notes", new OrderNoteBody(" "))));
        var noted = await PostAsync(clerk, $"/api/service-orders/{id}/notes", new OrderNoteBody("Gate code 4411"));
        Assert.Contains("Gate code 4411", await noted.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var dispatcher = await factory.SignedInClientAsync("Dispatcher");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(dispatcher, $"/api/service-orders/{id}/dispatch", new DispatchBody("field"))).StatusCode);
        using (var board = JsonDocument.Parse(await clerk.GetStringAsync(new Uri($"/api/service-orders/board?day={day}", UriKind.Relative))))
        {
            var lane = board.RootElement.GetProperty("lanes").EnumerateArray().Single(l => l.GetProperty("crew").GetString() == "field");
            Assert.Contains(id, lane.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("id").GetInt64()));
        }

        var field = await factory.SignedInClientAsync("Field");
        var done = await PostAsync(field, $"/api/field/orders/{id}/complete", new FieldCompletionBody("leak-found", null, null, null, null, null, "Customer-side service line leaking"));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("leak found", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("id", await ProblemFieldAsync(await PostAsync(field, $"/api/field/orders/{id}/complete", new FieldCompletionBody("no-leak-found", null, null, null, null, null, null))));
    }
}
