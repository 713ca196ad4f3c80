using System.Text.RegularExpressions;

namespace OpenCIS.Tests.Cli;

/// <summary>
/// <c>bench collections</c> on a city that never ran collections (the CLI's demo city of 20 accounts, today 2026-11-22):
/// the first bench catches the city up yesterday, untimed, then times today's run and ends with its result line; the
/// next bench runs the next day, with nothing to catch up.
/// </summary>
public sealed partial class CollectionsBenchCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public async Task The_first_bench_catches_the_city_up_yesterday_and_times_today_and_the_next_runs_the_next_day()
    {
        var first = await city.RunAsync("bench", "collections", "--accounts", "20");
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("No collections run is on file: catching the city up on 2026-11-21", first.Output, StringComparison.Ordinal);
        Assert.Contains("Collections run for 2026-11-21 (#1) completed", first.Output, StringComparison.Ordinal);
        Assert.Contains("Collections for 2026-11-22: 20 accounts", first.Output, StringComparison.Ordinal);
        Assert.Matches(Notices(), first.Output);
        Assert.Matches(Result(), first.Output.Trim().Split('\n')[^1]);

        var second = await city.RunAsync("bench", "collections", "--accounts", "20");
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.DoesNotContain("catching the city up", second.Output, StringComparison.Ordinal);
        Assert.Contains("Collections for 2026-11-23: 20 accounts", second.Output, StringComparison.Ordinal);
        Assert.Matches(Result(), second.Output.Trim().Split('\n')[^1]);
    }

    [GeneratedRegex(@"NOTICES pages=\d+ seconds=[0-9.]+ pages_per_second=(\d+|none \(no notice to mail on 2026-11-22\))")]
    private static partial Regex Notices();

    [GeneratedRegex(@"^RESULT accounts_per_second=\d+ late_charges=\d+ notices=\d+ disconnects=\d+ peak_memory_mb=\d+ database=sqlite$")]
    private static partial Regex Result();
}
