using System.Text.RegularExpressions;

namespace OpenCIS.Tests.Cli;

/// <summary><c>bankruptcy file|list|show|pay|discharge|dismiss|proof-of-claim</c> on the demo city (today 2026-11-22).</summary>
public sealed class BankruptcyCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public async Task A_case_is_filed_once_paid_shown_printed_and_dismissed_and_a_bad_request_names_its_option()
    {
        var list = await city.RunAsync("invoices", "list", "--text", "RUN-26-04417");
        var row = Regex.Match(list.Output, @"│\s*\d+\s*│\s*EMS\s*│[^│]*│\s*(\S+)\s*│\s*RUN-26-04417");
        Assert.True(row.Success, list.Output);
        var account = row.Groups[1].Value;
        var pdf = Path.Combine(Directory.CreateTempSubdirectory("opencis-bankruptcy-cli").FullName, "claim.pdf");

        var tooEarly = await city.RunAsync("bankruptcy", "file", "26-bk-60003", "--chapter", "13", "--court", "Bankr. D. Or.", "--petition-date", "2026-11-30",
            "--trustee", "Dana Whitcomb", "--account", account);
        Assert.Equal(1, tooEarly.ExitCode);
        Assert.Contains("after today", tooEarly.Output, StringComparison.Ordinal);

        string[] file = ["bankruptcy", "file", "26-bk-60003", "--chapter", "13", "--court", "Bankr. D. Or.", "--petition-date", "2026-11-21",
            "--attorney", "Lee Park", "--trustee", "Dana Whitcomb", "--account", account, "--key", "cli-case-1"];
        var filed = await city.RunAsync(file);
        var again = await city.RunAsync(file);
        Assert.True(filed.ExitCode == 0, filed.Output);
        Assert.Contains("Entered Chapter 13 case 26-bk-60003 (Bankr. D. Or.), petition Nov 21, 2026: the stay holds collections on 1 account;", filed.Output, StringComparison.Ordinal);
        Assert.Contains("nothing was posted again", again.Output, StringComparison.Ordinal);
        var claim = Regex.Match(filed.Output, @"Claim (\$[\d,]+\.\d\d); trustee paid \$0\.00").Groups[1].Value;
        Assert.NotEmpty(claim);

        var paid = await city.RunAsync("bankruptcy", "pay", "26-bk-60003", "--amount", "25.00", "--reference", "TR-9001", "--key", "cli-pay-1");
        Assert.True(paid.ExitCode == 0, paid.Output);
        Assert.Contains("Trustee payment of $25.00 (TR-9001) applied to case 26-bk-60003", paid.Output, StringComparison.Ordinal);
        var tooMuch = await city.RunAsync("bankruptcy", "pay", "26-bk-60003", "--amount", "99999", "--reference", "TR-9002");
        Assert.Equal(1, tooMuch.ExitCode);
        Assert.Contains("more than the", tooMuch.Output, StringComparison.Ordinal);

        var listed = await city.RunAsync("bankruptcy", "list", "--status", "open");
        Assert.Contains("26-bk-60003", listed.Output, StringComparison.Ordinal);
        var shown = await city.RunAsync("bankruptcy", "show", "26-bk-60003");
        Assert.Contains($"Claim {claim}; trustee paid $25.00;", shown.Output, StringComparison.Ordinal);
        var printed = await city.RunAsync("bankruptcy", "proof-of-claim", "26-bk-60003", "--out", pdf);
        Assert.True(printed.ExitCode == 0, printed.Output);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await File.ReadAllBytesAsync(pdf))[..4]));

        var dismissed = await city.RunAsync("bankruptcy", "dismiss", "26-bk-60003", "--note", "Dismissed, docket 12");
        Assert.True(dismissed.ExitCode == 0, dismissed.Output);
        Assert.Contains("back on the accounts for collection; the stay has ended.", dismissed.Output, StringComparison.Ordinal);
        var missing = await city.RunAsync("bankruptcy", "show", "26-bk-00000");
        Assert.Equal(1, missing.ExitCode);
    }
}
