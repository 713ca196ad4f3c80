using OpenCIS.Storage.ServiceOrders;

namespace OpenCIS.Tests.Cli;

/// <summary>
/// <c>orders create|list|assign|complete</c> on the CLI's demo city: an overdue re-read order is listed, assigned to a
/// field worker, and then found under that worker's name; an unknown order is refused naming it; an order created on
/// an account is completed with its read, once.
/// </summary>
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

    [Fact]
    public async Task An_order_created_on_an_account_is_completed_with_its_read_once()
    {
        string accountNumber;
        long lastReading;
        await using (var db = city.Database.Context())
        {
            var account = db.Accounts.OrderBy(a => a.Id).Skip(6).First();
            accountNumber = account.AccountNumber;
            var pointIds = db.ServicePoints.Where(p => p.PremiseId == account.PremiseId).Select(p => p.Id).ToList();
            lastReading = db.Reads.Where(r => pointIds.Contains(r.ServicePointId)).OrderByDescending(r => r.ReadOn).ThenByDescending(r => r.Id).Select(r => r.Reading).First();
        }

        var bad = await city.RunAsync("orders", "create", "--kind", "repaint", "--account", accountNumber);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("'repaint' is not an order type", bad.Output, StringComparison.Ordinal);

        var created = await city.RunAsync("orders", "create", "--kind", "re-read", "--account", accountNumber, "--window", "08:00-12:00", "--note", "Customer says the read is high");
        Assert.True(created.ExitCode == 0, created.Output);
        var match = System.Text.RegularExpressions.Regex.Match(created.Output, @"Re-read order (\d+) created for account");
        Assert.True(match.Success, created.Output);
        var orderId = match.Groups[1].Value;

        var noRead = await city.RunAsync("orders", "complete", "--order", orderId, "--result", "done");
        Assert.NotEqual(0, noRead.ExitCode);
        Assert.Contains("Enter the meter read", noRead.Output, StringComparison.Ordinal);

        var reading = (lastReading + 40).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var done = await city.RunAsync("orders", "complete", "--order", orderId, "--result", "done", "--reading", reading);
        Assert.True(done.ExitCode == 0, done.Output);
        Assert.Contains($"Order {orderId} (re-read) on account {accountNumber} completed: read", done.Output, StringComparison.Ordinal);
        var twice = await city.RunAsync("orders", "complete", "--order", orderId, "--result", "done", "--reading", reading);
        Assert.NotEqual(0, twice.ExitCode);
        Assert.Contains("cannot be completed again", twice.Output, StringComparison.Ordinal);
    }
}
