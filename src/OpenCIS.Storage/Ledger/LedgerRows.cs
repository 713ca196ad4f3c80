using OpenCIS.Core.Billing;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Storage.Ledger;

/// <summary>
/// The only way money moves on an account. Never updated or deleted: a correction is a new
/// transaction whose <see cref="ReversesTransactionId"/> points at the one it undoes.
/// </summary>
public sealed class FinancialTransaction
{
    public long Id { get; internal set; }
    public long AccountId { get; init; }
    public FinancialTransactionType Type { get; init; }

    /// <summary>Effect on the customer's balance: positive raises what they owe.</summary>
    public long AmountCents { get; init; }

    public DateOnly EffectiveOn { get; init; }
    public DateTimeOffset PostedAt { get; init; }
    public string PostedBy { get; init; } = "";
    public string? Reason { get; init; }
    public long? ReversesTransactionId { get; init; }

    /// <summary>The account balance right after this posting; with <see cref="AmountCents"/> it gives the before and after of the audit trail.</summary>
    public long BalanceAfterCents { get; init; }

    public List<GlEntry> GlEntries { get; init; } = [];
}

/// <summary>One journal line of a transaction. The lines of each transaction balance.</summary>
public sealed class GlEntry
{
    public long Id { get; internal set; }
    public long FinancialTransactionId { get; init; }
    public string GlAccount { get; init; } = "";
    public long DebitCents { get; init; }
    public long CreditCents { get; init; }
    public DateOnly EffectiveOn { get; init; }
}

/// <summary>
/// A charge with a due date, or a credit waiting to be applied. <see cref="OpenCents"/> is the part
/// not yet settled: it is derived from the allocations and kept here, updated in the same database
/// transaction as they are, so balances and aging need no aggregation over history.
/// </summary>
public sealed class OpenItem
{
    public long Id { get; internal set; }
    public long AccountId { get; init; }
    public long FinancialTransactionId { get; init; }
    public Service? Service { get; init; }
    public DateOnly PostedOn { get; init; }
    public DateOnly DueOn { get; init; }
    public int Priority { get; init; }
    public long AmountCents { get; init; }
    public long OpenCents { get; private set; }

    public static OpenItem For(long accountId, FinancialTransaction transaction, Service? service, DateOnly dueOn, long amountCents, int priority = 100) =>
        new()
        {
            AccountId = accountId,
            FinancialTransactionId = transaction.Id,
            Transaction = transaction,
            Service = service,
            PostedOn = transaction.EffectiveOn,
            DueOn = dueOn,
            Priority = priority,
            AmountCents = amountCents,
            OpenCents = amountCents,
        };

    /// <summary>An item read by a batch, untracked: a bulk writer saves its open amount if a posting settles it.</summary>
    internal static OpenItem Loaded(long id, long accountId, long transactionId, Service? service, DateOnly postedOn, DateOnly dueOn, int priority, long amountCents, long openCents) =>
        new()
        {
            Id = id,
            AccountId = accountId,
            FinancialTransactionId = transactionId,
            Service = service,
            PostedOn = postedOn,
            DueOn = dueOn,
            Priority = priority,
            AmountCents = amountCents,
            OpenCents = openCents,
        };

    public FinancialTransaction? Transaction { get; private set; }

    /// <summary>Settles part of this item; a charge moves down toward zero, a credit up toward zero, never past it.</summary>
    public void Settle(long cents)
    {
        if (cents <= 0 || cents > Math.Abs(OpenCents))
        {
            throw new InvalidOperationException($"Cannot settle {cents} cents of open item {Id}, which has {OpenCents} open.");
        }

        OpenCents = OpenCents > 0 ? OpenCents - cents : OpenCents + cents;
    }
}

/// <summary>A credit applied to a charge.</summary>
public sealed class ItemAllocation
{
    public long Id { get; internal set; }
    public long ChargeItemId { get; init; }
    public long CreditItemId { get; init; }
    public long AmountCents { get; init; }
    public DateTimeOffset AllocatedAt { get; init; }

    /// <summary>
    /// The business date the application took effect: the later of the two items' posting dates (the
    /// posting of the later one made it). Aging as of an earlier date undoes it; indexed so that only
    /// the applications after such a date are read.
    /// </summary>
    public DateOnly EffectiveOn { get; init; }

    /// <summary>The charge's posting date, kept here so aging as of a date knows which side was there on it without reading both items.</summary>
    public DateOnly ChargePostedOn { get; init; }

    /// <summary>The credit's posting date (see <see cref="ChargePostedOn"/>).</summary>
    public DateOnly CreditPostedOn { get; init; }
    public OpenItem? ChargeItem { get; init; }
    public OpenItem? CreditItem { get; init; }
}
