using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Assistance;
using OpenCIS.Core.Common;

namespace OpenCIS.Storage.Assistance;

/// <summary>
/// An assistance program (senior, low-income, medical) as data: who is eligible, how often enrollment must be
/// re-verified. The discount it gives is in the tariffs: each charge with <c>for_programs</c> naming its code.
/// </summary>
public sealed class AssistanceProgramRow
{
    public const int NameLengthMax = 100;
    public const int EligibilityLengthMax = 1000;

    public string Code { get; init; } = "";
    public string Name { get; internal set; } = "";
    public string Eligibility { get; internal set; } = "";

    /// <summary>Months an enrollment counts after its verification (or enrollment); null when it need not be re-verified.</summary>
    public int? VerificationMonths { get; internal set; }

    public bool Active { get; internal set; }
    public string UpdatedBy { get; internal set; } = "";
    public DateTimeOffset UpdatedAt { get; internal set; }
}

/// <summary>An account's enrollment in a program: when it began, was last verified, expires or was ended, and by whom.</summary>
public sealed class ProgramEnrollmentRow
{
    public long Id { get; init; }
    public long AccountId { get; init; }
    public string ProgramCode { get; init; } = "";
    public DateOnly EnrolledOn { get; init; }
    public DateOnly? VerifiedOn { get; private set; }
    public DateOnly? ExpiresOn { get; private set; }
    public DateOnly? EndedOn { get; private set; }
    public string EnrolledBy { get; init; } = "";
    public string? EndedBy { get; private set; }
    public string? Note { get; private set; }

    internal static ProgramEnrollmentRow Enroll(long accountId, string programCode, DateOnly enrolledOn, DateOnly? verifiedOn, DateOnly? expiresOn, string user, string? note) => new()
    {
        AccountId = accountId,
        ProgramCode = programCode,
        EnrolledOn = enrolledOn,
        VerifiedOn = verifiedOn,
        ExpiresOn = expiresOn,
        EnrolledBy = user,
        Note = note,
    };

    /// <summary>The customer's eligibility was checked again: the enrollment counts from this date for the program's interval.</summary>
    internal void Verify(DateOnly on, DateOnly? expiresOn)
    {
        if (EndedOn is not null)
        {
            throw new DomainException($"Enrollment {Id} in {ProgramCode} ended on {EndedOn:yyyy-MM-dd}; enroll the account again instead.", "enrollmentId");
        }

        ProgramEnrollments.CheckDates(EnrolledOn, expiresOn ?? ExpiresOn, null);
        VerifiedOn = on;
        ExpiresOn = expiresOn ?? ExpiresOn;
    }

    internal void End(DateOnly on, string user, string? note)
    {
        if (EndedOn is not null)
        {
            throw new DomainException($"Enrollment {Id} in {ProgramCode} already ended on {EndedOn:yyyy-MM-dd}.", "enrollmentId");
        }

        ProgramEnrollments.CheckDates(EnrolledOn, null, on);
        EndedOn = on;
        EndedBy = user;
        Note = note ?? Note;
    }
}

/// <summary>
/// An agency's energy-assistance pledge to an account: the amount promised and the day it is expected by, then the
/// payment it arrived as. The money moves only through that payment; this row keeps the promise and its link.
/// </summary>
public sealed class AssistancePledgeRow
{
    public long Id { get; init; }
    public long AccountId { get; init; }
    public string Agency { get; init; } = "";
    public long AmountCents { get; init; }
    public DateOnly PledgedOn { get; init; }
    public DateOnly ExpectedBy { get; init; }
    public PledgeStatus Status { get; private set; }
    public long? PaymentId { get; private set; }
    public DateOnly? PaidOn { get; private set; }
    public long? PaidCents { get; private set; }
    public string RecordedBy { get; init; } = "";
    public DateTimeOffset RecordedAt { get; init; }
    public string? ClosedBy { get; private set; }
    public string? Note { get; private set; }

    internal static AssistancePledgeRow Record(long accountId, string agency, Money amount, DateOnly pledgedOn, DateOnly expectedBy, string user, DateTimeOffset at, string? note) => new()
    {
        AccountId = accountId,
        Agency = agency,
        AmountCents = amount.Cents,
        PledgedOn = pledgedOn,
        ExpectedBy = expectedBy,
        Status = PledgeStatus.Pledged,
        RecordedBy = user,
        RecordedAt = at,
        Note = note,
    };

    /// <summary>The agency's payment arrived: the pledge is paid and names it.</summary>
    internal void MarkPaid(long paymentId, DateOnly paidOn, long paidCents, string user)
    {
        MustBeOpen("paid");
        Status = PledgeStatus.Paid;
        PaymentId = paymentId;
        PaidOn = paidOn;
        PaidCents = paidCents;
        ClosedBy = user;
    }

    /// <summary>Closed without payment: cancelled by the agency or in error, or expired unpaid.</summary>
    internal void Close(PledgeStatus outcome, string user, string? note)
    {
        if (outcome is not (PledgeStatus.Cancelled or PledgeStatus.Expired))
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "A pledge closes unpaid as cancelled or expired.");
        }

        MustBeOpen(outcome == PledgeStatus.Cancelled ? "cancelled" : "expired");
        Status = outcome;
        ClosedBy = user;
        Note = note ?? Note;
    }

    private void MustBeOpen(string what)
    {
        if (Status != PledgeStatus.Pledged)
        {
            throw new DomainException($"Pledge {Id} is {Status} and cannot be {what}.", "pledgeId");
        }
    }
}

internal static class AssistanceModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<AssistanceProgramRow>(e =>
        {
            e.ToTable("assistance_programs");
            e.HasKey(p => p.Code);
            e.Property(p => p.Code).HasMaxLength(ProgramCodes.LengthMax);
            e.Property(p => p.Name).HasMaxLength(AssistanceProgramRow.NameLengthMax);
            e.Property(p => p.Eligibility).HasMaxLength(AssistanceProgramRow.EligibilityLengthMax);
            e.Property(p => p.UpdatedBy).HasMaxLength(100);
        });
        builder.Entity<ProgramEnrollmentRow>(e =>
        {
            e.ToTable("program_enrollments");
            e.Property(x => x.ProgramCode).HasMaxLength(ProgramCodes.LengthMax);
            e.Property(x => x.EnrolledBy).HasMaxLength(100);
            e.Property(x => x.EndedBy).HasMaxLength(100);
            e.Property(x => x.Note).HasMaxLength(ProgramEnrollments.NoteLengthMax);
            e.HasIndex(x => x.AccountId);
            e.HasIndex(x => x.ProgramCode);
        });
        builder.Entity<AssistancePledgeRow>(e =>
        {
            e.ToTable("assistance_pledges");
            e.Property(x => x.Agency).HasMaxLength(AssistancePledges.AgencyLengthMax);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.RecordedBy).HasMaxLength(100);
            e.Property(x => x.ClosedBy).HasMaxLength(100);
            e.Property(x => x.Note).HasMaxLength(ProgramEnrollments.NoteLengthMax);
            e.HasIndex(x => x.AccountId);
            e.HasIndex(x => new { x.Status, x.ExpectedBy });
            // A payment pays at most one pledge.
            e.HasIndex(x => x.PaymentId).IsUnique().HasFilter("payment_id IS NOT NULL");
        });
    }
}
