namespace OpenCIS.Tests.Cli;

/// <summary><c>holiday add</c>, <c>holiday list</c> and <c>cycle schedule</c> on the demo city (today 2026-11-22).</summary>
public sealed class CycleCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public async Task A_holiday_added_from_the_command_line_is_listed_and_moves_a_cycles_read_date()
    {
        var before = await city.RunAsync("cycle", "schedule", "--cycle", "C2", "--months", "3");
        var added = await city.RunAsync("holiday", "add", "--date", "2026-12-21", "--name", "City founders' day");
        var again = await city.RunAsync("holiday", "add", "--date", "2026-12-21", "--name", "Again");
        var list = await city.RunAsync("holiday", "list", "--year", "2026");
        var after = await city.RunAsync("cycle", "schedule", "--cycle", "C2", "--months", "3");
        var unknown = await city.RunAsync("cycle", "schedule", "--cycle", "C9");

        Assert.Equal(0, before.ExitCode);
        Assert.Contains("Mon 2026-12-21", before.Output, StringComparison.Ordinal);
        Assert.Equal(0, added.ExitCode);
        Assert.Contains("added to the US-Federal calendar", added.Output, StringComparison.Ordinal);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already a holiday", again.Output, StringComparison.Ordinal);
        Assert.Contains("2026-11-26", list.Output, StringComparison.Ordinal);
        Assert.Contains("City founders' day", list.Output, StringComparison.Ordinal);
        Assert.Equal(0, after.ExitCode);
        Assert.Contains("Tue 2026-12-22 (City founders' day)", after.Output, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("There is no billing cycle C9", unknown.Output, StringComparison.Ordinal);
    }
}
