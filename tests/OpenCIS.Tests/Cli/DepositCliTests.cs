using OpenCIS.Core.Customers;

namespace OpenCIS.Tests.Cli;

/// <summary><c>deposits require</c>, <c>deposits refunds</c> and <c>report deposits</c> on the demo city (today 2026-11-22).</summary>
public sealed class DepositCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public async Task A_deposit_required_from_the_command_line_is_on_the_report_tied_to_GL_2200_and_the_refund_review_runs_once_per_date()
    {
        var number = AccountNumbers.Create(4);
        var csv = Path.Combine(Path.GetTempPath(), $"deposits-{Guid.NewGuid():N}.csv");
        try
        {
            var required = await city.RunAsync("deposits", "require", "--account", number, "--key", "cli-deposit-1");
            var again = await city.RunAsync("deposits", "require", "--account", number, "--key", "cli-deposit-1");
            var review = await city.RunAsync("deposits", "refunds", "--date", "2026-11-22");
            var reviewAgain = await city.RunAsync("deposits", "refunds", "--date", "2026-11-22");
            var report = await city.RunAsync("report", "deposits", "--as-of", "2026-11-22", "--csv", csv);
            var badDate = await city.RunAsync("report", "deposits", "--as-of", "22/11/2026");

            Assert.Equal(0, required.ExitCode);
            Assert.Matches(@"Deposit of \$[\d,.]+ billed to account " + number, required.Output);
            Assert.Equal(0, again.ExitCode);
            Assert.Contains("already required; nothing was billed again", again.Output, StringComparison.Ordinal);
            Assert.Equal(0, review.ExitCode);
            Assert.Contains("open deposit(s) reviewed", review.Output, StringComparison.Ordinal);
            Assert.Contains("already ran", reviewAgain.Output, StringComparison.Ordinal);
            Assert.Equal(0, report.ExitCode);
            Assert.Contains("The deposits outstanding tie to GL 2200.", report.Output, StringComparison.Ordinal);
            var text = await File.ReadAllTextAsync(csv);
            Assert.StartsWith("section,deposit_id,account,status,billed", text, StringComparison.Ordinal);
            Assert.Contains("ties to GL 2200,,yes", text, StringComparison.Ordinal);
            Assert.Equal(1, badDate.ExitCode);
            Assert.Contains("--as-of", badDate.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(csv);
        }
    }
}
