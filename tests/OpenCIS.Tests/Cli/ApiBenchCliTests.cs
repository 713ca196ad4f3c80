using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Tests.Persistence;
using OpenCIS.Tests.Web;

namespace OpenCIS.Tests.Cli;

/// <summary>
/// <c>bench api</c> against a host running on the CLI's demo city while <c>bench billing</c> bills the next month in another
/// process: every payment, page and search answers, a retried payment answers with its first receipt and posts nothing more,
/// the run's key is revoked after, and the result line comes last. Only a loopback address is loaded.
/// </summary>
public sealed partial class ApiBenchCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public async Task The_api_answers_payments_pages_and_searches_while_a_billing_run_runs_and_a_retried_payment_posts_once()
    {
        await using var host = new OpenCisWebFactory(new WebHostData(city.Database.ConnectionString, TestDatabases.EncryptionKey));
        var url = host.StartOnRealPort();
        int runsBefore;
        await using (var db = city.Database.Context())
        {
            runsBefore = await db.BillingRuns.CountAsync();
        }

        var run = await city.RunAsync("bench", "api", "--url", url.ToString(), "--rps", "40", "--seconds", "2", "--workers", "4");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("The billing run in process", run.Output, StringComparison.Ordinal);
        Assert.True(Result().IsMatch(run.Output.Trim().Split('\n')[^1]), run.Output);

        await using (var db = city.Database.Context())
        {
            // Three warm-up rounds of 40 requests (8 payment posts) and the load of 80 (16, two of them retries of the 1st and 21st).
            Assert.Equal(3 * 8 + 14, await db.Payments.CountAsync(p => p.Reference != null && p.Reference.StartsWith("bench-")));
            Assert.Equal(runsBefore + 1, await db.BillingRuns.CountAsync());
            var key = await db.ApiKeys.SingleAsync(k => k.Name.StartsWith("bench-api-"));
            Assert.NotNull(key.RevokedAt);
        }

        var remote = await city.RunAsync("bench", "api", "--url", "http://example.org", "--seconds", "1");
        Assert.NotEqual(0, remote.ExitCode);
        Assert.Contains("not a loopback address", remote.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^RESULT p50_ms=[0-9.]+ p99_ms=[0-9.]+ errors=0 rps=\d+ payment_p99_ms=[0-9.]+ account_p99_ms=[0-9.]+ search_p99_ms=[0-9.]+ billing_overlap=[0-9.]+ accounts=\d+ database=sqlite$")]
    private static partial Regex Result();
}
