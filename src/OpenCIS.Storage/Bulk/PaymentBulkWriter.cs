using OpenCIS.Core.Payments;
using OpenCIS.Storage.Payments;

namespace OpenCIS.Storage.Bulk;

/// <summary>Saves a <see cref="PaymentBatch"/> inside the caller's transaction: its postings, then its payments.</summary>
internal static class PaymentBulkWriter
{
    public static async Task WriteAsync(OpenCisDbContext db, PaymentBatch batch, CancellationToken cancellationToken)
    {
        var (connection, _, ids) = await LedgerBulkWriter.WriteAsync(db, batch, [("payments", batch.Payments.Count)], cancellationToken);
        LedgerBulkWriter.Assign(batch.Payments, ids[0], (p, id) => p.Id = id);
        await BulkInsert.WriteAsync(connection, Payments, batch.Payments, cancellationToken);
    }

    /// <summary>
    /// Every column of the row, the drawer and change due included: today only files and the demo seed
    /// post in bulk and leave them null, but a <see cref="Payment"/> can carry them, and a payment
    /// written here must read back the same as one EF Core saved.
    /// </summary>
    internal static readonly BulkTable<Payment> Payments = new("payments",
        ["id", "account_id", "amount_cents", "tender", "source", "reference", "received_on", "received_at", "cashier", "financial_transaction_id", "imported_file_id", "idempotency_key", "request_fingerprint",
            "drawer_session_id", "change_due_cents"],
        (w, p) =>
        {
            w.Int64(p.Id);
            w.Int64(p.AccountId);
            w.Int64(p.AmountCents);
            w.Utf8(EnumUtf8<Tender>.Of(p.Tender));
            w.Utf8(EnumUtf8<PaymentSource>.Of(p.Source));
            w.Text(p.Reference);
            w.Date(p.ReceivedOn);
            w.Timestamp(p.ReceivedAt);
            w.Text(p.Cashier);
            w.Int64(p.Transaction?.Id ?? p.FinancialTransactionId);
            w.Int64(p.ImportedFileId);
            w.Text(p.IdempotencyKey);
            w.Text(p.RequestFingerprint);
            w.Int64(p.DrawerSessionId);
            w.Int64(p.ChangeDueCents);
        });
}
