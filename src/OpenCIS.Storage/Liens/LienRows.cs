using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Liens;

namespace OpenCIS.Storage.Liens;

/// <summary>
/// A lien in the register: the account and premise it came from, the parcel and owner of record as noticed, where it stands, and
/// the dates and amounts of each stage. What it secures are its items (<see cref="LienItemRow"/>); what is unpaid is read from them.
/// </summary>
public sealed class LienRow
{
    public const int ReasonLengthMax = 300;

    public long Id { get; internal set; }

    // The parcel, owner and addresses are copied as the premise and customer keep them (text without a limit).

    /// <summary>The register's number, LN- and the row's id: the same on every document and in every file.</summary>
    public string Number => PremiseLiens.Number(Id);
    public long AccountId { get; init; }
    public long PremiseId { get; init; }
    public string ParcelId { get; init; } = "";
    public string OwnerOfRecord { get; init; } = "";

    /// <summary>Where the notice was mailed: the owner's mailing address, or the premise's when the owner has none on file.</summary>
    public string OwnerAddress { get; init; } = "";
    public string PremiseAddress { get; init; } = "";
    public string PolicyCode { get; init; } = "";
    public LienStatus Status { get; set; }

    /// <summary>What was past due on the day of the notice: the items the lien secures.</summary>
    public long PrincipalCents { get; init; }
    public DateOnly NoticedOn { get; init; }
    public DateOnly NoticeEndsOn { get; init; }
    public string NoticedBy { get; init; } = "";
    public DateOnly? FiledOn { get; set; }
    public string? FiledBy { get; set; }

    /// <summary>What was still unpaid of the principal on the filing day, the amount the lien is recorded for with its fee.</summary>
    public long? FiledPrincipalCents { get; set; }
    public long FilingFeeCents { get; set; }
    public long? FeeTransactionId { get; set; }
    public DateOnly? SatisfiedOn { get; set; }
    public DateOnly? ReleasedOn { get; set; }
    public string? ReleasedBy { get; set; }
    public string? ReleaseReason { get; set; }
    public long? CertificationId { get; set; }
    public long? CertifiedCents { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>One charge a lien secures, with its dates and what was open of it on the day the lien took it; the filing fee is one too.</summary>
public sealed class LienItemRow
{
    public long Id { get; internal set; }
    public long LienId { get; init; }
    public long OpenItemId { get; init; }
    public DateOnly PostedOn { get; init; }
    public DateOnly DueOn { get; init; }
    public long AmountCents { get; init; }
    public bool IsFee { get; init; }
}

/// <summary>A certification of unpaid liens to the county tax roll for a tax year: the file as sent, kept so it can be downloaded again.</summary>
public sealed class LienCertificationRow
{
    public long Id { get; internal set; }
    public int TaxYear { get; init; }
    public DateOnly CertifiedOn { get; init; }
    public int Liens { get; init; }
    public long TotalCents { get; init; }
    public string Content { get; init; } = "";
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

internal static class LienModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<LienRow>(e =>
        {
            e.ToTable("liens");
            e.Ignore(l => l.Number);
            e.Property(l => l.PolicyCode).HasMaxLength(40);
            e.Property(l => l.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(l => l.NoticedBy).HasMaxLength(100);
            e.Property(l => l.FiledBy).HasMaxLength(100);
            e.Property(l => l.ReleasedBy).HasMaxLength(100);
            e.Property(l => l.ReleaseReason).HasMaxLength(LienRow.ReasonLengthMax);
            e.HasIndex(l => l.AccountId);
            e.HasIndex(l => l.ParcelId);
            e.HasIndex(l => l.Status);
        });
        builder.Entity<LienItemRow>(e =>
        {
            e.ToTable("lien_items");
            e.HasIndex(i => i.LienId);
        });
        builder.Entity<LienCertificationRow>(e =>
        {
            e.ToTable("lien_certifications");
            e.Property(c => c.CreatedBy).HasMaxLength(100);
            e.HasIndex(c => c.TaxYear);
        });
    }
}
