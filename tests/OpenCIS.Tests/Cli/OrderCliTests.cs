using OpenCIS.Storage.ServiceOrders;

namespace OpenCIS.Tests.Cli;

/// <summary><c>orders list|assign</c> on the CLI's demo city: an overdue re-read order is listed, assigned to a field worker, and then found under that worker's name; an unknown order is refused naming it.</summary>
public sealed class OrderCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public async Task An_overdue_order_is_listed_assigned_and_found_under_its_field_worker()
    {
        long orderId;
        await using (var db = city.Database.Context())
        {
            var account = db.Accounts.OrderBy(a => a.Id).Skip(3).First();
            var order = ServiceOrder.Create(ServiceOrderKind.ReRead, account.Id, account.PremiseId, null, null, 3, new DateOnly(2026, 11, 2), "Read looks low", "clerk", DateTimeOffset.UtcNow);
            db.ServiceOrders.Add(order);
            await db.SaveChangesAsync();
            orderId = order.Id;
        }

        var overdue = await city.RunAsync("orders", "list", "--overdue");
        Assert.True(overdue.ExitCode == 0, overdue.Output);
        Assert.Contains($"│ {orderId} ", overdue.Output, StringComparison.Ordinal);
        Assert.Contains("2026-11-02", overdue.Output, StringComparison.Ordinal);

        var assigned = await city.RunAsync("orders", "assign", "--order", orderId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--to", "field1");
        Assert.True(assigned.ExitCode == 0, assigned.Output);
        Assert.Contains($"Order {orderId} (re-read) dispatched to field1.", assigned.Output, StringComparison.Ordinal);
        var mine = await city.RunAsync("orders", "list", "--assigned-to", "field1");
        Assert.Contains($"│ {orderId} ", mine.Output, StringComparison.Ordinal);
        Assert.Contains("1 open order.", mine.Output, StringComparison.Ordinal);

        var unknown = await city.RunAsync("orders", "assign", "--order", "999999", "--to", "field1");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("There is no service order 999999", unknown.Output, StringComparison.Ordinal);
    }
}
