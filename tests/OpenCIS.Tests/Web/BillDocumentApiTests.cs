using System.Globalization;
using System.Net;
using System.Text.Json;
using OpenCIS.Core.Billing;
using PdfSharp.Pdf.IO;

namespace OpenCIS.Tests.Web;

public sealed class BillDocumentApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private async Task<(HttpClient Client, long RunId, int BillsCreated, JsonElement FirstBill)> ARunWithBillsAsync()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        using var runs = JsonDocument.Parse(await clerk.GetStringAsync(new Uri("/api/billing/runs", UriKind.Relative)));
        var run = runs.RootElement.EnumerateArray().First(r => r.GetProperty("status").GetString() == "Completed" && r.GetProperty("billsCreated").GetInt32() > 0);
        var runId = run.GetProperty("runId").GetInt64();
        using var register = JsonDocument.Parse(await clerk.GetStringAsync(new Uri($"/api/billing/runs/{runId}/register", UriKind.Relative)));
        return (clerk, runId, run.GetProperty("billsCreated").GetInt32(), register.RootElement.GetProperty("bills")[0].Clone());
    }

    [Fact]
    public async Task A_bill_as_json_carries_its_reads_its_lines_with_traces_its_summary_and_a_valid_scan_line()
    {
        var (clerk, runId, _, registered) = await ARunWithBillsAsync();
        var billId = registered.GetProperty("billId").GetInt64();

        using var json = JsonDocument.Parse(await clerk.GetStringAsync(new Uri($"/api/billing/bills/{billId}", UriKind.Relative)));
        var bill = json.RootElement;

        Assert.Equal(billId, bill.GetProperty("billId").GetInt64());
        Assert.Equal(runId, bill.GetProperty("billingRunId").GetInt64());
        Assert.Equal(registered.GetProperty("accountNumber").GetString(), bill.GetProperty("accountNumber").GetString());
        Assert.Equal(registered.GetProperty("amountDueCents").GetInt64(), bill.GetProperty("amountDueCents").GetInt64());
        Assert.False(string.IsNullOrEmpty(bill.GetProperty("customerName").GetString()));
        Assert.False(string.IsNullOrEmpty(bill.GetProperty("serviceAddress").GetProperty("line1").GetString()));
        var segments = bill.GetProperty("segments").EnumerateArray().ToList();
        Assert.Contains(segments, s => s.GetProperty("service").GetString() == "Water" && s.GetProperty("meterSerial").GetString() is not null && s.GetProperty("presentReading").ValueKind == JsonValueKind.Number);
        Assert.All(segments, s => Assert.False(string.IsNullOrEmpty(s.GetProperty("tariffName").GetString())));
        Assert.All(segments, s => Assert.False(string.IsNullOrEmpty(s.GetProperty("readsInWords").GetString())));
        var lines = segments.SelectMany(s => s.GetProperty("lines").EnumerateArray()).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Contains("=", l.GetProperty("trace").GetString(), StringComparison.Ordinal));
        Assert.Equal(bill.GetProperty("currentChargesCents").GetInt64(), lines.Sum(l => l.GetProperty("amountCents").GetInt64()));
        var scan = ScanLine.Parse(bill.GetProperty("scanLine").GetString()!);
        Assert.Equal(billId, scan.BillNumber);
        Assert.Equal(bill.GetProperty("dueDate").GetString(), scan.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.StartsWith("A late charge of", bill.GetProperty("lateChargeNotice").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bill_as_pdf_is_a_one_page_letter_document()
    {
        var (clerk, _, _, registered) = await ARunWithBillsAsync();
        var billId = registered.GetProperty("billId").GetInt64();

        var response = await clerk.GetAsync(new Uri($"/api/billing/bills/{billId}.pdf", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"bill-{registered.GetProperty("accountNumber").GetString()}-{billId}.pdf", response.Content.Headers.ContentDisposition?.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF-"u8.ToArray(), bytes[..5]);
        using var pdf = PdfReader.Open(new MemoryStream(bytes), PdfDocumentOpenMode.Import);
        Assert.Equal(1, pdf.PageCount);
        // In the account's customer's language (the demo's María reads Spanish).
        var number = registered.GetProperty("accountNumber").GetString();
        Assert.Contains(pdf.Info.Title, new[] { $"Bill {billId} for account {number}", $"Factura {billId} de la cuenta {number}" });
    }

    [Fact]
    public async Task A_runs_print_file_holds_every_bill_of_the_run_and_its_trailer_balances()
    {
        var (clerk, runId, billsCreated, _) = await ARunWithBillsAsync();

        var response = await clerk.GetAsync(new Uri($"/api/billing/runs/{runId}/print-export", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"print-run-{runId}.txt", response.Content.Headers.ContentDisposition?.FileName);
        var records = (await response.Content.ReadAsStringAsync()).Split("\r\n")[..^1].Select(r => r.Split('|')).ToList();
        Assert.Equal("H", records[0][0]);
        var trailer = records[^1];
        Assert.Equal("T", trailer[0]);
        Assert.Equal(billsCreated, records.Count(r => r[0] == "B"));
        Assert.Equal(billsCreated.ToString(CultureInfo.InvariantCulture), trailer[1]);
        Assert.Equal(records.Count.ToString(CultureInfo.InvariantCulture), trailer[2]);
        Assert.Equal(records.Where(r => r[0] == "L").Sum(r => decimal.Parse(r[6], CultureInfo.InvariantCulture)), decimal.Parse(trailer[3], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Unknown_bills_and_runs_are_404_and_a_cashier_may_not_read_bills_here()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        Assert.Equal(HttpStatusCode.NotFound, (await clerk.GetAsync(new Uri("/api/billing/bills/99999999", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clerk.GetAsync(new Uri("/api/billing/bills/99999999.pdf", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clerk.GetAsync(new Uri("/api/billing/runs/99999999/print-export", UriKind.Relative))).StatusCode);

        var cashier = await factory.SignedInClientAsync("Cashier");
        Assert.Equal(HttpStatusCode.Forbidden, (await cashier.GetAsync(new Uri("/api/billing/bills/1", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cashier.GetAsync(new Uri("/api/billing/bills/1.pdf", UriKind.Relative))).StatusCode);
    }
}
