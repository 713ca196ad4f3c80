using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments.Ach;

namespace OpenCIS.Storage.Portal;

public enum OneTimeDebitStatus
{
    /// <summary>Authorized by the customer; waits for the next ACH file. Nothing is posted yet.</summary>
    Pending,

    /// <summary>Went out in an ACH file (<see cref="OneTimeDebit.AchFileId"/>) and posted as a payment (<see cref="OneTimeDebit.PaymentId"/>).</summary>
    Sent,

    /// <summary>Stopped before any file carried it (by the customer, or because the account may no longer pay by ACH).</summary>
    Cancelled,

    /// <summary>Sent, then returned by the customer's bank; the return reversed its payment.</summary>
    Returned,
}

/// <summary>
/// An e-check: a one-time ACH debit a customer authorizes online (a WEB entry), for an amount on one account. It waits as
/// pending until the next ACH file, which carries it once (its entry names it, under a unique index) and posts its payment.
/// The bank account number is kept encrypted (by the use cases' field protector) only until the file is written; the last
/// four digits stay for screens. The authorization text the customer accepted is kept word for word, as NACHA asks of WEB.
/// </summary>
public sealed class OneTimeDebit
{
    public const int AuthorizationLengthMax = 1000;

    public long Id { get; init; }
    public long AccountId { get; init; }
    public string PortalUserId { get; init; } = "";
    public long AmountCents { get; init; }
    public string RoutingNumber { get; init; } = "";

    /// <summary>The bank account number, encrypted; emptied once the debit has gone out or is cancelled.</summary>
    public string DfiAccountCipher { get; private set; } = "";

    public string DfiAccountLastFour { get; private set; } = "";
    public AchAccountType AccountType { get; init; }
    public AchEntryClass EntryClass { get; init; }
    public string HolderName { get; init; } = "";
    public OneTimeDebitStatus Status { get; private set; }

    /// <summary>The business day the customer authorized it: a file for an earlier settlement date does not carry it.</summary>
    public DateOnly AuthorizedOn { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The authorization the customer accepted, as they read it.</summary>
    public string AuthorizationText { get; init; } = "";

    public long? AchFileId { get; private set; }
    public long? PaymentId { get; private set; }
    public DateOnly? SentOn { get; private set; }
    public DateOnly? CancelledOn { get; private set; }
    public string? CancelReason { get; private set; }
    public DateOnly? ReturnedOn { get; private set; }

    public string MaskedAccountNumber => Payments.Ach.AchEnrollment.Mask(DfiAccountLastFour);

    public static OneTimeDebit Authorize(long accountId, string portalUserId, long amountCents, string routingNumber, string dfiAccountCipher, string dfiAccountLastFour,
        AchAccountType accountType, string holderName, DateOnly authorizedOn, DateTimeOffset createdAt, string authorization)
    {
        if (amountCents <= 0)
        {
            throw new DomainException($"A one-time debit must be for more than zero ({Money.FromCents(amountCents)}).", "amount");
        }

        return new()
        {
            AccountId = accountId,
            PortalUserId = portalUserId,
            AmountCents = amountCents,
            RoutingNumber = routingNumber,
            DfiAccountCipher = dfiAccountCipher,
            DfiAccountLastFour = dfiAccountLastFour,
            AccountType = accountType,
            EntryClass = AchEntryClass.Web,
            HolderName = holderName,
            Status = OneTimeDebitStatus.Pending,
            AuthorizedOn = authorizedOn,
            CreatedAt = createdAt,
            AuthorizationText = authorization.Length <= AuthorizationLengthMax ? authorization : authorization[..AuthorizationLengthMax],
        };
    }

    /// <summary>Stores the account number under a (new) key: a key rotation while the debit waits.</summary>
    internal void Protect(string cipher)
    {
        if (Status != OneTimeDebitStatus.Pending)
        {
            throw new DomainException($"One-time debit {Id} is {Status}; it keeps no bank account number to protect.");
        }

        DfiAccountCipher = cipher;
    }

    internal void MarkSent(long achFileId, long paymentId, DateOnly on)
    {
        if (Status != OneTimeDebitStatus.Pending)
        {
            throw new DomainException($"One-time debit {Id} is {Status}{(AchFileId is { } file ? $" (ACH file {file})" : "")}; only a pending one goes out.");
        }

        (Status, AchFileId, PaymentId, SentOn, DfiAccountCipher) = (OneTimeDebitStatus.Sent, achFileId, paymentId, on, "");
    }

    internal void Cancel(DateOnly on, string reason)
    {
        if (Status != OneTimeDebitStatus.Pending)
        {
            throw new DomainException($"One-time debit {Id} is {Status}; only a pending one can be cancelled.");
        }

        (Status, CancelledOn, CancelReason, DfiAccountCipher) = (OneTimeDebitStatus.Cancelled, on, reason.Length <= 200 ? reason : reason[..200], "");
    }

    internal void MarkReturned(DateOnly on)
    {
        if (Status != OneTimeDebitStatus.Sent)
        {
            throw new DomainException($"One-time debit {Id} is {Status}; only a sent one can come back.");
        }

        (Status, ReturnedOn) = (OneTimeDebitStatus.Returned, on);
    }
}

internal static class OneTimeDebitModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<OneTimeDebit>(e =>
        {
            e.ToTable("one_time_debits");
            e.Ignore(x => x.MaskedAccountNumber);
            e.Property(x => x.PortalUserId).HasMaxLength(32);
            e.Property(x => x.RoutingNumber).HasMaxLength(9);
            e.Property(x => x.DfiAccountCipher).HasMaxLength(200);
            e.Property(x => x.DfiAccountLastFour).HasMaxLength(4);
            e.Property(x => x.HolderName).HasMaxLength(22);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.AuthorizationText).HasMaxLength(OneTimeDebit.AuthorizationLengthMax);
            e.Property(x => x.CancelReason).HasMaxLength(200);
            e.HasIndex(x => x.AccountId);
            e.HasIndex(x => x.PortalUserId);
            // The next ACH file reads the pending ones.
            e.HasIndex(x => x.Status);
            e.HasOne<Customers.Account>().WithMany().HasForeignKey(x => x.AccountId);
            e.HasOne<Payments.Payment>().WithMany().HasForeignKey(x => x.PaymentId);
        });
    }
}
