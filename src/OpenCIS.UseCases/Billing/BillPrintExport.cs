using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;

namespace OpenCIS.UseCases.Billing;

/// <summary>
/// What a print-vendor file held: the trailer's counts and totals, for balancing against the run; and the bills held
/// back because mail came back from the customer's address (<see cref="BillDocument.MailReturned"/>).
/// </summary>
public sealed record PrintExportSummary(long RunId, int Bills, int Records, long CurrentChargesCents, long AmountDueCents, long AmountToPayCents, int HeldForReturnedMail = 0, int Paperless = 0);

/// <summary>
/// The print-vendor (mail house) file of a billing run: pipe-delimited records, a header, then per
/// bill a B record followed by its S (service), R (removed meter), L (charge line), P (payment or
/// adjustment) and M (bill message) records, and a trailer with counts and totals the vendor balances against. The layout
/// is in docs/print-export.md; <see cref="FormatVersion"/> changes whenever it does. Bills are loaded
/// and written <see cref="BillDocuments.MaxBillsPerLoad"/> at a time, so a run of any size is
/// streamed in bounded memory. Canceled bills are not printed, nor bills to a customer whose mail came back from the
/// address on file: printing them would only send them back again; they print once the address is corrected. Nor are a
/// paperless account's bills, which go by e-mail (<see cref="Portal.EBills"/>).
/// </summary>
public sealed class BillPrintExport(OpenCisDbContext db, BillDocuments documents)
{
    public const string FormatVersion = "2";
    public const string LineEnding = "\r\n";

    /// <summary>Bills loaded and written together; the file is the same whatever the size.</summary>
    public int ChunkSize { get; set; } = BillDocuments.MaxBillsPerLoad;

    /// <summary>Writes the run's file; null (and nothing written) when there is no such run.</summary>
    public async Task<PrintExportSummary?> WriteAsync(long runId, TextWriter writer, CancellationToken cancellationToken = default)
    {
        var run = await db.BillingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            return null;
        }

        var utility = documents.Settings.UtilityName;
        var records = 0;
        var bills = 0;
        long currentCharges = 0, amountDue = 0, amountToPay = 0;
        var held = 0;
        var paperless = 0;

        async Task Write(params object?[] fields)
        {
            await writer.WriteAsync(string.Join('|', fields.Select(Field)) + LineEnding);
            records++;
        }

        await Write("H", FormatVersion, "OPENCIS-BILLS", run.Id, run.CycleCode, run.BusinessDate, utility);
        await foreach (var chunk in documents.ForRunAsync(runId, ChunkSize, cancellationToken))
        {
            foreach (var bill in chunk.Where(b => b.Status == nameof(BillStatus.Issued)))
            {
                if (bill.MailReturned)
                {
                    held++;
                    continue;
                }

                if (bill.Paperless)
                {
                    // E-mailed to the customer (EBills) instead of printed.
                    paperless++;
                    continue;
                }

                bills++;
                currentCharges = checked(currentCharges + bill.CurrentChargesCents);
                amountDue = checked(amountDue + bill.AmountDueCents);
                amountToPay = checked(amountToPay + bill.AmountToPayCents);
                await Write(
                    "B", bill.BillId, bill.AccountNumber, bill.CustomerName,
                    bill.MailingAddress.Line1, bill.MailingAddress.City, bill.MailingAddress.State, bill.MailingAddress.Zip,
                    bill.ServiceAddress.Line1, bill.ServiceAddress.City, bill.ServiceAddress.State, bill.ServiceAddress.Zip,
                    bill.BillDate, bill.PeriodStart, bill.PeriodEnd, bill.DueDate,
                    Money.FromCents(bill.PreviousBalanceCents), Money.FromCents(bill.PaymentsCents), Money.FromCents(bill.AdjustmentsCents),
                    Money.FromCents(bill.CurrentChargesCents), Money.FromCents(bill.AmountDueCents), Money.FromCents(bill.AmountToPayCents),
                    bill.ScanLine, bill.LateChargeNotice);
                if (bill.Budget is { } budget)
                {
                    await Write("G", bill.BillId, Money.FromCents(budget.BudgetAmountCents), Money.FromCents(budget.SummaryCents), Money.FromCents(budget.DeferredBalanceCents),
                        budget.TrueUp ? "Y" : "N", budget.SummaryLabel);
                }

                var segmentNumber = 0;
                foreach (var segment in bill.Segments)
                {
                    segmentNumber++;
                    await Write(
                        "S", bill.BillId, segmentNumber, segment.Service, segment.TariffCode, segment.TariffName, segment.MeterSerial,
                        segment.PreviousReading, segment.PreviousReadOn, segment.PresentReading, segment.PresentReadOn,
                        segment.MeterSerial is null ? null : segment.PresentReadEstimated ? "E" : "A",
                        segment.Multiplier, segment.UsageQuantity, segment.UsageUnit, Money.FromCents(segment.AmountCents));
                    foreach (var removed in segment.RemovedMeters)
                    {
                        await Write("R", bill.BillId, segmentNumber, removed.MeterSerial, removed.PreviousReading, removed.PreviousReadOn, removed.FinalReading, removed.RemovedOn, removed.Multiplier);
                    }

                    foreach (var line in segment.Lines)
                    {
                        await Write("L", bill.BillId, segmentNumber, line.Sequence, line.Code, line.Description, Money.FromCents(line.AmountCents), line.Trace);
                    }
                }

                foreach (var item in bill.ActivitySinceLastBill)
                {
                    await Write("P", bill.BillId, item.EffectiveOn, item.Type, item.Description, Money.FromCents(item.AmountCents));
                }

                for (var message = 0; message < bill.Messages.Count; message++)
                {
                    await Write("M", bill.BillId, message + 1, bill.Messages[message]);
                }
            }

            await writer.FlushAsync(cancellationToken);
        }

        // The trailer counts every record of the file, itself included.
        await Write("T", bills, records + 1, Money.FromCents(currentCharges), Money.FromCents(amountDue), Money.FromCents(amountToPay));
        await writer.FlushAsync(cancellationToken);
        return new PrintExportSummary(runId, bills, records, currentCharges, amountDue, amountToPay, held, paperless);
    }

    /// <summary>One field: dates as YYYY-MM-DD, amounts as dollars with two decimals, text without the delimiter or line breaks.</summary>
    private static string Field(object? value) => value switch
    {
        null => "",
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Money money => money.ToPlainString(),
        decimal number => number.ToString("0.######", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => (value.ToString() ?? "").Replace('|', '/').Replace('\r', ' ').Replace('\n', ' '),
    };
}
