namespace OpenCIS.Storage.Ledger;

/// <summary>
/// Postings gathered for one bulk write: transactions with their GL lines, new open items,
/// allocations, and loaded open items whose open amount changed. The ledger's own posting code
/// fills it through <see cref="ILedgerWriter"/>; <c>Storage/Bulk/LedgerBulkWriter</c> saves it
/// past EF Core. Batch workflows (billing runs, payment batches) add their own rows beside it.
/// </summary>
public class LedgerBatch : ILedgerWriter
{
    public List<FinancialTransaction> Transactions { get; } = [];
    public List<OpenItem> NewItems { get; } = [];
    public List<ItemAllocation> Allocations { get; } = [];
    public HashSet<OpenItem> ChangedItems { get; } = new(ReferenceEqualityComparer.Instance);

    public void Add(FinancialTransaction transaction) => Transactions.Add(transaction);

    public void Add(OpenItem item) => NewItems.Add(item);

    public void Add(ItemAllocation allocation) => Allocations.Add(allocation);

    public void Changed(OpenItem item) => ChangedItems.Add(item);
}
