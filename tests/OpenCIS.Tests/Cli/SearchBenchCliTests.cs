using System.Text.RegularExpressions;

namespace OpenCIS.Tests.Cli;

/// <summary>
/// <c>bench search</c> on the CLI's demo city: search terms taken from the city's own accounts, every kind timed and
/// every query finding something, and the result line last.
/// </summary>
public sealed partial class SearchBenchCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public async Task The_bench_times_each_kind_of_search_and_every_query_finds_its_account()
    {
        var run = await city.RunAsync("bench", "search", "--accounts", "20", "--samples", "8");
        Assert.True(run.ExitCode == 0, run.Output);
        foreach (var kind in new[] { "name", "address", "phone", "parcel", "meter" })
        {
            var row = Assert.Single(run.Output.Split('\n'), line => Regex.IsMatch(line, $@"│\s*{kind}\s*│"));
            var counts = FoundCount().Match(row);
            Assert.True(counts.Success, row);
            Assert.Equal(counts.Groups[2].Value, counts.Groups[1].Value);
        }

        var result = Result().Match(run.Output.Trim().Split('\n')[^1]);
        Assert.True(result.Success, run.Output);
        Assert.True(int.Parse(result.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 8 * 4, run.Output);
    }

    [GeneratedRegex(@"(\d+) of (\d+)")]
    private static partial Regex FoundCount();

    [GeneratedRegex(@"^RESULT p99_ms=[0-9.]+ queries=(\d+) database=sqlite$")]
    private static partial Regex Result();
}
