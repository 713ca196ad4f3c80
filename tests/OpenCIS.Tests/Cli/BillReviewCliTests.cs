using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Cli;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Tests.Persistence;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Metering.Import;

namespace OpenCIS.Tests.Cli;

/// <summary><c>opencis bill review-rules</c>, <c>bill held</c>, <c>bill release</c> and <c>bill cancel-held</c> on a seeded demo city.</summary>
public sealed class BillReviewCliTests : IAsyncLifetime
{
    private static readonly DateOnly BillDate = new(2026, 12, 8);
    private TestDatabase database = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabases.CreateAsync(TestProvider.Sqlite, "bill review CLI");
        Assert.Equal(0, (await RunAsync("demo", "seed", "--accounts", "12")).ExitCode);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private Task<CliRun> RunAsync(params string[] args) => CliRun.ExecuteAsync(database.Configuration(), args);

    [Fact]
    public async Task Rules_are_set_and_printed_and_a_held_bill_is_listed_released_once_and_another_canceled()
    {
        var set = await RunAsync("bill", "review-rules", "--class", "residential", "--high-percent", "50", "--high-amount", "40", "--very-large", "0.00", "--zero-use");
        Assert.True(set.ExitCode == 0, set.Output);
        Assert.Contains("rules for residential accounts are set: high over 50% and $40.00, very large over $0.00, zero use.", set.Output, StringComparison.Ordinal);
        var badClass = await RunAsync("bill", "review-rules", "--class", "farm", "--zero-use");
        Assert.Equal(CliApp.BadInput, badClass.ExitCode);
        Assert.Contains("'farm' is not a class", badClass.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync("bill", "review-rules", "--class", "industrial", "--first-bill")).ExitCode);
        Assert.Contains("no longer reviewed", (await RunAsync("bill", "review-rules", "--class", "industrial", "--remove")).Output, StringComparison.Ordinal);
        var printed = await RunAsync("bill", "review-rules");
        Assert.Equal(0, printed.ExitCode);
        Assert.Matches(@"residential\s*│\s*high over 50% and \$40\.00, very large over \$0\.00, zero use", printed.Output);
        Assert.Matches(@"industrial\s*│\s*none \(nothing held\)", printed.Output);

        // C1's December reads, billed on its bill date: every residential bill is over $0.00 and held.
        long runId;
        await using (var services = database.Services(new FixedClock(new DateTimeOffset(BillDate.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero))))
        await using (var scope = services.CreateAsyncScope())
        {
            var file = await DemoReads.NextMonthAsync(scope.ServiceProvider.GetRequiredService<OpenCisDbContext>(), "C1", BillDate.AddDays(-1));
            Assert.True((await scope.ServiceProvider.GetRequiredService<ImportReads>().ExecuteAsync("c1-december.csv", file, ReadFileFormat.Csv, null, "clerk")).Posted);
            runId = (await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", BillDate, "clerk")).RunId;
        }

        List<long> held;
        await using (var db = database.Context())
        {
            held = await db.Bills.Where(b => b.BillingRunId == runId && b.Status == BillStatus.Held).OrderBy(b => b.Id).Select(b => b.Id).ToListAsync();
        }

        Assert.True(held.Count >= 2, $"{held.Count} held");
        var list = await RunAsync("bill", "held", "--run", runId.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(0, list.ExitCode);
        Assert.Contains($"{held.Count} held bill(s)", list.Output, StringComparison.Ordinal);
        Assert.Contains("Very large:", list.Output, StringComparison.Ordinal);
        Assert.All(held, id => Assert.Contains(id.ToString(CultureInfo.InvariantCulture), list.Output, StringComparison.Ordinal));

        var release = await RunAsync("bill", "release", held[0].ToString(CultureInfo.InvariantCulture));
        Assert.True(release.ExitCode == 0, release.Output);
        Assert.Contains($"Bill {held[0]} of account", release.Output, StringComparison.Ordinal);
        var again = await RunAsync("bill", "release", held[0].ToString(CultureInfo.InvariantCulture));
        Assert.Equal(CliApp.BadInput, again.ExitCode);
        Assert.Contains("not held", again.Output, StringComparison.Ordinal);
        var cancel = await RunAsync("bill", "cancel-held", held[1].ToString(CultureInfo.InvariantCulture), "--reason", "Meter misread");
        Assert.True(cancel.ExitCode == 0, cancel.Output);
        Assert.Contains($"Bill {held[1]} canceled", cancel.Output, StringComparison.Ordinal);

        await using (var db = database.Context())
        {
            Assert.Equal(BillStatus.Issued, (await db.Bills.SingleAsync(b => b.Id == held[0])).Status);
            Assert.Equal(BillStatus.Canceled, (await db.Bills.SingleAsync(b => b.Id == held[1])).Status);
        }

        Assert.Contains($"{held.Count - 2} held bill(s)", (await RunAsync("bill", "held")).Output, StringComparison.Ordinal);
    }
}
