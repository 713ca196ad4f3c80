using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Assistance;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Assistance;

/// <summary>
/// The days each account's enrollments count (<see cref="ProgramEnrollments.Span"/>), for any number of accounts in one
/// query: the billing run's chunk, a rebill's account, the bill messages' targeting.
/// </summary>
public static class EnrolledSpans
{
    /// <summary>The spans of the enrollments of <paramref name="accountIds"/> that could count on some day from <paramref name="from"/> through <paramref name="through"/>.</summary>
    public static async Task<ILookup<long, EnrolledSpan>> LoadAsync(OpenCisDbContext db, IReadOnlyCollection<long> accountIds, DateOnly from, DateOnly through, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        if (accountIds.Count == 0)
        {
            return Array.Empty<EnrolledSpan>().ToLookup(_ => 0L);
        }

        var ids = accountIds.Distinct().ToArray();
        var rows = await db.ProgramEnrollments.AsNoTracking()
            .Where(e => ids.Contains(e.AccountId) && e.EnrolledOn <= through && (e.EndedOn == null || e.EndedOn > from) && (e.ExpiresOn == null || e.ExpiresOn >= from))
            .Join(db.AssistancePrograms, e => e.ProgramCode, p => p.Code, (e, p) => new { e.AccountId, e.ProgramCode, e.EnrolledOn, e.VerifiedOn, e.ExpiresOn, e.EndedOn, p.VerificationMonths })
            .ToListAsync(cancellationToken);
        return rows
            .Select(r => (r.AccountId, Span: ProgramEnrollments.Span(r.ProgramCode, r.EnrolledOn, r.VerifiedOn, r.ExpiresOn, r.EndedOn, r.VerificationMonths)))
            .Where(r => r.Span is not null)
            .ToLookup(r => r.AccountId, r => r.Span!);
    }

    /// <summary>
    /// The programs each account is enrolled in on <paramref name="on"/> (by the rule bills follow), for the accounts
    /// enrolled in any: what bill messages target by program.
    /// </summary>
    public static async Task<IReadOnlyDictionary<long, IReadOnlySet<string>>> ProgramsOfAccountsAsync(OpenCisDbContext db, IReadOnlyCollection<long> accountIds, DateOnly on, CancellationToken cancellationToken)
    {
        var spans = await LoadAsync(db, accountIds, on, on, cancellationToken);
        return spans
            .Select(g => (g.Key, Programs: ProgramEnrollments.CountingOn(g, on)))
            .Where(g => g.Programs.Count > 0)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Programs);
    }
}
