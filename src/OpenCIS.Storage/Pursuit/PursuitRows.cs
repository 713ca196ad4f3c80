using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Pursuit;

namespace OpenCIS.Storage.Pursuit;

/// <summary>
/// A collection agency the city places final balances with, or its legal office (a State's Attorney): kept as data, with the
/// contract's commission (basis points: 2500 is 25%) and whether the agency remits net of it or gross.
/// </summary>
public sealed class CollectionAgencyRow
{
    public const int CodeLengthMax = 20;
    public const int NameLengthMax = 120;
    public const int ContactLengthMax = 300;

    public long Id { get; internal set; }
    public string Code { get; init; } = "";
    public string Name { get; set; } = "";
    public ReferralKind Kind { get; init; }
    public int CommissionBasisPoints { get; set; }
    public RemittanceBasis Remittance { get; set; }
    public string Contact { get; set; } = "";
    public bool Active { get; set; } = true;
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// A final account's balance referred to an agency or the legal office: the amount on the day, where it stands, the placement file that
/// sent it (and the one that sent its recall), and what the agency has collected on it and kept or billed as commission.
/// </summary>
public sealed class ReferralRow
{
    public const int ReasonLengthMax = 300;

    public long Id { get; internal set; }
    public long AccountId { get; init; }
    public long AgencyId { get; init; }
    public ReferralKind Kind { get; init; }
    public DateOnly ReferredOn { get; init; }
    public long ReferredCents { get; init; }
    public string ReferredBy { get; init; } = "";
    public string Reason { get; init; } = "";
    public ReferralStatus Status { get; set; }
    public DateOnly? ClosedOn { get; set; }
    public string? ClosedBy { get; set; }
    public string? CloseReason { get; set; }
    public long? PlacementFileId { get; set; }
    public long? RecallFileId { get; set; }
    public long CollectedCents { get; set; }
    public long CommissionCents { get; set; }
}

/// <summary>A placement file sent to an agency: its new placements and recalls, kept as sent so it can be downloaded again.</summary>
public sealed class PlacementFileRow
{
    public long Id { get; internal set; }
    public long AgencyId { get; init; }
    public DateOnly CreatedOn { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public int Placements { get; init; }
    public int Recalls { get; init; }
    public long PlacedCents { get; init; }
    public string Content { get; init; } = "";
}

/// <summary>An agency's payment file as imported: the debtors' payments it reports, its commission, and what it remits; its hash refuses the same file twice.</summary>
public sealed class AgencyRemittanceRow
{
    public long Id { get; internal set; }
    public long AgencyId { get; init; }
    public string FileName { get; init; } = "";
    public string FileHash { get; init; } = "";
    public int Lines { get; init; }
    public long CollectedCents { get; init; }
    public long CommissionCents { get; init; }
    public long RemittedCents { get; init; }
    public long RecoveredCents { get; init; }
    public string ImportedBy { get; init; } = "";
    public DateTimeOffset ImportedAt { get; init; }
}

/// <summary>One debtor payment in an agency's file: the referral it paid, the payment and commission transactions, and what of it was a recovery.</summary>
public sealed class AgencyPaymentRow
{
    public long Id { get; internal set; }
    public long RemittanceId { get; init; }
    public int Line { get; init; }
    public long ReferralId { get; init; }
    public long AccountId { get; init; }
    public DateOnly PaidOn { get; init; }
    public long CollectedCents { get; init; }
    public long CommissionCents { get; init; }
    public long RecoveredCents { get; init; }
    public long PaymentId { get; init; }
    public long? CommissionTransactionId { get; init; }
}

/// <summary>The pursuit's latest decision on a final account: what it did or why it waits, with the balance on that day.</summary>
public sealed class PursuitStandingRow
{
    public const int ReasonLengthMax = 300;

    public long AccountId { get; init; }
    public string PolicyCode { get; set; } = "";
    public DateOnly DecidedOn { get; set; }
    public PursuitActionKind Action { get; set; }
    public string Reason { get; set; } = "";
    public long BalanceCents { get; set; }
    public int DaysPastDue { get; set; }
}

internal static class PursuitModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<CollectionAgencyRow>(e =>
        {
            e.ToTable("collection_agencies");
            e.Property(a => a.Code).HasMaxLength(CollectionAgencyRow.CodeLengthMax);
            e.Property(a => a.Name).HasMaxLength(CollectionAgencyRow.NameLengthMax);
            e.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(a => a.Remittance).HasConversion<string>().HasMaxLength(20);
            e.Property(a => a.Contact).HasMaxLength(CollectionAgencyRow.ContactLengthMax);
            e.Property(a => a.CreatedBy).HasMaxLength(100);
            e.HasIndex(a => a.Code).IsUnique();
        });
        builder.Entity<ReferralRow>(e =>
        {
            e.ToTable("referrals");
            e.Property(r => r.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(r => r.ReferredBy).HasMaxLength(100);
            e.Property(r => r.Reason).HasMaxLength(ReferralRow.ReasonLengthMax);
            e.Property(r => r.ClosedBy).HasMaxLength(100);
            e.Property(r => r.CloseReason).HasMaxLength(ReferralRow.ReasonLengthMax);
            e.HasIndex(r => r.AccountId);
            e.HasIndex(r => new { r.AgencyId, r.Status });
        });
        builder.Entity<PlacementFileRow>(e =>
        {
            e.ToTable("placement_files");
            e.Property(f => f.CreatedBy).HasMaxLength(100);
            e.HasIndex(f => f.AgencyId);
        });
        builder.Entity<AgencyRemittanceRow>(e =>
        {
            e.ToTable("agency_remittances");
            e.Property(r => r.FileName).HasMaxLength(260);
            e.Property(r => r.FileHash).HasMaxLength(64);
            e.Property(r => r.ImportedBy).HasMaxLength(100);
            e.HasIndex(r => r.FileHash).IsUnique();
        });
        builder.Entity<PursuitStandingRow>(e =>
        {
            e.ToTable("pursuit_standings");
            e.HasKey(p => p.AccountId);
            e.Property(p => p.AccountId).ValueGeneratedNever();
            e.Property(p => p.PolicyCode).HasMaxLength(40);
            e.Property(p => p.Action).HasConversion<string>().HasMaxLength(30);
            e.Property(p => p.Reason).HasMaxLength(PursuitStandingRow.ReasonLengthMax);
            e.HasIndex(p => p.Action);
        });
        builder.Entity<AgencyPaymentRow>(e =>
        {
            e.ToTable("agency_payments");
            e.HasIndex(p => p.RemittanceId);
            e.HasIndex(p => p.ReferralId);
        });
    }
}
