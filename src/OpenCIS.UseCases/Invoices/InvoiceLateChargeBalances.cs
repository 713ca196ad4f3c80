using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Invoices;

/// <summary>
/// What is still open of invoices' late charges, by invoice: what a statement or a policy notice asks for beyond the
/// invoice itself. One query over the open items (through their partial index), shared by the day's invoice
/// collections and the statement run so both ask for the same amount.
/// </summary>
internal static class InvoiceLateChargeBalances
{
    public static async Task<Dictionary<long, long>> OpenByInvoiceAsync(OpenCisDbContext db, CancellationToken cancellationToken) =>
        await (from l in db.InvoiceLateCharges.AsNoTracking()
               join o in db.OpenItems on new { l.AccountId, l.FinancialTransactionId } equals new { o.AccountId, o.FinancialTransactionId }
               where o.OpenCents != 0
               group o.OpenCents by l.InvoiceId into g
               select new { InvoiceId = g.Key, Open = g.Sum() })
            .ToDictionaryAsync(x => x.InvoiceId, x => x.Open, cancellationToken);
}
