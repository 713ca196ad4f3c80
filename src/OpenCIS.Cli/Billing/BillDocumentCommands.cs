using System.CommandLine;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using Spectre.Console;

namespace OpenCIS.Cli.Billing;

/// <summary><c>opencis bill pdf</c> and <c>opencis bill export</c>: bills as documents, for one account or a whole run.</summary>
public static class BillDocumentCommands
{
    public static void AddTo(CliHost host)
    {
        var bill = host.Group("bill", "Billing.");
        var console = host.Console;
        Func<Func<IServiceProvider, Task<int>>, Task<int>> withServices = host.WithServices;
        var billOption = new Option<long?>("--bill") { Description = "The bill's number" };
        var accountOption = new Option<string?>("--account") { Description = "An account number: its latest bill" };
        var pdfOutOption = new Option<FileInfo>("--out") { Description = "Write the PDF here", Required = true };
        var pdf = new Command("pdf", "Render one bill as a PDF: --bill N, or --account NUMBER for the account's latest bill.") { billOption, accountOption, pdfOutOption };
        pdf.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var documents = services.GetRequiredService<BillDocuments>();
            var billId = (parse.GetValue(billOption), parse.GetValue(accountOption)) switch
            {
                ({ } id, null) => id,
                (null, { } account) => await documents.LatestBillIdAsync(account, cancellationToken)
                    ?? throw new DomainException($"Account {account} has no issued bill (or there is no such account).", "--account"),
                _ => throw new DomainException("Give either --bill or --account.", "--bill"),
            };
            var document = await documents.LoadAsync(billId, cancellationToken)
                ?? throw new DomainException($"There is no bill {billId}.", "--bill");
            var rendered = BillPdf.Render(document);
            var file = parse.GetValue(pdfOutOption)!;
            await File.WriteAllBytesAsync(file.FullName, rendered.Pdf, cancellationToken);
            console.WriteLine($"Wrote bill {document.BillId} of account {document.AccountNumber} ({Money.FromCents(document.AmountDueCents)} due {document.DueDate:yyyy-MM-dd}, {rendered.Pages} page(s)) to {file.FullName}.");
            return CliApp.Ok;
        }));
        bill.Add(pdf);

        var runOption = new Option<long>("--run") { Description = "The billing run's number", Required = true };
        var exportOutOption = new Option<FileInfo>("--out") { Description = "Write the print-vendor file here", Required = true };
        var export = new Command("export", "Write a billing run's print-vendor file (layout: docs/print-export.md), a chunk of bills at a time.") { runOption, exportOutOption };
        export.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var runId = parse.GetValue(runOption);
            var file = parse.GetValue(exportOutOption)!;
            var temporary = file.FullName + ".partial";
            PrintExportSummary? summary;
            await using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024))
            {
                summary = await services.GetRequiredService<BillPrintExport>().WriteAsync(runId, writer, cancellationToken);
            }

            if (summary is null)
            {
                File.Delete(temporary);
                throw new DomainException($"There is no billing run {runId}.", "--run");
            }

            // A vendor picking up files from a folder never sees half of one.
            File.Move(temporary, file.FullName, overwrite: true);
            console.WriteLine($"Wrote {summary.Bills:N0} bills of run #{runId} in {summary.Records:N0} records to {file.FullName}: current charges {Money.FromCents(summary.CurrentChargesCents)}, amount due {Money.FromCents(summary.AmountDueCents)}."
                + (summary.HeldForReturnedMail > 0 ? $" {summary.HeldForReturnedMail:N0} held back: mail came back from the address on file." : ""));
            return CliApp.Ok;
        }));
        bill.Add(export);
    }
}
