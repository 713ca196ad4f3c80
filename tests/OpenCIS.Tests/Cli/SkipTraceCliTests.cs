using OpenCIS.Core.Customers;

namespace OpenCIS.Tests.Cli;

/// <summary><c>contacts returned-mail|stopped|show|add|fail</c> on the demo city (today 2026-11-22).</summary>
public sealed class SkipTraceCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public async Task Returned_mail_is_imported_whole_or_not_at_all_and_the_account_is_traced()
    {
        var number = AccountNumbers.Create(4);
        var folder = Directory.CreateTempSubdirectory("opencis-skip-trace-cli").FullName;
        var bad = Path.Combine(folder, "returned-bad.csv");
        await File.WriteAllTextAsync(bad, $"account_number,returned_on,reason\n{number},2026-11-20,Moved\n00000999,2026-11-20,Moved\n");
        var refused = await city.RunAsync("contacts", "returned-mail", "--file", bad);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("returned-bad.csv line 3, field account_number", refused.Output, StringComparison.Ordinal);
        Assert.Contains("nothing was marked", refused.Output, StringComparison.Ordinal);

        var good = Path.Combine(folder, "returned.csv");
        await File.WriteAllTextAsync(good, $"account_number,returned_on,reason\n{number},2026-11-20,\"Vacant, no forwarding\"\n");
        var imported = await city.RunAsync("contacts", "returned-mail", "--file", good);
        Assert.True(imported.ExitCode == 0, imported.Output);
        Assert.Contains("1 address marked", imported.Output, StringComparison.Ordinal);
        Assert.Contains("was imported before", (await city.RunAsync("contacts", "returned-mail", "--file", good)).Output, StringComparison.Ordinal);

        var stopped = await city.RunAsync("contacts", "stopped");
        Assert.True(stopped.ExitCode == 0, stopped.Output);
        Assert.Contains(number, stopped.Output, StringComparison.Ordinal);

        var added = await city.RunAsync("contacts", "add", number, "--channel", "phone", "--value", "541-555-0123", "--source", "Employer");
        Assert.True(added.ExitCode == 0, added.Output);
        Assert.Equal(1, (await city.RunAsync("contacts", "add", number, "--channel", "phone", "--value", "12", "--source", "Employer")).ExitCode);
        Assert.Equal(1, (await city.RunAsync("contacts", "fail", number, "--channel", "pager", "--reason", "Gone")).ExitCode);

        var shown = await city.RunAsync("contacts", "show", number);
        Assert.True(shown.ExitCode == 0, shown.Output);
        Assert.Contains("Vacant, no forwarding", shown.Output, StringComparison.Ordinal);
        Assert.Contains("541-555-0123", shown.Output, StringComparison.Ordinal);
        Assert.Contains("(returned.csv line 2)", shown.Output, StringComparison.Ordinal);
    }
}
