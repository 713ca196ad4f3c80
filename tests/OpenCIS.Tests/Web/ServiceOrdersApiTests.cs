using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;
using OpenCIS.Storage.ServiceOrders;

namespace OpenCIS.Tests.Web;

/// <summary>The open and overdue service orders through the API and on My work: an order past its due date is listed as overdue, one not yet due is not.</summary>
public sealed class ServiceOrdersApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [Fact]
    public async Task An_order_past_its_due_date_is_listed_as_overdue_and_shows_on_my_work()
    {
        var today = DateOnly.FromDateTime(OpenCisWebFactory.Today.UtcDateTime);
        long late, early;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            var account = db.Accounts.OrderBy(a => a.Id).Skip(5).First();
            var overdue = ServiceOrder.Create(ServiceOrderKind.ReRead, account.Id, account.PremiseId, null, null, 3, today.AddDays(-2), "Read looks low", "clerk", OpenCisWebFactory.Today);
            var notYet = ServiceOrder.Create(ServiceOrderKind.Inspect, account.Id, account.PremiseId, null, null, 3, today.AddDays(3), "Leak check", "clerk", OpenCisWebFactory.Today);
            db.ServiceOrders.AddRange(overdue, notYet);
            await db.SaveChangesAsync();
            (late, early) = (overdue.Id, notYet.Id);
        }

        var clerk = await factory.SignedInClientAsync("Clerk");
        using (var listed = JsonDocument.Parse(await clerk.GetStringAsync(new Uri("/api/service-orders?overdue=true", UriKind.Relative))))
        {
            var ids = listed.RootElement.EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).ToList();
            Assert.Contains(late, ids);
            Assert.DoesNotContain(early, ids);
        }

        using (var open = JsonDocument.Parse(await clerk.GetStringAsync(new Uri("/api/service-orders", UriKind.Relative))))
        {
            Assert.Contains(early, open.RootElement.EnumerateArray().Select(o => o.GetProperty("id").GetInt64()));
        }

        var work = await clerk.GetStringAsync(new Uri("/Work", UriKind.Relative));
        Assert.Contains($"href=\"/Field#order-{late}\"", work, StringComparison.Ordinal);
        Assert.DoesNotContain($"href=\"/Field#order-{early}\"", work, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync(new Uri("/api/service-orders", UriKind.Relative))).StatusCode);
    }
}
