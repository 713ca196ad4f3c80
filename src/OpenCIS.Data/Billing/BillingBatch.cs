using OpenCIS.Data.Ledger;

namespace OpenCIS.Data.Billing;

/// <summary>
/// What one chunk of a billing run saves: its bills with their segments and lines, the postings
/// (transactions, GL lines, open items, allocations), loaded open items whose open amount changed,
/// and the exceptions. Postings arrive through <see cref="ILedgerWriter"/>, so the ledger's own
/// posting code fills it; <c>Storage/Bulk/BillingBulkWriter</c> saves it past EF Core.
/// </summary>
public sealed class BillingBatch : ILedgerWriter
{
    public List<FinancialTransaction> Transactions { get; } = [];
    public List<OpenItem> NewItems { get; } = [];
    public List<ItemAllocation> Allocations { get; } = [];
    public HashSet<OpenItem> ChangedItems { get; } = new(ReferenceEqualityComparer.Instance);
    public List<Bill> Bills { get; } = [];
    public List<BillingException> Exceptions { get; } = [];

    public void Add(FinancialTransaction transaction) => Transactions.Add(transaction);

    public void Add(OpenItem item) => NewItems.Add(item);

    public void Add(ItemAllocation allocation) => Allocations.Add(allocation);

    public void Changed(OpenItem item) => ChangedItems.Add(item);
}
