namespace OpenCIS.Tests.Cli;

/// <summary>
/// <c>opencis bill messages list|add|end</c> against a real database (the business date is 2026-11-22): a message added,
/// listed with its audience and ended today; each refusal names the option and exits 1.
/// </summary>
public sealed class BillMessageCliTests(CliDatabaseFixture fixture) : IClassFixture<CliDatabaseFixture>
{
    [Fact]
    public async Task A_message_is_added_listed_and_ended_and_bad_input_names_its_option()
    {
        var added = await fixture.RunAsync("bill", "messages", "add", "CLI: pay online at riverbend.example.", "--from", "2026-11-01", "--to", "2026-12-31", "--class", "commercial", "--route", "R7");
        Assert.Equal(0, added.ExitCode);
        var match = System.Text.RegularExpressions.Regex.Match(added.Output, @"Message (\d+) added: on bills of commercial accounts, route R7 dated 2026-11-01 to 2026-12-31\.");
        Assert.True(match.Success, added.Output);
        var id = match.Groups[1].Value;

        var listed = await fixture.RunAsync("bill", "messages", "list", "--standing", "current");
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("CLI: pay online at riverbend.example.", listed.Output, StringComparison.Ordinal);
        Assert.Contains("commercial accounts, route R7", listed.Output, StringComparison.Ordinal);

        var ended = await fixture.RunAsync("bill", "messages", "end", id);
        Assert.Equal(0, ended.ExitCode);
        Assert.Contains($"Message {id} ends 2026-11-22: no bill dated after it prints it.", ended.Output, StringComparison.Ordinal);
        var again = await fixture.RunAsync("bill", "messages", "end", id);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"Message {id} already ends on 2026-11-22.", again.Output, StringComparison.Ordinal);

        var backwards = await fixture.RunAsync("bill", "messages", "add", "Backwards.", "--from", "2026-12-01", "--to", "2026-11-01");
        Assert.Equal(1, backwards.ExitCode);
        Assert.Contains("--to: The message ends on 2026-11-01, before it starts on 2026-12-01.", backwards.Output, StringComparison.Ordinal);
        var farm = await fixture.RunAsync("bill", "messages", "add", "Farms.", "--from", "2026-12-01", "--to", "2026-12-31", "--class", "farm");
        Assert.Equal(1, farm.ExitCode);
        Assert.Contains("--class: 'farm' is not an account class", farm.Output, StringComparison.Ordinal);
        var badDate = await fixture.RunAsync("bill", "messages", "add", "Soon.", "--from", "2026-12-32", "--to", "2026-12-31");
        Assert.Equal(1, badDate.ExitCode);
        Assert.Contains("--from: '2026-12-32' is not a date in the form YYYY-MM-DD.", badDate.Output, StringComparison.Ordinal);
        var someday = await fixture.RunAsync("bill", "messages", "list", "--standing", "someday");
        Assert.Equal(1, someday.ExitCode);
        Assert.Contains("--standing: 'someday' is not current, upcoming or past.", someday.Output, StringComparison.Ordinal);
    }
}
