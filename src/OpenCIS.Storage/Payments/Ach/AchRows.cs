using OpenCIS.Core.Common;
using OpenCIS.Core.Payments.Ach;

namespace OpenCIS.Storage.Payments.Ach;

public enum AchEnrollmentStatus
{
    /// <summary>Waiting for its zero-dollar prenote to go out and settle; not debited yet.</summary>
    Prenote,
    Active,
    Cancelled,
}

/// <summary>
/// An account's autopay mandate. The full DFI account number is kept because each NACHA entry needs
/// it, encrypted (<see cref="DfiAccountCipher"/>, by the use cases' field protector); screens and the API only
/// ever show <see cref="MaskedAccountNumber"/>, from the last four digits kept apart.
/// </summary>
public sealed class AchEnrollment
{
    public long Id { get; init; }
    public long AccountId { get; init; }
    public string RoutingNumber { get; init; } = "";
    /// <summary>The bank account number, encrypted; only the ACH file's writer opens it.</summary>
    public string DfiAccountCipher { get; private set; } = "";

    /// <summary>Null only on a row from before encryption, until the host's start protects it.</summary>
    public string? DfiAccountLastFour { get; private set; }
    public AchAccountType AccountType { get; init; }
    public AchEntryClass EntryClass { get; init; }
    public string HolderName { get; init; } = "";
    public AchEnrollmentStatus Status { get; private set; }
    public DateOnly EnrolledOn { get; init; }
    public string EnrolledBy { get; init; } = "";
    public DateOnly? PrenoteSentOn { get; private set; }
    public DateOnly? ActivatedOn { get; private set; }
    public DateOnly? CancelledOn { get; private set; }
    public string? CancelReason { get; private set; }

    public string MaskedAccountNumber => Mask(DfiAccountLastFour);

    /// <summary>How a bank account is shown: its last four digits only.</summary>
    public static string Mask(string? lastFour) => "****" + (lastFour ?? "");

    /// <summary>The last four characters a screen may show of an account number.</summary>
    public static string LastFour(string accountNumber) => accountNumber.Length <= 4 ? accountNumber : accountNumber[^4..];

    public static AchEnrollment Start(long accountId, string routingNumber, string dfiAccountCipher, string dfiAccountLastFour, AchAccountType accountType, AchEntryClass entryClass, string holderName, DateOnly enrolledOn, string enrolledBy) => new()
    {
        AccountId = accountId,
        RoutingNumber = routingNumber,
        DfiAccountCipher = dfiAccountCipher,
        DfiAccountLastFour = dfiAccountLastFour,
        AccountType = accountType,
        EntryClass = entryClass,
        HolderName = holderName,
        Status = AchEnrollmentStatus.Prenote,
        EnrolledOn = enrolledOn,
        EnrolledBy = enrolledBy,
    };

    /// <summary>Stores the account number under a (new) key: encrypting a row from before, or a key rotation.</summary>
    internal void Protect(string cipher, string lastFour)
    {
        DfiAccountCipher = cipher;
        DfiAccountLastFour = lastFour;
    }

    public void PrenoteSent(DateOnly on)
    {
        if (Status != AchEnrollmentStatus.Prenote || PrenoteSentOn is not null)
        {
            throw new DomainException($"ACH enrollment {Id} is {Status}{(PrenoteSentOn is { } sent ? $", prenote sent {sent:yyyy-MM-dd}" : "")}; no prenote is due.");
        }

        PrenoteSentOn = on;
    }

    public void Activate(DateOnly on)
    {
        if (Status != AchEnrollmentStatus.Prenote || PrenoteSentOn is null)
        {
            throw new DomainException($"ACH enrollment {Id} is {Status}; only an enrollment whose prenote went out can become active.");
        }

        Status = AchEnrollmentStatus.Active;
        ActivatedOn = on;
    }

    public void Cancel(DateOnly on, string reason)
    {
        if (Status == AchEnrollmentStatus.Cancelled)
        {
            throw new DomainException($"ACH enrollment {Id} was already cancelled on {CancelledOn:yyyy-MM-dd}.");
        }

        Status = AchEnrollmentStatus.Cancelled;
        CancelledOn = on;
        CancelReason = reason;
    }
}

/// <summary>A NACHA debit file as generated for one settlement date, kept byte for byte so asking again gives the same file.</summary>
public sealed class AchFile
{
    public long Id { get; init; }
    public DateOnly SettlementDate { get; init; }
    public string FileName { get; init; } = "";
    public string Content { get; init; } = "";
    public int EntryCount { get; init; }
    public int PrenoteCount { get; init; }
    public long TotalCents { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
}

/// <summary>
/// One entry of a debit file: the autopay enrollment and bill it debits, or the customer's one-time debit (an e-check), and
/// the payment it posted (none for a prenote).
/// </summary>
public sealed class AchEntry
{
    public long Id { get; init; }
    public long AchFileId { get; init; }

    /// <summary>The autopay enrollment debited; none for a one-time debit.</summary>
    public long? EnrollmentId { get; init; }

    /// <summary>The one-time debit (e-check) this entry carries: a file carries each once.</summary>
    public long? OneTimeDebitId { get; init; }
    public long AccountId { get; init; }
    public long? BillId { get; init; }
    public long? PaymentId { get; init; }

    /// <summary>A credit entry: the approved refund it pays out.</summary>
    public long? RefundId { get; init; }
    public string TraceNumber { get; init; } = "";
    public long TraceSequence { get; init; }
    public long AmountCents { get; init; }
    public DateOnly EffectiveDate { get; init; }
    public bool IsPrenote { get; init; }
}

/// <summary>A returned entry as posted: the reversal of its payment and the fee it cost.</summary>
public sealed class AchReturnRecord
{
    public long Id { get; init; }
    public long AchEntryId { get; init; }
    public long AccountId { get; init; }
    public long ImportedFileId { get; init; }
    public string ReasonCode { get; init; } = "";
    public DateOnly ReturnedOn { get; init; }
    public long AmountCents { get; init; }
    public long? ReversalTransactionId { get; init; }
    public long? FeeTransactionId { get; init; }
}
