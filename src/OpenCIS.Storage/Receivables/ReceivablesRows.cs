using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Receivables;

namespace OpenCIS.Storage.Receivables;

public enum RefundStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>
/// A request to pay out an account's credit balance, by check to the customer's mailing address or by
/// ACH credit to the account's enrolled bank account. It moves no money until a Supervisor other than
/// the requester approves it; the approval posts the refund (<see cref="FinancialTransactionId"/>) and
/// puts it on the refund register that accounts payable works from.
/// </summary>
public sealed class Refund
{
    public long Id { get; init; }
    public long AccountId { get; init; }
    public long AmountCents { get; init; }
    public RefundMethod Method { get; init; }

    /// <summary>Who the check is made out to (the main customer), or the bank account's holder for ACH.</summary>
    public string PayeeName { get; init; } = "";

    public string? MailingLine1 { get; init; }
    public string? MailingCity { get; init; }
    public string? MailingState { get; init; }
    public string? MailingZip { get; init; }
    public long? AchEnrollmentId { get; init; }
    public string Note { get; init; } = "";
    public RefundStatus Status { get; private set; }
    public string RequestedBy { get; init; } = "";
    public DateTimeOffset RequestedAt { get; init; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>The business date of the approval: the refund register's date.</summary>
    public DateOnly? DecidedOn { get; private set; }

    public string? DecisionNote { get; private set; }
    public long? FinancialTransactionId { get; private set; }
    public string? IdempotencyKey { get; init; }
    public string? RequestFingerprint { get; init; }
    public string? DecisionIdempotencyKey { get; private set; }

    /// <summary>The key of the request for the refund, its requester's own.</summary>
    public static KeyColumns<Refund> RequestKey { get; } = new(r => r.RequestedBy, r => r.IdempotencyKey);

    /// <summary>The key of the approval or rejection, the deciding Supervisor's own.</summary>
    public static KeyColumns<Refund> DecisionKey { get; } = new(r => r.DecidedBy, r => r.DecisionIdempotencyKey);

    /// <summary>An ACH refund: the settlement date of the ACH file that credited it to the customer's bank.</summary>
    public DateOnly? SentOn { get; private set; }

    /// <summary>An ACH refund: the RefundPaid transaction that settled refunds payable from cash when it went out.</summary>
    public long? PaidTransactionId { get; private set; }

    /// <summary>An ACH refund the customer's bank returned: the date the credit came back to the account.</summary>
    public DateOnly? ReturnedOn { get; private set; }

    public void MarkSent(DateOnly on, long paidTransactionId)
    {
        if (Status != RefundStatus.Approved || Method != RefundMethod.Ach || SentOn is not null)
        {
            throw new InvalidOperationException($"Refund {Id} is {Status}, {Method}{(SentOn is { } sent ? $", sent {sent:yyyy-MM-dd}" : "")}: it cannot go out by ACH.");
        }

        SentOn = on;
        PaidTransactionId = paidTransactionId;
    }

    public void MarkReturned(DateOnly on)
    {
        if (SentOn is null || ReturnedOn is not null)
        {
            throw new InvalidOperationException($"Refund {Id} was not sent by ACH, or was already returned.");
        }

        ReturnedOn = on;
    }

    public void Approve(long transactionId, string decidedBy, DateTimeOffset at, DateOnly on, string? note, RequestKey? key)
    {
        EnsurePending();
        Status = RefundStatus.Approved;
        FinancialTransactionId = transactionId;
        DecidedBy = decidedBy;
        DecidedAt = at;
        DecidedOn = on;
        DecisionNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        DecisionIdempotencyKey = Idempotency.KeyFor(key, decidedBy);
    }

    public void Reject(string decidedBy, DateTimeOffset at, DateOnly on, string reason, RequestKey? key)
    {
        EnsurePending();
        Status = RefundStatus.Rejected;
        DecidedBy = decidedBy;
        DecidedAt = at;
        DecidedOn = on;
        DecisionNote = ReceivablesRules.RequireReason(reason);
        DecisionIdempotencyKey = Idempotency.KeyFor(key, decidedBy);
    }

    private void EnsurePending()
    {
        if (Status != RefundStatus.Pending)
        {
            throw new DomainException($"Refund {Id} is already {Status.ToString().ToLowerInvariant()}" + (DecidedBy is null ? "." : $" by {DecidedBy}."), "refundId");
        }
    }
}

/// <summary>
/// An account's whole open balance moved to another account of the same customer: two balance-transfer
/// transactions (out of the one, into the other) posted together through the clearing account.
/// </summary>
public sealed class BalanceTransfer
{
    public long Id { get; init; }
    public long FromAccountId { get; init; }
    public long ToAccountId { get; init; }

    /// <summary>The balance moved, as it stood on the account it left: positive owed, negative a credit.</summary>
    public long AmountCents { get; init; }

