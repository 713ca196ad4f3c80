using System.Net;
using System.Text.Json;

namespace OpenCIS.Tests.Web;

public sealed class BillingReportTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [Fact]
    public async Task A_runs_register_ties_to_its_totals_and_balances_by_GL_account_and_the_day_report_lists_the_run()
    {
        var auditor = await factory.SignedInClientAsync("Auditor");
        using var runs = JsonDocument.Parse(await auditor.GetStringAsync(new Uri("/api/billing/runs", UriKind.Relative)));
        var run = runs.RootElement.EnumerateArray().First(r => r.GetProperty("status").GetString() == "Completed" && r.GetProperty("billsCreated").GetInt32() > 0);
        var runId = run.GetProperty("runId").GetInt64();

        using var register = JsonDocument.Parse(await auditor.GetStringAsync(new Uri($"/api/billing/runs/{runId}/register", UriKind.Relative)));
        var root = register.RootElement;
        Assert.Equal(run.GetProperty("totalBilledCents").GetInt64(), root.GetProperty("byService").EnumerateArray().Sum(s => s.GetProperty("amountCents").GetInt64()));
        Assert.Equal(run.GetProperty("billsCreated").GetInt32(), root.GetProperty("bills").GetArrayLength());
        var gl = root.GetProperty("byGlAccount").EnumerateArray().ToList();
        Assert.Equal(gl.Sum(g => g.GetProperty("debitCents").GetInt64()), gl.Sum(g => g.GetProperty("creditCents").GetInt64()));
        Assert.Equal(run.GetProperty("totalBilledCents").GetInt64(), gl.Single(g => g.GetProperty("glAccount").GetString() == "1200").GetProperty("debitCents").GetInt64());

        var csv = await auditor.GetStringAsync(new Uri($"/api/billing/runs/{runId}/register.csv", UriKind.Relative));
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("bill,account,period_start,period_end,current_charges,amount_due,due_date", lines[0].TrimEnd('\r'));
        Assert.Equal(run.GetProperty("billsCreated").GetInt32(), lines.Length - 1);

        var date = run.GetProperty("businessDate").GetString();
        using var daily = JsonDocument.Parse(await auditor.GetStringAsync(new Uri($"/api/billing/daily?date={date}", UriKind.Relative)));
        Assert.Contains(daily.RootElement.GetProperty("runs").EnumerateArray(), r => r.GetProperty("runId").GetInt64() == runId);
        var bad = await auditor.GetAsync(new Uri("/api/billing/daily?date=yesterday", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
