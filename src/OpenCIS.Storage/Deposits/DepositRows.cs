using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Deposits;

namespace OpenCIS.Storage.Deposits;

public enum DepositStatus
{
    /// <summary>Charged to the account, not yet fully paid.</summary>
    Billed,

    /// <summary>Paid: held as a liability until applied or refunded.</summary>
    Held,

    /// <summary>Credited to the account's final bill when service stopped.</summary>
    Applied,

    /// <summary>Credited back to the account after the months of on-time payment.</summary>
    Refunded,

    /// <summary>Not required (a good history, a letter of credit, a class that pays none): nothing was billed.</summary>
    Waived,
}

/// <summary>
/// One deposit decision for an account and what became of it. The money moves only through the
/// financial transactions it names (the charge, the application or refund, the interest); this row
/// records the decision, its reason and its state.
/// </summary>
public sealed class Deposit
{
    public long Id { get; init; }
    public long AccountId { get; init; }
    public DepositStatus Status { get; private set; }
    public DepositDecisionKind DecisionKind { get; init; }

    /// <summary>The class's standard amount, before credit history changed it.</summary>
    public long StandardCents { get; init; }

    /// <summary>What was billed: zero when waived.</summary>
    public long BilledCents { get; init; }

    public string DecisionReason { get; init; } = "";
    public long? ChargeTransactionId { get; private set; }
    public DateOnly DecidedOn { get; init; }
    public DateOnly? DueOn { get; init; }

    /// <summary>The day the charge was paid in full: interest and the on-time run count from here.</summary>
    public DateOnly? HeldSince { get; private set; }

    public DateOnly? ClosedOn { get; private set; }
    public string? ClosedBy { get; private set; }
    public string? CloseReason { get; private set; }
    public long? ClosingTransactionId { get; private set; }
    public long InterestCents { get; private set; }
    public long? InterestTransactionId { get; private set; }
    public string RequestedBy { get; init; } = "";
    public DateTimeOffset RequestedAt { get; init; }
    public string? IdempotencyKey { get; init; }
    public string? RequestFingerprint { get; init; }
    public string? CloseIdempotencyKey { get; private set; }
    public string? CloseFingerprint { get; private set; }

    public bool IsOpen => Status is DepositStatus.Billed or DepositStatus.Held;

    /// <summary>The key of the request that required the deposit, its requester's own.</summary>
    public static KeyColumns<Deposit> RequestKey { get; } = new(d => d.RequestedBy, d => d.IdempotencyKey);

    /// <summary>The key of the request that applied it to a final bill, its closer's own.</summary>
    public static KeyColumns<Deposit> CloseKey { get; } = new(d => d.ClosedBy, d => d.CloseIdempotencyKey);

    public static Deposit Decide(long accountId, Money standard, DepositDecision decision, DateOnly today, DateOnly? dueOn, string user, DateTimeOffset at, RequestKey? key, string fingerprint) =>
        new()
        {
            AccountId = accountId,
            Status = decision.IsWaived ? DepositStatus.Waived : DepositStatus.Billed,
            DecisionKind = decision.Kind,
            StandardCents = standard.Cents,
            BilledCents = decision.Amount.Cents,
            DecisionReason = decision.Reason,
            DecidedOn = today,
            DueOn = decision.IsWaived ? null : dueOn,
            RequestedBy = user,
            RequestedAt = at,
            IdempotencyKey = Idempotency.KeyFor(key, user),
            RequestFingerprint = fingerprint,
        };

    public void Billed(long chargeTransactionId)
    {
        if (Status != DepositStatus.Billed || ChargeTransactionId is not null)
        {
            throw new DomainException($"Deposit {Id} is {Status} and cannot be billed again.", "depositId");
        }

        ChargeTransactionId = chargeTransactionId;
    }

    /// <summary>The charge is paid in full: from now on the deposit is held and earns interest.</summary>
    public void MarkHeld(DateOnly paidOn)
    {
        if (Status != DepositStatus.Billed)
        {
            throw new DomainException($"Deposit {Id} is {Status}; only a billed deposit becomes held when paid.", "depositId");
        }

        Status = DepositStatus.Held;
        HeldSince = paidOn;
    }

    /// <summary>Applied to the final bill or refunded to the account: the deposit is closed.</summary>
    public void Close(DepositStatus outcome, DateOnly on, string user, string reason, long transactionId, long interestCents, long? interestTransactionId, RequestKey? key, string? fingerprint)
    {
        if (outcome is not (DepositStatus.Applied or DepositStatus.Refunded))
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "A deposit closes as applied or refunded.");
        }

        if (!IsOpen)
        {
            throw new DomainException($"Deposit {Id} is already {Status.ToString().ToLowerInvariant()}{(ClosedOn is { } closed ? $" on {closed:yyyy-MM-dd}" : "")}.", "depositId");
        }

        if (outcome == DepositStatus.Refunded && Status != DepositStatus.Held)
        {
            throw new DomainException($"Deposit {Id} is not paid yet; only a held deposit is refunded.", "depositId");
        }

        Status = outcome;
        ClosedOn = on;
        ClosedBy = user;
        CloseReason = reason;
        ClosingTransactionId = transactionId;
        InterestCents = interestCents;
        InterestTransactionId = interestTransactionId;
        CloseIdempotencyKey = Idempotency.KeyFor(key, user);
        CloseFingerprint = fingerprint;
    }

    internal static void Configure(ModelBuilder builder)
    {
        builder.Entity<Deposit>(e =>
        {
            e.ToTable("deposits");
            e.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(d => d.DecisionKind).HasConversion<string>().HasMaxLength(20);
            e.Property(d => d.DecisionReason).HasMaxLength(500);
            e.Property(d => d.CloseReason).HasMaxLength(500);
            e.Property(d => d.RequestedBy).HasMaxLength(100);
            e.Property(d => d.ClosedBy).HasMaxLength(100);
            e.Property(d => d.IdempotencyKey).HasMaxLength(100);
            e.Property(d => d.RequestFingerprint).HasMaxLength(64);
            e.Property(d => d.CloseIdempotencyKey).HasMaxLength(100);
            e.Property(d => d.CloseFingerprint).HasMaxLength(64);
            e.Ignore(d => d.IsOpen);
            e.HasIndex(d => d.AccountId);
            e.HasIndex(d => d.Status);
            e.HasIndex(RequestKey.PropertyNames).IsUnique();
            e.HasIndex(CloseKey.PropertyNames).IsUnique();
        });
        builder.Entity<DepositRefundReview>(e =>
        {
            e.ToTable("deposit_refund_reviews");
            e.Property(r => r.RanBy).HasMaxLength(100);
            e.Property(r => r.IdempotencyKey).HasMaxLength(100);
            // One review per business date: running it again reports the first, and refunds nothing twice.
            e.HasIndex(r => r.ReviewDate).IsUnique();
            e.HasIndex(DepositRefundReview.RequestKey.PropertyNames).IsUnique();
        });
    }
}

/// <summary>A refund review run for a business date, with what it did.</summary>
public sealed class DepositRefundReview
{
    public long Id { get; init; }
    public DateOnly ReviewDate { get; init; }
    public DateTimeOffset RanAt { get; init; }
    public string RanBy { get; init; } = "";
    public int Reviewed { get; set; }
    public int BecameHeld { get; set; }
    public int Refunded { get; set; }
    public long RefundedCents { get; set; }
    public long InterestCents { get; set; }
    public string? IdempotencyKey { get; init; }

    public static KeyColumns<DepositRefundReview> RequestKey { get; } = new(r => r.RanBy, r => r.IdempotencyKey);
}
