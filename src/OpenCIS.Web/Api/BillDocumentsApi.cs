using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

/// <summary>Bills as documents: the explanation as JSON, the PDF, and a run's print-vendor file.</summary>
public static class BillDocumentsApi
{
    public static void Map(RouteGroupBuilder billing)
    {
        billing.MapGet("/bills/{billId:long}", async Task<Results<Ok<BillDocument>, NotFound>> (long billId, BillDocuments documents, CancellationToken cancellationToken) =>
                await documents.LoadAsync(billId, cancellationToken) is { } bill ? TypedResults.Ok(bill) : TypedResults.NotFound())
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("One bill as printed: addresses, period, reads and usage, every line with its calculation trace, the account summary, due date, late-charge notice and scan line.");

        billing.MapGet("/bills/{billId:long}.pdf", async Task<Results<FileContentHttpResult, NotFound>> (long billId, BillDocuments documents, CancellationToken cancellationToken) =>
                await documents.LoadAsync(billId, cancellationToken) is { } bill
                    ? TypedResults.File(BillPdf.Render(bill).Pdf, "application/pdf", $"bill-{bill.AccountNumber}-{bill.BillId}.pdf")
                    : TypedResults.NotFound())
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("One bill as a PDF (US Letter, with the remittance stub and its scan line).");

        billing.MapGet("/runs/{runId:long}/print-export", async Task<Results<PushStreamHttpResult, NotFound>> (long runId, BillingQueries queries, BillPrintExport export, CancellationToken cancellationToken) =>
                await queries.RunAsync(runId, cancellationToken) is null
                    ? TypedResults.NotFound()
                    : TypedResults.Stream(
                        async body =>
                        {
                            await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024);
                            await export.WriteAsync(runId, writer, cancellationToken);
                        },
                        "text/plain; charset=utf-8",
                        $"print-run-{runId}.txt"))
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("A billing run's print-vendor file (docs/print-export.md): header, bill, service, line and payment records, and a trailer with counts and totals; streamed.");
    }
}
