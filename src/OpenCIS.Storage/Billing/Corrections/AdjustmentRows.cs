using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;

namespace OpenCIS.Storage.Billing.Corrections;

public enum AdjustmentStatus
{
    Pending,
    Posted,
    Rejected,
}

/// <summary>
/// A requested adjustment with its reason code. Small ones post at once; ones above the approval
/// threshold wait as Pending for a Supervisor. The money moves only through the financial
/// transaction it posts (<see cref="FinancialTransactionId"/>); this row records the request and its decision.
/// </summary>
public sealed class AccountAdjustment
{
    public long Id { get; init; }
    public long AccountId { get; init; }
    public long? BillId { get; init; }
    public string ReasonCode { get; init; } = "";

    /// <summary>Effect on the customer's balance: negative is a credit.</summary>
    public long AmountCents { get; init; }

    public string Note { get; init; } = "";

    /// <summary>How the amount was worked out, line by line (a leak allowance's calculation).</summary>
    public string? Calculation { get; init; }

    public AdjustmentStatus Status { get; private set; }
    public string RequestedBy { get; init; } = "";
    public DateTimeOffset RequestedAt { get; init; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecisionNote { get; private set; }
    public long? FinancialTransactionId { get; private set; }
    public string? IdempotencyKey { get; init; }
    public string? RequestFingerprint { get; init; }

    /// <summary>The key of the request, its requester's own.</summary>
    public static KeyColumns<AccountAdjustment> RequestKey { get; } = new(a => a.RequestedBy, a => a.IdempotencyKey);

    public static AccountAdjustment Request(long accountId, long? billId, AdjustmentReason reason, Money amountOnAccount, string note, string? calculation, string user, DateTimeOffset at, RequestKey? key, string fingerprint) =>
        new()
        {
            AccountId = accountId,
            BillId = billId,
            ReasonCode = reason.Code,
            AmountCents = amountOnAccount.Cents,
            Note = note.Trim(),
            Calculation = calculation,
            Status = AdjustmentStatus.Pending,
            RequestedBy = user,
            RequestedAt = at,
            IdempotencyKey = Idempotency.KeyFor(key, user),
            RequestFingerprint = fingerprint,
        };

    public void MarkPosted(long transactionId, string decidedBy, DateTimeOffset at, string? note)
    {
        EnsurePending();
        Status = AdjustmentStatus.Posted;
        FinancialTransactionId = transactionId;
        DecidedBy = decidedBy;
        DecidedAt = at;
        DecisionNote = note;
    }

    public void Reject(string decidedBy, DateTimeOffset at, string reason)
    {
        EnsurePending();
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("Say why the adjustment is rejected.", "reason");
        }

        Status = AdjustmentStatus.Rejected;
        DecidedBy = decidedBy;
        DecidedAt = at;
        DecisionNote = reason.Trim();
    }

    private void EnsurePending()
    {
        if (Status != AdjustmentStatus.Pending)
        {
            throw new DomainException($"Adjustment {Id} is already {Status.ToString().ToLowerInvariant()}" + (DecidedBy is null ? "." : $" by {DecidedBy}."), "adjustmentId");
        }
    }
}
