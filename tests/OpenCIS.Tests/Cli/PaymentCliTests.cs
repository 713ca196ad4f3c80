using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Payments;

namespace OpenCIS.Tests.Cli;

public sealed class PaymentCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public async Task Payments_import_posts_a_bai2_file_sends_an_unknown_account_to_suspense_and_posts_it_once()
    {
        var unknown = AccountNumbers.Create(9_999_004);
        var file = Path.Combine(Path.GetTempPath(), $"lockbox-{Guid.NewGuid():N}.bai");
        await File.WriteAllTextAsync(file, Bai2Writer.Write("121000248", "RIVERBEND", new DateTime(2026, 11, 21, 6, 0, 0), "9", new DateOnly(2026, 11, 21),
            [new Bai2Account("5550001", [new Bai2Item(Money.FromCents(2500), "00000018", "CHK1"), new Bai2Item(Money.FromCents(700), unknown, "CHK2")])]));
        try
        {
            var first = await city.RunAsync("payments", "import", "--format", "bai2", "--file", file);
            var again = await city.RunAsync("payments", "import", "--format", "bai2", "--file", file);
            var badFormat = await city.RunAsync("payments", "import", "--format", "xml", "--file", file);

            Assert.Equal(0, first.ExitCode);
            Assert.Contains("posted 1 payments totalling $25.00; 1 item ($7.00) went to suspense", first.Output, StringComparison.Ordinal);
            Assert.Equal(0, again.ExitCode);
            Assert.Contains("already posted on 2026-11-22", again.Output, StringComparison.Ordinal);
            Assert.NotEqual(0, badFormat.ExitCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Payments_import_names_the_record_and_field_of_a_wrong_control_total()
    {
        var file = Path.Combine(Path.GetTempPath(), $"lockbox-{Guid.NewGuid():N}.bai");
        var text = Bai2Writer.Write("121000248", "RIVERBEND", new DateTime(2026, 11, 21, 6, 0, 0), "8", new DateOnly(2026, 11, 21),
            [new Bai2Account("5550001", [new Bai2Item(Money.FromCents(2500), "00000018", "CHK1")])]);
        await File.WriteAllTextAsync(file, text.Replace("99,2500,", "99,2600,", StringComparison.Ordinal));
        try
        {
            var run = await city.RunAsync("payments", "import", "--format", "bai2", "--file", file);

            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains("line 7, field file control total", run.Output, StringComparison.Ordinal);
            Assert.Contains("nothing was posted", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Bench_payments_posts_a_generated_lockbox_file_and_ends_with_its_result()
    {
        var run = await city.RunAsync("bench", "payments", "--payments", "300");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("posted 300 payments", run.Output, StringComparison.Ordinal);
        var last = run.Output.TrimEnd().Split('\n')[^1];
        Assert.Matches(@"^RESULT payments_per_second=\d+ peak_memory_mb=\d+ database=sqlite", last);
    }
}
