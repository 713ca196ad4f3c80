using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Customers;

namespace OpenCIS.UseCases.Billing;

public sealed record BillingCycleView(string Code, string Name, int ReadDayOfMonth, int DueDays, int ActiveAccounts, int BillDaysAfterRead = 1, int ReadWindowDays = 10, string HolidayCalendar = "US-Federal");
/// <summary>A run as the screens show it; while it runs, its counts are those of the chunks done so far.</summary>
public sealed record BillingRunView(long RunId, string CycleCode, DateOnly BusinessDate, string Status, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt, string StartedBy, int AccountsSelected, int BillsCreated, int ExceptionCount, long TotalBilledCents, int ChunksDone = 0, int ChunkCount = 0);
public sealed record BillingExceptionView(long AccountId, string AccountNumber, string Reason);

/// <summary>A page of a run's exceptions in account order, with how many the run has.</summary>
public sealed record BillingExceptionsPage(IReadOnlyList<BillingExceptionView> Exceptions, int Total, int Page, int PageSize);

/// <summary>What the billing screen and API show about cycles, runs and their exceptions.</summary>
public sealed class BillingQueries(OpenCisDbContext db)
{
    public async Task<IReadOnlyList<BillingCycleView>> CyclesAsync(CancellationToken cancellationToken = default)
    {
        var counts = await db.Accounts.Where(a => a.Status == AccountStatus.Active).GroupBy(a => a.CycleCode)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        return (await db.BillingCycles.AsNoTracking().OrderBy(c => c.Code).ToListAsync(cancellationToken))
            .Select(c => new BillingCycleView(c.Code, c.Name, c.ReadDayOfMonth, c.DueDays, counts.GetValueOrDefault(c.Code), c.BillDaysAfterRead, c.ReadWindowDays, c.HolidayCalendar)).ToList();
    }

    public async Task<IReadOnlyList<BillingRunView>> RecentRunsAsync(int limit = 30, CancellationToken cancellationToken = default) =>
        await WithProgressAsync(await db.BillingRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(limit).ToListAsync(cancellationToken), cancellationToken);

    public async Task<BillingRunView?> RunAsync(long runId, CancellationToken cancellationToken = default) =>
        (await WithProgressAsync(await db.BillingRuns.AsNoTracking().Where(r => r.Id == runId).ToListAsync(cancellationToken), cancellationToken)).SingleOrDefault();

    /// <summary>Runs with their chunk counts; a run still going shows the bills, exceptions and total of its chunks done so far.</summary>
    private async Task<IReadOnlyList<BillingRunView>> WithProgressAsync(List<BillingRun> runs, CancellationToken cancellationToken)
    {
        var ids = runs.Select(r => r.Id).ToArray();
        var chunks = await db.BillingRunChunks.Where(c => ids.Contains(c.BillingRunId)).GroupBy(c => c.BillingRunId)
            .Select(g => new
            {
                RunId = g.Key,
                Count = g.Count(),
                Done = g.Count(c => c.Status == BillingChunkStatus.Done),
                Bills = g.Sum(c => c.BillsCreated),
                Exceptions = g.Sum(c => c.ExceptionCount),
                Billed = g.Sum(c => c.BilledCents),
            })
            .ToDictionaryAsync(c => c.RunId, cancellationToken);
        return runs.Select(r =>
        {
            var view = ToView(r);
            if (!chunks.TryGetValue(r.Id, out var c))
            {
                return view;
            }

            view = view with { ChunksDone = c.Done, ChunkCount = c.Count };
            return r.Status == BillingRunStatus.Running ? view with { BillsCreated = c.Bills, ExceptionCount = c.Exceptions, TotalBilledCents = c.Billed } : view;
        }).ToList();
    }

    public async Task<IReadOnlyList<BillingExceptionView>> ExceptionsAsync(long runId, CancellationToken cancellationToken = default) =>
        await db.BillingExceptions.AsNoTracking().Where(x => x.BillingRunId == runId)
            .Join(db.Accounts, x => x.AccountId, a => a.Id, (x, a) => new { a.Id, a.AccountNumber, x.Reason })
            .OrderBy(x => x.AccountNumber).Select(x => new BillingExceptionView(x.Id, x.AccountNumber, x.Reason)).ToListAsync(cancellationToken);

    /// <summary>A page of a run's exceptions, counted and read in the database, so a run of any size shows its first page at once.</summary>
    public async Task<BillingExceptionsPage> ExceptionsPageAsync(long runId, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Max(1, pageSize);
        var exceptions = db.BillingExceptions.AsNoTracking().Where(x => x.BillingRunId == runId);
        var total = await exceptions.CountAsync(cancellationToken);
        var rows = await exceptions.Join(db.Accounts, x => x.AccountId, a => a.Id, (x, a) => new { a.Id, a.AccountNumber, x.Reason })
            .OrderBy(x => x.AccountNumber).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(x => new BillingExceptionView(x.Id, x.AccountNumber, x.Reason)).ToListAsync(cancellationToken);
        return new BillingExceptionsPage(rows, total, page, pageSize);
    }

    private static BillingRunView ToView(BillingRun r) =>
        new(r.Id, r.CycleCode, r.BusinessDate, r.Status.ToString(), r.StartedAt, r.CompletedAt, r.StartedBy, r.AccountsSelected, r.BillsCreated, r.ExceptionCount, r.TotalBilledCents);
}
