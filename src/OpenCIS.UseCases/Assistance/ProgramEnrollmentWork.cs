using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Assistance;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Assistance;
using OpenCIS.Storage.Audit;

namespace OpenCIS.UseCases.Assistance;

/// <summary>An account's enrollment with whether it counts today and, when it does not, why.</summary>
public sealed record EnrollmentView(long Id, string AccountNumber, string ProgramCode, string ProgramName, DateOnly EnrolledOn, DateOnly? VerifiedOn, DateOnly? ExpiresOn,
    DateOnly? EndedOn, DateOnly? CountsThrough, bool CountsToday, string State, string EnrolledBy, string? EndedBy, string? Note);

public sealed record EnrollRequest(string AccountNumber, string ProgramCode, DateOnly? EnrolledOn, DateOnly? VerifiedOn, DateOnly? ExpiresOn, string? Note);

/// <summary>
/// Enrolls accounts in programs, records a new verification and ends an enrollment. An enrollment counts for a bill
/// when it counts on the bill's period end (<see cref="ProgramEnrollments"/>); only an active program takes new
/// enrollments, and an account has at most one open enrollment per program. Every change is audited.
/// </summary>
public sealed class ProgramEnrollmentWork(OpenCisDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public async Task<EnrollmentView> EnrollAsync(EnrollRequest request, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var code = ProgramCodes.Normalize(request.ProgramCode, "programCode");
        var account = await AccountAsync(request.AccountNumber, cancellationToken);
        var program = await db.AssistancePrograms.AsNoTracking().SingleOrDefaultAsync(p => p.Code == code, cancellationToken)
            ?? throw new DomainException($"There is no program {code}.", "programCode");
        if (!program.Active)
        {
            throw new DomainException($"Program {code} takes no new enrollments.", "programCode");
        }

        var enrolledOn = request.EnrolledOn ?? calendar.Today();
        ProgramEnrollments.CheckDates(enrolledOn, request.ExpiresOn, null);
        var note = ProgramEnrollments.Note(request.Note);
        if (await db.ProgramEnrollments.AnyAsync(e => e.AccountId == account.Id && e.ProgramCode == code && e.EndedOn == null, cancellationToken))
        {
            throw new DomainException($"Account {request.AccountNumber} is already enrolled in {code}; verify or end that enrollment.", "programCode");
        }

        var row = ProgramEnrollmentRow.Enroll(account.Id, code, enrolledOn, request.VerifiedOn, request.ExpiresOn, user, note);
        db.ProgramEnrollments.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, clock.GetUtcNow(), user, "ProgramEnrollment", row.Id, account.Id, "Enroll", null,
            new { code, enrolledOn, request.VerifiedOn, request.ExpiresOn }, note);
        await db.SaveChangesAsync(cancellationToken);
        return (await OfAccountAsync(request.AccountNumber, cancellationToken)).Single(e => e.Id == row.Id);
    }

    /// <summary>The customer's eligibility was checked again on <paramref name="verifiedOn"/> (default today), with a new expiry when given.</summary>
    public Task<EnrollmentView> VerifyAsync(long enrollmentId, DateOnly? verifiedOn, DateOnly? expiresOn, string user, CancellationToken cancellationToken = default) =>
        ChangeAsync(enrollmentId, "Verify", row => row.Verify(verifiedOn ?? calendar.Today(), expiresOn), user, null, cancellationToken);

    /// <summary>Ends the enrollment: it no longer counts from <paramref name="endedOn"/> (default today).</summary>
    public Task<EnrollmentView> EndAsync(long enrollmentId, DateOnly? endedOn, string? note, string user, CancellationToken cancellationToken = default) =>
        ChangeAsync(enrollmentId, "End", row => row.End(endedOn ?? calendar.Today(), user, ProgramEnrollments.Note(note)), user, note, cancellationToken);

    /// <summary>The account's enrollments, open ones first, each with whether it counts today.</summary>
    public async Task<IReadOnlyList<EnrollmentView>> OfAccountAsync(string accountNumber, CancellationToken cancellationToken = default)
    {
        var account = await AccountAsync(accountNumber, cancellationToken);
        var today = calendar.Today();
        var rows = await db.ProgramEnrollments.AsNoTracking().Where(e => e.AccountId == account.Id)
            .Join(db.AssistancePrograms, e => e.ProgramCode, p => p.Code, (e, p) => new { Enrollment = e, p.Name, p.VerificationMonths })
            .ToListAsync(cancellationToken);
        return [.. rows
            .Select(r => View(account.AccountNumber, r.Enrollment, r.Name, r.VerificationMonths, today))
            .OrderBy(v => v.EndedOn is not null).ThenByDescending(v => v.EnrolledOn).ThenByDescending(v => v.Id)];
    }

    private async Task<EnrollmentView> ChangeAsync(long enrollmentId, string action, Action<ProgramEnrollmentRow> change, string user, string? reason, CancellationToken cancellationToken)
    {
        var row = await db.ProgramEnrollments.SingleOrDefaultAsync(e => e.Id == enrollmentId, cancellationToken)
            ?? throw new DomainException($"There is no enrollment {enrollmentId}.", "enrollmentId");
        var before = new { row.VerifiedOn, row.ExpiresOn, row.EndedOn };
        change(row);
        AuditLog.Record(db, clock.GetUtcNow(), user, "ProgramEnrollment", row.Id, row.AccountId, action, before, new { row.VerifiedOn, row.ExpiresOn, row.EndedOn }, reason);
        await db.SaveChangesAsync(cancellationToken);
        var accountNumber = await db.Accounts.Where(a => a.Id == row.AccountId).Select(a => a.AccountNumber).SingleAsync(cancellationToken);
        return (await OfAccountAsync(accountNumber, cancellationToken)).Single(e => e.Id == row.Id);
    }

    private static EnrollmentView View(string accountNumber, ProgramEnrollmentRow e, string programName, int? verificationMonths, DateOnly today)
    {
        var span = ProgramEnrollments.Span(e.ProgramCode, e.EnrolledOn, e.VerifiedOn, e.ExpiresOn, e.EndedOn, verificationMonths);
        var counts = span?.CountsOn(today) == true;
        var state = counts ? "Counts"
            : e.EndedOn is not null && e.EndedOn <= today ? "Ended"
            : e.EnrolledOn > today ? "Starts later"
            : e.ExpiresOn is not null && e.ExpiresOn < today ? "Expired"
            : "Verification due";
        return new EnrollmentView(e.Id, accountNumber, e.ProgramCode, programName, e.EnrolledOn, e.VerifiedOn, e.ExpiresOn, e.EndedOn, span?.Through, counts, state,
            e.EnrolledBy, e.EndedBy, e.Note);
    }

    private async Task<(long Id, string AccountNumber)> AccountAsync(string accountNumber, CancellationToken cancellationToken)
    {
        var number = accountNumber?.Trim() ?? "";
        return (await PledgeQueries.AccountIdAsync(db, number, cancellationToken), number);
    }
}