    public string Reason { get; init; } = "";
    public long OutTransactionId { get; init; }
    public long InTransactionId { get; init; }
    public string TransferredBy { get; init; } = "";
    public DateTimeOffset TransferredAt { get; init; }
    public string? IdempotencyKey { get; init; }
    public string? RequestFingerprint { get; init; }

    public static KeyColumns<BalanceTransfer> RequestKey { get; } = new(t => t.TransferredBy, t => t.IdempotencyKey);
}

/// <summary>
/// An amount written off as uncollectible, with its reason code; reversed (the debt put back) when it is
/// collected after all. The money moves only through the transactions it links to.
/// </summary>
public sealed class WriteOff
{
    public long Id { get; init; }
    public long AccountId { get; init; }
    public long AmountCents { get; init; }
    public string ReasonCode { get; init; } = "";
    public string Note { get; init; } = "";
    public long FinancialTransactionId { get; init; }
    public string WrittenOffBy { get; init; } = "";
    public DateTimeOffset WrittenOffAt { get; init; }
    public string? IdempotencyKey { get; init; }
    public string? RequestFingerprint { get; init; }
    public long? ReversalTransactionId { get; private set; }
    public string? ReversedBy { get; private set; }
    public DateTimeOffset? ReversedAt { get; private set; }
    public string? ReversalReason { get; private set; }
    public string? ReversalIdempotencyKey { get; private set; }

    /// <summary>The key of the request that wrote the amount off, its writer's own.</summary>
    public static KeyColumns<WriteOff> RequestKey { get; } = new(w => w.WrittenOffBy, w => w.IdempotencyKey);

    /// <summary>The key of the reversal, its reverser's own.</summary>
    public static KeyColumns<WriteOff> ReversalKey { get; } = new(w => w.ReversedBy, w => w.ReversalIdempotencyKey);

    public void EnsureNotReversed()
    {
        if (ReversalTransactionId is not null)
        {
            throw new DomainException($"Write-off {Id} was already reversed by {ReversedBy} on {ReversedAt:yyyy-MM-dd}.", "writeOffId");
        }
    }

    public void MarkReversed(long transactionId, string user, DateTimeOffset at, string reason, RequestKey? key)
    {
        EnsureNotReversed();
        ReversalTransactionId = transactionId;
        ReversedBy = user;
        ReversedAt = at;
        ReversalReason = reason;
        ReversalIdempotencyKey = Idempotency.KeyFor(key, user);
    }
}

/// <summary>The mappings of the receivables rows, called from <c>OpenCisDbContext.OnModelCreating</c>.</summary>
internal static class ReceivablesModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<Refund>(e =>
        {
            e.ToTable("refunds");
            e.Property(x => x.Method).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.PayeeName).HasMaxLength(200);
            e.Property(x => x.RequestedBy).HasMaxLength(100);
            e.Property(x => x.DecidedBy).HasMaxLength(100);
            e.Property(x => x.IdempotencyKey).HasMaxLength(100);
            e.Property(x => x.DecisionIdempotencyKey).HasMaxLength(100);
            e.Property(x => x.RequestFingerprint).HasMaxLength(64);
            e.HasIndex(Refund.RequestKey.PropertyNames).IsUnique();
            e.HasIndex(Refund.DecisionKey.PropertyNames).IsUnique();
            e.HasIndex(x => x.AccountId);
            e.HasIndex(x => new { x.Status, x.DecidedOn });
        });
        builder.Entity<BalanceTransfer>(e =>
        {
            e.ToTable("balance_transfers");
            e.Property(x => x.TransferredBy).HasMaxLength(100);
            e.Property(x => x.IdempotencyKey).HasMaxLength(100);
            e.Property(x => x.RequestFingerprint).HasMaxLength(64);
            e.HasIndex(BalanceTransfer.RequestKey.PropertyNames).IsUnique();
            e.HasIndex(x => x.FromAccountId);
            e.HasIndex(x => x.ToAccountId);
        });
        builder.Entity<WriteOff>(e =>
        {
            e.ToTable("write_offs");
            e.Property(x => x.ReasonCode).HasMaxLength(30);
            e.Property(x => x.WrittenOffBy).HasMaxLength(100);
            e.Property(x => x.ReversedBy).HasMaxLength(100);
            e.Property(x => x.IdempotencyKey).HasMaxLength(100);
            e.Property(x => x.ReversalIdempotencyKey).HasMaxLength(100);
            e.Property(x => x.RequestFingerprint).HasMaxLength(64);
            e.HasIndex(WriteOff.RequestKey.PropertyNames).IsUnique();
            e.HasIndex(WriteOff.ReversalKey.PropertyNames).IsUnique();
            e.HasIndex(x => x.AccountId);
        });
    }
}
