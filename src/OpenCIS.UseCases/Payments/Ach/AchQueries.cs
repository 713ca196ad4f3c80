using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments.Ach;
using OpenCIS.Storage.Payments;

namespace OpenCIS.UseCases.Payments.Ach;

public sealed record AchFileSummary(long Id, DateOnly SettlementDate, string FileName, int EntryCount, int PrenoteCount, long TotalCents, DateTimeOffset CreatedAt, string CreatedBy);

public sealed record AchReturnSummary(long Id, string AccountNumber, string ReasonCode, string TraceNumber, long AmountCents, DateOnly ReturnedOn);

/// <summary>What the ACH screens, the API and the CLI list: enrollments (masked), files and returns.</summary>
public sealed class AchQueries(OpenCisDbContext db)
{
    public async Task<IReadOnlyList<AchEnrollmentView>> EnrollmentsAsync(string? accountNumber, int limit = 200, CancellationToken cancellationToken = default)
    {
        var query = from e in db.AchEnrollments.AsNoTracking()
                    join a in db.Accounts.AsNoTracking() on e.AccountId equals a.Id
                    where accountNumber == null || a.AccountNumber == accountNumber
                    orderby e.Id descending
                    select new { e, a.AccountNumber };
        return [.. (await query.Take(limit).ToListAsync(cancellationToken)).Select(x => AchEnrollmentView.Of(x.e, x.AccountNumber))];
    }

    public async Task<IReadOnlyList<AchFileSummary>> FilesAsync(int limit = 50, CancellationToken cancellationToken = default) =>
        await db.AchFiles.AsNoTracking().OrderByDescending(f => f.SettlementDate).Take(limit)
            .Select(f => new AchFileSummary(f.Id, f.SettlementDate, f.FileName, f.EntryCount, f.PrenoteCount, f.TotalCents, f.CreatedAt, f.CreatedBy))
            .ToListAsync(cancellationToken);

    public async Task<string?> FileContentAsync(long id, CancellationToken cancellationToken = default) =>
        await db.AchFiles.AsNoTracking().Where(f => f.Id == id).Select(f => f.Content).SingleOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<AchReturnSummary>> ReturnsAsync(int limit = 100, CancellationToken cancellationToken = default) =>
        await (from r in db.AchReturns.AsNoTracking()
               join e in db.AchEntries.AsNoTracking() on r.AchEntryId equals e.Id
               join a in db.Accounts.AsNoTracking() on r.AccountId equals a.Id
               orderby r.Id descending
               select new AchReturnSummary(r.Id, a.AccountNumber, r.ReasonCode, e.TraceNumber, r.AmountCents, r.ReturnedOn))
            .Take(limit).ToListAsync(cancellationToken);
}
