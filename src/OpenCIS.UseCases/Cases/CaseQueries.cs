using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Cases;
using OpenCIS.Storage;
using OpenCIS.Storage.Cases;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.ServiceOrders;

namespace OpenCIS.UseCases.Cases;

/// <summary>An open service order as a person's work list shows it.</summary>
public sealed record WorkOrderView(long Id, string Kind, string Status, string? AccountNumber, DateOnly DueOn, bool Overdue);

/// <summary>
/// A person's work after login: the cases assigned to them, the cases waiting unassigned in the queues, their open
/// service orders, and (for those who approve) the waivers waiting on a decision. Counts go in the navigation.
/// </summary>
public sealed record MyWork(IReadOnlyList<CaseView> MyCases, IReadOnlyList<CaseView> Unassigned, IReadOnlyList<WorkOrderView> MyOrders, int WaiversToDecide);

public sealed class CaseQueries(OpenCisDbContext db, BusinessCalendar calendar)
{
    public const int ListLimit = 200;

    public async Task<IReadOnlyList<CaseView>> ForAccountAsync(long accountId, CancellationToken cancellationToken = default) =>
        await ViewsAsync(db.AccountCases.Where(c => c.AccountId == accountId).OrderByDescending(c => c.Id), cancellationToken);

    public async Task<CaseView?> FindAsync(long caseId, CancellationToken cancellationToken = default) =>
        (await ViewsAsync(db.AccountCases.Where(c => c.Id == caseId), cancellationToken)).SingleOrDefault();

    /// <summary>The open cases, oldest due first, optionally only a person's or a queue's.</summary>
    public async Task<IReadOnlyList<CaseView>> OpenAsync(string? assignedTo = null, string? queue = null, CancellationToken cancellationToken = default)
    {
        var open = db.AccountCases.Where(c => c.Status != CaseStatus.Resolved);
        if (!string.IsNullOrWhiteSpace(assignedTo))
        {
            open = open.Where(c => c.AssignedTo == assignedTo);
        }

        if (!string.IsNullOrWhiteSpace(queue))
        {
            open = open.Where(c => c.Queue == queue);
        }

        return await ViewsAsync(open.OrderBy(c => c.DueOn).ThenBy(c => c.Id), cancellationToken);
    }

    public async Task<MyWork> MyWorkAsync(string user, bool decidesWaivers, CancellationToken cancellationToken = default)
    {
        var today = calendar.Today();
        var mine = await OpenAsync(user, null, cancellationToken);
        var unassigned = await ViewsAsync(db.AccountCases.Where(c => c.Status == CaseStatus.Open && c.AssignedTo == null).OrderBy(c => c.DueOn).ThenBy(c => c.Id), cancellationToken);
        var orders = await db.ServiceOrders.AsNoTracking()
            .Where(o => o.AssignedTo == user && (o.Status == ServiceOrderStatus.Open || o.Status == ServiceOrderStatus.Dispatched))
            .OrderBy(o => o.DueOn).ThenBy(o => o.Id).Take(ListLimit)
            .Select(o => new { o.Id, o.Kind, o.Status, o.DueOn, Number = db.Accounts.Where(a => a.Id == o.AccountId).Select(a => a.AccountNumber).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        var waivers = decidesWaivers ? await db.ChargeWaivers.CountAsync(w => w.Status == WaiverStatus.Pending, cancellationToken) : 0;
        return new MyWork(mine, unassigned, [.. orders.Select(o => new WorkOrderView(o.Id, o.Kind.ToString(), o.Status.ToString(), o.Number, o.DueOn, o.DueOn < today))], waivers);
    }

    /// <summary>How many open cases are assigned to the person and open orders dispatched to them: the navigation's count.</summary>
    public async Task<int> MyCountAsync(string user, CancellationToken cancellationToken = default) =>
        await db.AccountCases.CountAsync(c => c.AssignedTo == user && c.Status != CaseStatus.Resolved, cancellationToken)
        + await db.ServiceOrders.CountAsync(o => o.AssignedTo == user && (o.Status == ServiceOrderStatus.Open || o.Status == ServiceOrderStatus.Dispatched), cancellationToken);

    private async Task<IReadOnlyList<CaseView>> ViewsAsync(IQueryable<AccountCase> cases, CancellationToken cancellationToken)
    {
        var rows = await cases.AsNoTracking().Include(c => c.Changes).Take(ListLimit).AsSplitQuery().ToListAsync(cancellationToken);
        var ids = rows.Select(c => c.AccountId).Distinct().ToList();
        var numbers = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.AccountNumber, cancellationToken);
        var today = calendar.Today();
        return [.. rows.Select(c => CaseView.Of(c, numbers[c.AccountId], today))];
    }
}
