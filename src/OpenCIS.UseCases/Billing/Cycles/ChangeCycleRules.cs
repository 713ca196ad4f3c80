using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;

namespace OpenCIS.UseCases.Billing.Cycles;

public sealed record ChangeCycleRulesRequest(int BillDaysAfterRead, int DueDays, int ReadWindowDays, string HolidayCalendar, string Reason);

/// <summary>Changes a cycle's schedule rules, with the before and after in the audit trail.</summary>
public sealed class ChangeCycleRules(OpenCisDbContext db, TimeProvider clock)
{
    public async Task<BillingCycle> ExecuteAsync(string cycleCode, ChangeCycleRulesRequest request, string user, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw new DomainException("Say why the cycle's rules change.", "reason");
        }

        var cycle = await db.BillingCycles.SingleOrDefaultAsync(c => c.Code == cycleCode, cancellationToken)
            ?? throw new DomainException($"There is no billing cycle {cycleCode}.", "cycle");
        var before = Snapshot(cycle);
        cycle.ChangeRules(request.BillDaysAfterRead, request.DueDays, request.ReadWindowDays, request.HolidayCalendar);
        db.Entry(cycle).State = EntityState.Modified;
        // Cycles are keyed by code, audit entries by number: the code is in the before and after.
        AuditLog.Record(db, clock.GetUtcNow(), user, "BillingCycle", 0, null, "Change cycle rules", before, Snapshot(cycle), request.Reason.Trim());
        await db.SaveChangesAsync(cancellationToken);
        return cycle;
    }

    private static object Snapshot(BillingCycle c) => new { c.Code, c.BillDaysAfterRead, c.DueDays, c.ReadWindowDays, c.HolidayCalendar };
}
