using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Assistance;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Assistance;
using OpenCIS.Storage.Audit;
using OpenCIS.UseCases.Rating;

namespace OpenCIS.UseCases.Assistance;

/// <summary>A program as a clerk defines it.</summary>
public sealed record ProgramDefinition(string Code, string Name, string? Eligibility, int? VerificationMonths, bool Active);

/// <summary>A program with what it gives on a bill (the tariff charges limited to it) and how many accounts it counts for today.</summary>
public sealed record ProgramListing(string Code, string Name, string Eligibility, int? VerificationMonths, bool Active, int EnrolledAccounts,
    IReadOnlyList<ProgramCharge> Charges, string UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>
/// The assistance programs as data: a clerk adds and edits them (who is eligible, how often an enrollment must be
/// re-verified, whether it takes new enrollments). What a program gives is written in the tariffs (each charge whose
/// <c>for_programs</c> names its code); the listing reads those from the tariff catalog so the clerk sees the discount.
/// </summary>
public sealed class AssistancePrograms(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<IReadOnlyList<ProgramListing>> ListAsync(CancellationToken cancellationToken = default)
    {
        var programs = await db.AssistancePrograms.AsNoTracking().OrderBy(p => p.Code).ToListAsync(cancellationToken);
        var tariffs = await TariffCatalog.LoadAsync(db, cancellationToken);
        var today = calendar.Today();
        var counts = (await db.ProgramEnrollments.AsNoTracking()
                .Where(e => e.EnrolledOn <= today && (e.EndedOn == null || e.EndedOn > today) && (e.ExpiresOn == null || e.ExpiresOn >= today))
                .Select(e => new { e.AccountId, e.ProgramCode, e.EnrolledOn, e.VerifiedOn, e.ExpiresOn, e.EndedOn })
                .ToListAsync(cancellationToken))
            .Join(programs, e => e.ProgramCode, p => p.Code, (e, p) => (e.AccountId, e.ProgramCode, Span: ProgramEnrollments.Span(e.ProgramCode, e.EnrolledOn, e.VerifiedOn, e.ExpiresOn, e.EndedOn, p.VerificationMonths)))
            .Where(e => e.Span?.CountsOn(today) == true)
            .GroupBy(e => e.ProgramCode)
            .ToDictionary(g => g.Key, g => g.Select(e => e.AccountId).Distinct().Count());
        return [.. programs.Select(p => new ProgramListing(p.Code, p.Name, p.Eligibility, p.VerificationMonths, p.Active, counts.GetValueOrDefault(p.Code),
            tariffs.ChargesFor(p.Code), p.UpdatedBy, p.UpdatedAt))];
    }

    /// <summary>Adds a program, or changes one (its code stays); each refusal names its field. Audited.</summary>
    public async Task<ProgramListing> SaveAsync(ProgramDefinition definition, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var code = ProgramCodes.Normalize(definition.Code);
        var name = definition.Name?.Trim() ?? "";
        if (name.Length == 0 || name.Length > AssistanceProgramRow.NameLengthMax)
        {
            throw new DomainException($"A program has a name of 1 to {AssistanceProgramRow.NameLengthMax} characters.", "name");
        }

        var eligibility = definition.Eligibility?.Trim() ?? "";
        if (eligibility.Length > AssistanceProgramRow.EligibilityLengthMax)
        {
            throw new DomainException($"The eligibility is at most {AssistanceProgramRow.EligibilityLengthMax} characters.", "eligibility");
        }

        if (definition.VerificationMonths is { } months && (months < 1 || months > ProgramEnrollments.VerificationMonthsMax))
        {
            throw new DomainException($"Verification is required every 1 to {ProgramEnrollments.VerificationMonthsMax} months, or leave it empty.", "verificationMonths");
        }

        var row = await db.AssistancePrograms.SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        var before = row is null ? null : new { row.Name, row.Eligibility, row.VerificationMonths, row.Active };
        if (row is null)
        {
            row = new AssistanceProgramRow { Code = code };
            db.AssistancePrograms.Add(row);
        }

        row.Name = name;
        row.Eligibility = eligibility;
        row.VerificationMonths = definition.VerificationMonths;
        row.Active = definition.Active;
        row.UpdatedBy = user;
        row.UpdatedAt = clock.GetUtcNow();
        AuditLog.Record(db, row.UpdatedAt, user, "AssistanceProgram", 0, null, before is null ? "Add program" : "Change program", before,
            new { Code = code, name, eligibility, definition.VerificationMonths, definition.Active }, code);
        await db.SaveChangesAsync(cancellationToken);
        return (await ListAsync(cancellationToken)).Single(p => p.Code == code);
    }
}
