using Microsoft.EntityFrameworkCore;
using OpenCIS.Data.Storage;

namespace OpenCIS.Data.Billing;

public sealed record BillingCycleView(string Code, string Name, int ReadDayOfMonth, int DueDays, int ActiveAccounts, int BillDaysAfterRead = 1, int ReadWindowDays = 10, string HolidayCalendar = "US-Federal");
public sealed record BillingRunView(long RunId, string CycleCode, DateOnly BusinessDate, string Status, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt, string StartedBy, int AccountsSelected, int BillsCreated, int ExceptionCount, long TotalBilledCents);
public sealed record BillingExceptionView(long AccountId, string AccountNumber, string Reason);

/// <summary>What the billing screen and API show about cycles, runs and their exceptions.</summary>
public sealed class BillingQueries(OpenCisDbContext db)
{
    public async Task<IReadOnlyList<BillingCycleView>> CyclesAsync(CancellationToken cancellationToken = default)
    {
        var counts = await db.Accounts.Where(a => a.Status == Customers.AccountStatus.Active).GroupBy(a => a.CycleCode)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        return (await db.BillingCycles.AsNoTracking().OrderBy(c => c.Code).ToListAsync(cancellationToken))
            .Select(c => new BillingCycleView(c.Code, c.Name, c.ReadDayOfMonth, c.DueDays, counts.GetValueOrDefault(c.Code), c.BillDaysAfterRead, c.ReadWindowDays, c.HolidayCalendar)).ToList();
    }

    public async Task<IReadOnlyList<BillingRunView>> RecentRunsAsync(int limit = 30, CancellationToken cancellationToken = default) =>
        (await db.BillingRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(limit).ToListAsync(cancellationToken)).Select(ToView).ToList();

    public async Task<BillingRunView?> RunAsync(long runId, CancellationToken cancellationToken = default) =>
        await db.BillingRuns.AsNoTracking().Where(r => r.Id == runId).Select(r => ToView(r)).SingleOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<BillingExceptionView>> ExceptionsAsync(long runId, CancellationToken cancellationToken = default) =>
        await db.BillingExceptions.AsNoTracking().Where(x => x.BillingRunId == runId)
            .Join(db.Accounts, x => x.AccountId, a => a.Id, (x, a) => new { a.Id, a.AccountNumber, x.Reason })
            .OrderBy(x => x.AccountNumber).Select(x => new BillingExceptionView(x.Id, x.AccountNumber, x.Reason)).ToListAsync(cancellationToken);

    private static BillingRunView ToView(BillingRun r) =>
        new(r.Id, r.CycleCode, r.BusinessDate, r.Status.ToString(), r.StartedAt, r.CompletedAt, r.StartedBy, r.AccountsSelected, r.BillsCreated, r.ExceptionCount, r.TotalBilledCents);
}
