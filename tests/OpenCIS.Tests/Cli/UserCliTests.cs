using OpenCIS.Tests.Persistence;

namespace OpenCIS.Tests.Cli;

/// <summary>`opencis users` on a demo database: add a user, see them listed, reset and deactivate them.</summary>
public sealed class UserCliTests
{
    [Fact]
    public async Task An_administrator_adds_lists_resets_and_deactivates_a_user_from_the_terminal()
    {
        await using var database = await TestDatabases.CreateAsync(TestProvider.Sqlite, "users CLI");
        Task<CliRun> RunAsync(params string[] args) => CliRun.ExecuteAsync(database.Configuration(), args);
        Assert.Equal(0, (await RunAsync("demo", "seed", "--accounts", "5")).ExitCode);

        var add = await RunAsync("users", "add", "jo.cashier", "--roles", "Cashier,Clerk", "--email", "jo@riverbend.example");
        Assert.Equal(0, add.ExitCode);
        Assert.Matches("Temporary password .*: [a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}", add.Output);

        var list = await RunAsync("users", "list");
        Assert.Contains("jo.cashier", list.Output, StringComparison.Ordinal);
        Assert.Contains("Cashier, Clerk", list.Output, StringComparison.Ordinal);
        Assert.Contains("must change password", list.Output, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("users", "reset", "jo.cashier")).ExitCode);
        var refused = await RunAsync("users", "roles", "jo.cashier", "--roles", "Wizard");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("'Wizard' is not a role", refused.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync("users", "deactivate", "jo.cashier", "--reason", "Left the city")).ExitCode);
        Assert.Contains("deactivated", (await RunAsync("users", "list")).Output, StringComparison.Ordinal);
    }
}
