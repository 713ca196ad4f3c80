using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;

namespace OpenCIS.Tests.Cli;

public sealed class BillDocumentCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public async Task Bill_pdf_for_an_account_writes_its_latest_bill()
    {
        var file = Path.Combine(Path.GetTempPath(), $"opencis-bill-{Guid.NewGuid():N}.pdf");
        try
        {
            var result = await city.RunAsync("bill", "pdf", "--account", "00000018", "--out", file);

            Assert.Equal(0, result.ExitCode);
            long latest;
            await using (var db = city.Database.Context())
            {
                latest = await db.Bills.Where(b => b.AccountId == db.Accounts.Single(a => a.AccountNumber == "00000018").Id && b.Status == BillStatus.Issued).MaxAsync(b => b.Id);
            }

            Assert.Contains($"Wrote bill {latest} of account 00000018", result.Output, StringComparison.Ordinal);
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.Equal("%PDF-"u8.ToArray(), bytes[..5]);

            var byNumber = await city.RunAsync("bill", "pdf", "--bill", latest.ToString(CultureInfo.InvariantCulture), "--out", file);
            Assert.Equal(0, byNumber.ExitCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Bill_export_writes_a_runs_print_file_whose_trailer_counts_its_bills()
    {
        long runId;
        int bills;
        await using (var db = city.Database.Context())
        {
            var run = await db.BillingRuns.Where(r => r.BillsCreated > 0).OrderByDescending(r => r.Id).FirstAsync();
            (runId, bills) = (run.Id, run.BillsCreated);
        }

        var file = Path.Combine(Path.GetTempPath(), $"opencis-print-{Guid.NewGuid():N}.txt");
        try
        {
            var result = await city.RunAsync("bill", "export", "--run", runId.ToString(CultureInfo.InvariantCulture), "--out", file);

            Assert.Equal(0, result.ExitCode);
            Assert.Contains($"Wrote {bills:N0} bills of run #{runId}", result.Output, StringComparison.Ordinal);
            var lines = await File.ReadAllLinesAsync(file);
            Assert.StartsWith($"H|{BillPrintExport.FormatVersion}|OPENCIS-BILLS|{runId}|", lines[0], StringComparison.Ordinal);
            Assert.StartsWith($"T|{bills}|{lines.Length}|", lines[^1], StringComparison.Ordinal);
            Assert.False(File.Exists(file + ".partial"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Unknown_bills_runs_and_a_missing_choice_are_refused_with_a_reason()
    {
        var file = Path.Combine(Path.GetTempPath(), $"opencis-none-{Guid.NewGuid():N}");

        var noBill = await city.RunAsync("bill", "pdf", "--bill", "99999999", "--out", file);
        var neither = await city.RunAsync("bill", "pdf", "--out", file);
        var noAccount = await city.RunAsync("bill", "pdf", "--account", "99999997", "--out", file);
        var noRun = await city.RunAsync("bill", "export", "--run", "99999999", "--out", file);

        Assert.Equal((1, 1, 1, 1), (noBill.ExitCode, neither.ExitCode, noAccount.ExitCode, noRun.ExitCode));
        Assert.Contains("There is no bill 99999999.", noBill.Output, StringComparison.Ordinal);
        Assert.Contains("Give either --bill or --account.", neither.Output, StringComparison.Ordinal);
        Assert.Contains("Account 99999997 has no issued bill", noAccount.Output, StringComparison.Ordinal);
        Assert.Contains("There is no billing run 99999999.", noRun.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
        Assert.False(File.Exists(file + ".partial"));
    }
}
