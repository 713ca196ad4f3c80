using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;

namespace OpenCIS.Storage.Payments;

/// <summary>Why a payment from a file could not be posted to the account it names.</summary>
public enum SuspenseReason
{
    UnknownAccount,
    NotAnAccountNumber,
    ClosedAccount,
    CashOnly,
}

public enum SuspenseStatus
{
    Open,
    Resolved,
    Returned,
}

/// <summary>
/// A payment received in a file that waits for a clerk: money the utility holds but has not
/// credited to any account. It is never deleted; a clerk resolves it by naming the right account
/// (it then posts as a payment, linked here) or returns it to the payer.
/// </summary>
public sealed class SuspenseItem
{
    public long Id { get; init; }
    public long? ImportedFileId { get; init; }

    /// <summary>The line (CSV) or physical record (BAI2) of the file the payment came from.</summary>
    public int RecordNumber { get; init; }

    /// <summary>The account number as the file wrote it.</summary>
    public string AccountReference { get; init; } = "";

    public long AmountCents { get; init; }
    public DateOnly ReceivedOn { get; init; }
    public Tender Tender { get; init; }
    public string? Reference { get; init; }
    public SuspenseReason Reason { get; init; }

    /// <summary>The reason in words, as the clerk reads it.</summary>
    public string Detail { get; init; } = "";

    public SuspenseStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    public string? ResolvedBy { get; private set; }
    public long? ResolvedAccountId { get; private set; }
    public long? PaymentId { get; private set; }
    public string? ResolutionNote { get; private set; }

    public Money Amount => Money.FromCents(AmountCents);

    internal void Resolve(long accountId, long paymentId, DateTimeOffset at, string by, string? note)
    {
        RequireOpen();
        Status = SuspenseStatus.Resolved;
        ResolvedAccountId = accountId;
        PaymentId = paymentId;
        ResolvedAt = at;
        ResolvedBy = by;
        ResolutionNote = note;
    }

    internal void Return(DateTimeOffset at, string by, string note)
    {
        RequireOpen();
        Status = SuspenseStatus.Returned;
        ResolvedAt = at;
        ResolvedBy = by;
        ResolutionNote = note;
    }

    internal void RequireOpen()
    {
        if (Status != SuspenseStatus.Open)
        {
            throw new DomainException($"Suspense item {Id} was already {Status.ToString().ToLowerInvariant()} by {ResolvedBy} on {ResolvedAt:yyyy-MM-dd}.", "id");
        }
    }
}

/// <summary>One chunk of a file that posted, with the lines it covered, written in the chunk's transaction.</summary>
public sealed class ImportedFileChunk
{
    public long ImportedFileId { get; init; }
    public int FirstRecord { get; init; }
    public int LastRecord { get; init; }
    public int PaymentCount { get; init; }
    public int SuspenseCount { get; init; }
    public long PostedCents { get; init; }
    public DateTimeOffset PostedAt { get; init; }
}
