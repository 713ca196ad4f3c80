using OpenCIS.Core.Customers;
using OpenCIS.Tests.Persistence;

namespace OpenCIS.Tests.Cli;

/// <summary><c>campaigns create|list|show|call|export|close</c> on the demo city (today 2026-11-22).</summary>
public sealed class CampaignCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public async Task A_campaign_is_built_called_with_a_promise_shown_exported_and_closed()
    {
        var number = AccountNumbers.Create(4);
        await using (var services = city.Database.Services())
        {
            await TestCampaigns.OweAsync(services, new DateOnly(2026, 11, 22), number);
        }

        Assert.Equal(1, (await city.RunAsync("campaigns", "create", "--name", "Large", "--days-from", "31", "--days-to", "20", "--collectors", "collector")).ExitCode);
        var built = await city.RunAsync("campaigns", "create", "--name", "Large", "--days-from", "31", "--days-to", "90", "--min", "1000.00", "--collectors", "collector");
        Assert.True(built.ExitCode == 0, built.Output);
        var id = System.Text.RegularExpressions.Regex.Match(built.Output, @"Campaign (\d+) ").Groups[1].Value;
        Assert.Contains("owing", built.Output, StringComparison.Ordinal);

        var called = await city.RunAsync("campaigns", "call", id, "--account", number, "--outcome", "promise-to-pay", "--promise-amount", "500.00", "--promise-date", "2026-12-01");
        Assert.True(called.ExitCode == 0, called.Output);
        Assert.Contains("the promise to pay $500.00 by 2026-12-01", called.Output, StringComparison.Ordinal);
        Assert.Equal(1, (await city.RunAsync("campaigns", "call", id, "--account", AccountNumbers.Create(5), "--outcome", "no-answer")).ExitCode);

        var shown = await city.RunAsync("campaigns", "show", id);
        Assert.True(shown.ExitCode == 0, shown.Output);
        Assert.Contains(number, shown.Output, StringComparison.Ordinal);
        Assert.Contains("promise-to-pay", shown.Output, StringComparison.Ordinal);
        Assert.Contains("$500.00", shown.Output, StringComparison.Ordinal);

        var folder = Directory.CreateTempSubdirectory("opencis-campaign-cli").FullName;
        var xlsx = Path.Combine(folder, "campaign.xlsx");
        Assert.True((await city.RunAsync("campaigns", "export", id, "--out", xlsx)).ExitCode == 0);
        using (var stream = File.OpenRead(xlsx))
        {
            Assert.Contains(OpenCIS.UseCases.Reports.ReportWorkbook.Read(stream, "Targets"), row => row[0] == number);
        }

        Assert.Equal(1, (await city.RunAsync("campaigns", "export", id, "--out", Path.Combine(folder, "campaign.txt"))).ExitCode);
        var closed = await city.RunAsync("campaigns", "close", id);
        Assert.Contains("closed on 2026-11-22", closed.Output, StringComparison.Ordinal);
        Assert.Contains("Large", (await city.RunAsync("campaigns", "list")).Output, StringComparison.Ordinal);
    }
}
