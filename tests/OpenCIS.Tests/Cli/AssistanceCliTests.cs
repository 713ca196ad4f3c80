using OpenCIS.Core.Customers;

namespace OpenCIS.Tests.Cli;

/// <summary><c>programs list|add|enroll|end</c> and <c>pledges add|list|report</c> on the demo city (today 2026-11-22).</summary>
public sealed class AssistanceCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public async Task A_program_is_added_an_account_enrolled_and_ended_and_a_pledge_recorded_and_reported()
    {
        var number = AccountNumbers.Create(5);
        var added = await city.RunAsync("programs", "add", "cliwinter", "--name", "Winter help", "--verify-months", "12");
        var list = await city.RunAsync("programs", "list");
        var enrolled = await city.RunAsync("programs", "enroll", "--account", number, "--program", "CLIWINTER", "--on", "2026-11-01");
        var twice = await city.RunAsync("programs", "enroll", "--account", number, "--program", "cliwinter");
        var badDate = await city.RunAsync("programs", "enroll", "--account", number, "--program", "SENIOR", "--on", "1 Nov");
        var ended = await city.RunAsync("programs", "end", "--account", number, "--program", "cliwinter", "--on", "2026-11-22");
        var pledged = await city.RunAsync("pledges", "add", "--account", number, "--agency", "CLI Agency", "--amount", "55.00", "--on", "2026-11-02", "--expected-by", "2026-11-12");
        var pledges = await city.RunAsync("pledges", "list", "--account", number);
        var report = await city.RunAsync("pledges", "report", "--from", "2026-11-01", "--to", "2026-11-22", "--agency", "CLI Agency");
        var badAmount = await city.RunAsync("pledges", "add", "--account", number, "--agency", "CLI Agency", "--amount", "lots", "--expected-by", "2026-12-01");

        Assert.Equal(0, added.ExitCode);
        Assert.Contains("Program CLIWINTER saved; 0 tariff charge(s) name it.", added.Output, StringComparison.Ordinal);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("SENIOR", list.Output, StringComparison.Ordinal);
        Assert.Contains("W-RES-SENIOR", list.Output, StringComparison.Ordinal);
        Assert.Equal(0, enrolled.ExitCode);
        Assert.Contains($"Account {number} enrolled in CLIWINTER from 2026-11-01: Counts through 2027-10-31.", enrolled.Output, StringComparison.Ordinal);
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("already enrolled", twice.Output, StringComparison.Ordinal);
        Assert.Equal(1, badDate.ExitCode);
        Assert.Contains("--on", badDate.Output, StringComparison.Ordinal);
        Assert.Equal(0, ended.ExitCode);
        Assert.Contains("ended on 2026-11-22", ended.Output, StringComparison.Ordinal);
        Assert.Equal(0, pledged.ExitCode);
        Assert.Contains("$55.00 from CLI Agency, expected by 2026-11-12.", pledged.Output, StringComparison.Ordinal);
        Assert.Contains("Overdue", pledges.Output, StringComparison.Ordinal);
        Assert.Equal(0, report.ExitCode);
        Assert.Contains("CLI Agency", report.Output, StringComparison.Ordinal);
        Assert.Contains("$55.00", report.Output, StringComparison.Ordinal);
        Assert.Equal(1, badAmount.ExitCode);
        Assert.Contains("--amount", badAmount.Output, StringComparison.Ordinal);
    }
}
