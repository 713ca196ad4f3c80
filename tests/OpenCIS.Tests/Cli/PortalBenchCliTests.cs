using System.Text.RegularExpressions;
using OpenCIS.Tests.Persistence;
using OpenCIS.Tests.Web;

namespace OpenCIS.Tests.Cli;

/// <summary>
/// <c>bench portal</c> against a host running on the CLI's demo city: its customers are made once, sign in through the form,
/// and every page they load answers 200; the result line comes last.
/// </summary>
public sealed partial class PortalBenchCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public async Task Customers_sign_in_at_the_running_host_and_every_page_they_load_answers()
    {
        await using var host = new OpenCisWebFactory(new WebHostData(city.Database.ConnectionString, TestDatabases.EncryptionKey));
        var url = host.StartOnRealPort();

        var run = await city.RunAsync("bench", "portal", "--url", url.ToString(), "--users", "6", "--rate", "30", "--seconds", "1", "--workers", "4");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.True(run.Output.Contains("Signed in 6", StringComparison.Ordinal), run.Output);
        Assert.Contains("15 of 15", run.Output, StringComparison.Ordinal);
        Assert.Matches(Result(), run.Output.Trim().Split('\n')[^1]);

        var bad = await city.RunAsync("bench", "portal", "--url", "ftp://example.org");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--url", bad.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^RESULT p99_ms=[0-9.]+ requests=30 errors=0 database=sqlite$")]
    private static partial Regex Result();
}
