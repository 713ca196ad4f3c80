using Microsoft.EntityFrameworkCore;
using OpenCIS.Cli;
using OpenCIS.Tests.Persistence;

namespace OpenCIS.Tests.Cli;

/// <summary><c>opencis budget show|enroll|end</c> on a seeded demo city.</summary>
public sealed class BudgetCliTests : IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabases.CreateAsync(TestProvider.Sqlite, "budget CLI");
        Assert.Equal(0, (await RunAsync("demo", "seed", "--accounts", "12")).ExitCode);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private Task<CliRun> RunAsync(params string[] args) => CliRun.ExecuteAsync(database.Configuration(), args);

    [Fact]
    public async Task An_account_is_shown_enrolled_at_its_suggested_amount_and_ended()
    {
        string account;
        await using (var db = database.Context())
        {
            account = await db.Accounts.OrderBy(a => a.Id).Select(a => a.AccountNumber).FirstAsync();
        }

        var shown = await RunAsync("budget", "show", account);
        Assert.True(shown.ExitCode == 0, shown.Output);
        Assert.Matches($@"Account {account} is not on budget billing; its last twelve months suggest \$\d+\.00 a month\.", shown.Output);

        var bad = await RunAsync("budget", "enroll", account, "--amount", "85.50");
        Assert.Equal(CliApp.BadInput, bad.ExitCode);
        Assert.Contains("whole dollars", bad.Output, StringComparison.Ordinal);
        var badMonth = await RunAsync("budget", "enroll", account, "--true-up-month", "0");
        Assert.Equal(CliApp.BadInput, badMonth.ExitCode);
        Assert.Contains("true-up month is 1 to 12", badMonth.Output, StringComparison.Ordinal);

        var enrolled = await RunAsync("budget", "enroll", account, "--amount", "95", "--true-up-month", "6", "--review-every", "4");
        Assert.True(enrolled.ExitCode == 0, enrolled.Output);
        Assert.Contains($"Account {account} is on budget billing: $95.00 a month, trued up in June, reviewed every 4 months", enrolled.Output, StringComparison.Ordinal);
        Assert.Contains("budget amount $95.00, trued up in June", (await RunAsync("budget", "show", account)).Output, StringComparison.Ordinal);
        Assert.Equal(CliApp.BadInput, (await RunAsync("budget", "enroll", account)).ExitCode);

        var ended = await RunAsync("budget", "end", account, "--reason", "Customer asked");
        Assert.True(ended.ExitCode == 0, ended.Output);
        Assert.Contains("budget plan ended; its deferred balance of $0.00 was settled", ended.Output, StringComparison.Ordinal);
        Assert.Equal(CliApp.BadInput, (await RunAsync("budget", "end", account, "--reason", "again")).ExitCode);
    }
}
