using OpenCIS.Storage.Ledger;

namespace OpenCIS.Storage.Billing;

/// <summary>
/// What one chunk of a billing run saves: its postings (the <see cref="LedgerBatch"/>), its bills
/// with their segments and lines, and its exceptions. <c>Storage/Bulk/BillingBulkWriter</c> saves it.
/// </summary>
public sealed class BillingBatch : LedgerBatch
{
    public List<Bill> Bills { get; } = [];
    public List<BillingException> Exceptions { get; } = [];

    /// <summary>Budget plans whose bills reviewed their amount or trued them up: the new amount and next review.</summary>
    public List<BudgetPlanRow> BudgetPlans { get; } = [];
}
