using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Cli;

/// <summary><c>pursuit agency|refer|list|placement-file|payments|recall|run|ready</c> on the demo city (today 2026-11-22).</summary>
public sealed class PursuitCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public async Task An_agency_is_added_a_final_account_referred_sent_paid_through_its_file_and_recalled_and_a_bad_file_names_its_line()
    {
        // A customer who moved out owes 90.00 on the final bill.
        var number = AccountNumbers.Create(9);
        await using (var services = city.Database.Services())
        await using (var scope = services.CreateAsyncScope())
        {
            await OpenCIS.Tests.Persistence.FinalAccounts.OweAsync(scope.ServiceProvider.GetRequiredService<OpenCisDbContext>(), number, Money.FromCents(90_00));
        }

        var badAgency = await city.RunAsync("pursuit", "agency", "add", "NCB", "--name", "Northwest Credit Bureau", "--commission", "150");
        Assert.Equal(1, badAgency.ExitCode);
        Assert.Contains("commission", badAgency.Output, StringComparison.OrdinalIgnoreCase);
        var added = await city.RunAsync("pursuit", "agency", "add", "NCB", "--name", "Northwest Credit Bureau", "--commission", "30", "--remittance", "gross");
        Assert.True(added.ExitCode == 0, added.Output);
        Assert.Contains("Northwest Credit Bureau (NCB) saved: agency, commission 30%, remits gross.", added.Output, StringComparison.Ordinal);

        var refused = await city.RunAsync("pursuit", "refer", AccountNumbers.Create(2), "--agency", "NCB", "--reason", "skip");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("is active", refused.Output, StringComparison.Ordinal);
        var referred = await city.RunAsync("pursuit", "refer", number, "--agency", "ncb", "--reason", "Moved out of state");
        Assert.True(referred.ExitCode == 0, referred.Output);
        var id = System.Text.RegularExpressions.Regex.Match(referred.Output, @"\(referral (\d+)\)").Groups[1].Value;
        Assert.Contains($"Account {number}: $90.00 referred to Northwest Credit Bureau (referral {id}).", referred.Output, StringComparison.Ordinal);

        var folder = Directory.CreateTempSubdirectory("opencis-pursuit-cli").FullName;
        var placement = Path.Combine(folder, "placement.csv");
        var sent = await city.RunAsync("pursuit", "placement-file", "--agency", "NCB", "--out", placement);
        Assert.True(sent.ExitCode == 0, sent.Output);
        Assert.StartsWith($"PLACE,{id},{number},", (await File.ReadAllLinesAsync(placement))[1], StringComparison.Ordinal);

        var bad = Path.Combine(folder, "bad.csv");
        await File.WriteAllTextAsync(bad, $"referral_id,account_number,paid_on,amount,reference\n{id},{number},2026-11-22,30.00,\n{id},{number},2026-11-31,10.00,\n");
        var refusedFile = await city.RunAsync("pursuit", "payments", "--agency", "NCB", "--file", bad);
        Assert.Equal(1, refusedFile.ExitCode);
        Assert.Contains("bad.csv line 3, field paid_on", refusedFile.Output, StringComparison.Ordinal);
        var good = Path.Combine(folder, "good.csv");
        await File.WriteAllTextAsync(good, $"referral_id,account_number,paid_on,amount,reference\n{id},{number},2026-11-22,30.00,NCB-1\n");
        var posted = await city.RunAsync("pursuit", "payments", "--agency", "NCB", "--file", good);
        Assert.True(posted.ExitCode == 0, posted.Output);
        Assert.Contains("1 payment from Northwest Credit Bureau posted, $30.00 collected, commission $9.00, $30.00 remitted.", posted.Output, StringComparison.Ordinal);

        var recalled = await city.RunAsync("pursuit", "recall", id, "--reason", "Customer came in to pay");
        Assert.True(recalled.ExitCode == 0, recalled.Output);
        var listed = await city.RunAsync("pursuit", "list", "--status", "recalled", "--agency", "NCB");
        Assert.Contains(number, listed.Output, StringComparison.Ordinal);
        Assert.Contains("$60.00", listed.Output, StringComparison.Ordinal);
        var again = await city.RunAsync("pursuit", "recall", id, "--reason", "again");
        Assert.Contains("was already recalled", again.Output, StringComparison.Ordinal);

        var run = await city.RunAsync("pursuit", "run", "--date", "2026-11-22");
        Assert.True(run.ExitCode == 0, run.Output);
        var ready = await city.RunAsync("pursuit", "ready");
        Assert.Contains("0 accounts ready to write off.", ready.Output, StringComparison.Ordinal);
    }
}
