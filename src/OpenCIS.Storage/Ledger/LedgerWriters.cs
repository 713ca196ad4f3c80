namespace OpenCIS.Storage.Ledger;

/// <summary>Where a posting's new rows go: EF Core's unit of work, or a batch that a bulk writer saves.</summary>
public interface ILedgerWriter
{
    void Add(FinancialTransaction transaction);

    void Add(OpenItem item);

    void Add(ItemAllocation allocation);

    /// <summary>An open item loaded from the database whose open amount a posting changed.</summary>
    void Changed(OpenItem item);
}

/// <summary>Adds the rows to EF Core's unit of work; loaded items are tracked, so their changes save themselves.</summary>
internal sealed class EfLedgerWriter(OpenCisDbContext db) : ILedgerWriter
{
    public void Add(FinancialTransaction transaction) => db.FinancialTransactions.Add(transaction);

    public void Add(OpenItem item) => db.OpenItems.Add(item);

    public void Add(ItemAllocation allocation) => db.ItemAllocations.Add(allocation);

    public void Changed(OpenItem item)
    {
    }
}
