using OpenCIS.Core.Customers;
using OpenCIS.Tests.Persistence;

namespace OpenCIS.Tests.Cli;

/// <summary><c>liens list|show|document|certify|release|run</c> on the demo city (today 2026-11-22).</summary>
public sealed class LienCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public async Task A_filed_lien_is_listed_shown_printed_certified_and_its_release_refused_while_unpaid()
    {
        var number = AccountNumbers.Create(6);
        string lien;
        await using (var services = city.Database.Services())
        {
            lien = await TestLiens.LienAsync(services, number, new DateOnly(2026, 11, 22));
        }

        var listed = await city.RunAsync("liens", "list", "--status", "filed");
        Assert.True(listed.ExitCode == 0, listed.Output);
        Assert.Contains(lien, listed.Output, StringComparison.Ordinal);
        Assert.Equal(1, (await city.RunAsync("liens", "list", "--status", "lost")).ExitCode);

        var shown = await city.RunAsync("liens", "show", lien);
        Assert.True(shown.ExitCode == 0, shown.Output);
        Assert.Contains($"Lien {lien}: filed.", shown.Output, StringComparison.Ordinal);
        Assert.Contains("and a fee of $45.00.", shown.Output, StringComparison.Ordinal);

        var folder = Directory.CreateTempSubdirectory("opencis-lien-cli").FullName;
        var pdf = Path.Combine(folder, "filing.pdf");
        var printed = await city.RunAsync("liens", "document", lien, "--kind", "filing", "--out", pdf);
        Assert.True(printed.ExitCode == 0, printed.Output);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await File.ReadAllBytesAsync(pdf))[..4]));
        Assert.Equal(1, (await city.RunAsync("liens", "document", lien, "--kind", "release", "--out", pdf)).ExitCode);

        var refused = await city.RunAsync("liens", "release", lien);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("unpaid; it can be released once that is paid", refused.Output, StringComparison.Ordinal);

        var csv = Path.Combine(folder, "certification.csv");
        var certified = await city.RunAsync("liens", "certify", "--tax-year", "2027", "--out", csv);
        Assert.True(certified.ExitCode == 0, certified.Output);
        Assert.Contains("certified to the 2027 tax roll", certified.Output, StringComparison.Ordinal);
        Assert.Contains((await File.ReadAllLinesAsync(csv)).Skip(1), line => line.Contains($",{lien},{number},", StringComparison.Ordinal));

        var run = await city.RunAsync("liens", "run", "--date", "2026-11-22");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Liens for 2026-11-22:", run.Output, StringComparison.Ordinal);
    }
}
