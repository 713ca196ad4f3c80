using OpenCIS.Storage.Ledger;

namespace OpenCIS.Storage.Payments;

/// <summary>A batch of payments and their postings for one bulk write.</summary>
public sealed class PaymentBatch : LedgerBatch
{
    public List<Payment> Payments { get; } = [];
}
