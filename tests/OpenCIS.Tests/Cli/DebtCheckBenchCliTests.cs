using System.Text.RegularExpressions;

namespace OpenCIS.Tests.Cli;

/// <summary>
/// <c>bench debt-check</c> on the CLI's demo city: its invoices topped up through the CSV import, checks by name, tax id
/// and parcel each finding a debtor, and the result line last; a second run imports nothing more.
/// </summary>
public sealed partial class DebtCheckBenchCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public async Task The_bench_imports_its_invoices_once_and_every_kind_of_check_finds_a_debtor()
    {
        var run = await city.RunAsync("bench", "debt-check", "--invoices", "60", "--rate", "40", "--seconds", "1", "--workers", "2");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Importing", run.Output, StringComparison.Ordinal);
        foreach (var kind in new[] { "Name", "TaxId", "Parcel" })
        {
            var row = Assert.Single(run.Output.Split('\n'), line => Regex.IsMatch(line, $@"│\s*{kind}\s*│"));
            var counts = FoundCount().Match(row);
            Assert.True(counts.Success, row);
            Assert.Equal(counts.Groups[2].Value, counts.Groups[1].Value);
        }

        Assert.Matches(Result(), run.Output.Trim().Split('\n')[^1]);
        var again = await city.RunAsync("bench", "debt-check", "--invoices", "60", "--rate", "20", "--seconds", "1", "--workers", "1");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.DoesNotContain("Importing", again.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(\d+) of (\d+)")]
    private static partial Regex FoundCount();

    [GeneratedRegex(@"^RESULT p99_ms=[0-9.]+ checks_per_second=\d+ database=sqlite$")]
    private static partial Regex Result();
}
