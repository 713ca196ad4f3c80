using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Bankruptcy;
using OpenCIS.Core.Billing;

namespace OpenCIS.Storage.Bankruptcy;

/// <summary>
/// A bankruptcy case as the city enters it: the court's case number and chapter, the petition date, the debtor, the
/// debtor's attorney and the trustee; open while the stay lasts, then discharged or dismissed.
/// </summary>
public sealed class BankruptcyCaseRow
{
    public long Id { get; internal set; }
    public string CaseNumber { get; init; } = "";
    public BankruptcyChapter Chapter { get; init; }
    public string Court { get; init; } = "";
    public DateOnly PetitionDate { get; init; }
    public string DebtorName { get; init; } = "";
    public string Attorney { get; init; } = "";
    public string Trustee { get; init; } = "";
    public BankruptcyStatus Status { get; private set; }
    public string FiledBy { get; init; } = "";
    public DateTimeOffset FiledAt { get; init; }
    public DateOnly? ClosedOn { get; private set; }
    public string? ClosedBy { get; private set; }
    public string? CloseNote { get; private set; }
    public string? IdempotencyKey { get; init; }
    public string? RequestFingerprint { get; init; }

    public static KeyColumns<BankruptcyCaseRow> RequestKey { get; } = new(c => c.FiledBy, c => c.IdempotencyKey);

    internal void Close(BankruptcyStatus outcome, DateOnly on, string user, string? note)
    {
        if (Status != BankruptcyStatus.Open)
        {
            throw new Core.Common.DomainException($"Case {CaseNumber} was already {Status.ToString().ToLowerInvariant()} on {ClosedOn:yyyy-MM-dd} by {ClosedBy}.", "caseNumber");
        }

        (Status, ClosedOn, ClosedBy, CloseNote) = (outcome, on, user, note);
    }
}

/// <summary>
/// An account a case covers: what it owed on the petition date (moved to the bankruptcy receivable by
/// <see cref="TransferTransactionId"/>), the stay entered on it, and the transaction that closed its claim.
/// </summary>
public sealed class BankruptcyAccountRow
{
    public long Id { get; internal set; }
    public long CaseId { get; init; }
    public long AccountId { get; init; }
    public long PrePetitionCents { get; init; }
    public long? TransferTransactionId { get; init; }
    public long ProtectionId { get; init; }
    public long? ClosingTransactionId { get; internal set; }
}

/// <summary>Part of an account's pre-petition claim, by service, and what of it is still open after the trustee's payments.</summary>
public sealed class BankruptcyClaimRow
{
    public long Id { get; internal set; }
    public long CaseId { get; init; }
    public long CaseAccountId { get; init; }
    public long AccountId { get; init; }
    public Service? Service { get; init; }
    public DateOnly DueOn { get; init; }
    public long AmountCents { get; init; }
    public long OpenCents { get; internal set; }
}

/// <summary>A trustee's payment on a case, with the check or EFT it came by; its lines say which accounts' claims it paid.</summary>
public sealed class BankruptcyPaymentRow
{
    public long Id { get; internal set; }
    public long CaseId { get; init; }
    public long AmountCents { get; init; }
    public DateOnly ReceivedOn { get; init; }
    public Core.Payments.Tender Tender { get; init; }
    public string Reference { get; init; } = "";
    public string PostedBy { get; init; } = "";
    public DateTimeOffset PostedAt { get; init; }
    public string? IdempotencyKey { get; init; }
    public string? RequestFingerprint { get; init; }

    public static KeyColumns<BankruptcyPaymentRow> RequestKey { get; } = new(p => p.PostedBy, p => p.IdempotencyKey);
}

/// <summary>What one trustee payment paid on one account's claim, and the transaction that posted it.</summary>
public sealed class BankruptcyPaymentLineRow
{
    public long Id { get; internal set; }
    public long PaymentId { get; init; }
    public long CaseAccountId { get; init; }
    public long AccountId { get; init; }
    public long AmountCents { get; init; }
    public long TransactionId { get; init; }
}

internal static class BankruptcyModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<BankruptcyCaseRow>(e =>
        {
            e.ToTable("bankruptcy_cases");
            e.Property(c => c.CaseNumber).HasMaxLength(Bankruptcies.CaseNumberLengthMax);
            e.Property(c => c.Chapter).HasConversion<string>().HasMaxLength(20);
            e.Property(c => c.Court).HasMaxLength(Bankruptcies.CourtLengthMax);
            e.Property(c => c.DebtorName).HasMaxLength(Bankruptcies.NameLengthMax);
            e.Property(c => c.Attorney).HasMaxLength(Bankruptcies.NameLengthMax);
            e.Property(c => c.Trustee).HasMaxLength(Bankruptcies.NameLengthMax);
            e.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(c => c.FiledBy).HasMaxLength(100);
            e.Property(c => c.ClosedBy).HasMaxLength(100);
            e.Property(c => c.CloseNote).HasMaxLength(Bankruptcies.NoteLengthMax);
            e.Property(c => c.IdempotencyKey).HasMaxLength(Idempotency.MaxKeyLength);
            e.Property(c => c.RequestFingerprint).HasMaxLength(64);
            e.HasIndex(c => c.CaseNumber).IsUnique();
            e.HasIndex(c => c.Status);
            e.HasIndex(BankruptcyCaseRow.RequestKey.PropertyNames).IsUnique();
        });
        builder.Entity<BankruptcyAccountRow>(e =>
        {
            e.ToTable("bankruptcy_accounts");
            e.HasIndex(a => new { a.CaseId, a.AccountId }).IsUnique();
            e.HasIndex(a => a.AccountId);
        });
        builder.Entity<BankruptcyClaimRow>(e =>
        {
            e.ToTable("bankruptcy_claims");
            e.HasIndex(c => c.CaseId);
        });
        builder.Entity<BankruptcyPaymentRow>(e =>
        {
            e.ToTable("bankruptcy_payments");
            e.Property(p => p.Reference).HasMaxLength(50);
            e.Property(p => p.PostedBy).HasMaxLength(100);
            e.Property(p => p.IdempotencyKey).HasMaxLength(Idempotency.MaxKeyLength);
            e.Property(p => p.RequestFingerprint).HasMaxLength(64);
            e.HasIndex(p => p.CaseId);
            e.HasIndex(p => p.ReceivedOn);
            e.HasIndex(BankruptcyPaymentRow.RequestKey.PropertyNames).IsUnique();
        });
        builder.Entity<BankruptcyPaymentLineRow>(e =>
        {
            e.ToTable("bankruptcy_payment_lines");
            e.HasIndex(l => l.PaymentId);
        });
    }
}
