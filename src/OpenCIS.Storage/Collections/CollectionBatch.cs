using OpenCIS.Storage.Ledger;

namespace OpenCIS.Storage.Collections;

/// <summary>
/// What one chunk of the daily collections run saves: its postings (late charges and fees, the
/// <see cref="LedgerBatch"/>), the day's events of each account (each late charge or fee with the
/// transaction that posted it), and each account's new standing, which replaces its old one.
/// <c>Storage/Bulk/CollectionsBulkWriter</c> saves it.
/// </summary>
public sealed class CollectionBatch : LedgerBatch
{
    public List<(CollectionEventRecord Event, FinancialTransaction? Posting)> Events { get; } = [];
    public List<AccountCollection> Standings { get; } = [];

    /// <summary>Arrangements the day broke or completed: their new stage, the day and why.</summary>
    public List<(long ArrangementId, ArrangementStage Stage, DateOnly On, string Reason)> Arrangements { get; } = [];

    /// <summary>Promises the day decided: kept or broken.</summary>
    public List<(long PromiseId, PromiseStatus Status, DateOnly On)> Promises { get; } = [];
}
