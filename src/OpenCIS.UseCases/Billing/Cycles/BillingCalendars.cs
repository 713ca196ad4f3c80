using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;

namespace OpenCIS.UseCases.Billing.Cycles;

/// <summary>Builds the holiday calendar a cycle keeps: its named rule set plus the utility's own holidays of that name.</summary>
public static class BillingCalendars
{
    /// <summary>The calendar of a cycle already loaded: one query for the utility's holidays of its calendar.</summary>
    public static async Task<HolidayCalendar> ForCycleAsync(OpenCisDbContext db, BillingCycle cycle, CancellationToken cancellationToken) =>
        await NamedAsync(db, cycle.HolidayCalendar, cancellationToken);

    /// <summary>A named calendar with the utility's holidays added to it, in one query.</summary>
    public static async Task<HolidayCalendar> NamedAsync(OpenCisDbContext db, string calendar, CancellationToken cancellationToken)
    {
        var own = await db.Holidays.AsNoTracking().Where(h => h.Calendar == calendar).Select(h => new { h.Date, h.Name }).ToListAsync(cancellationToken);
        return HolidayCalendar.Named(calendar, own.Select(h => (h.Date, h.Name)));
    }

    /// <summary>A cycle's rules and calendar by its code, in one query (the cycle joined to its calendar's holidays).</summary>
    public static async Task<(BillingCycle Cycle, HolidayCalendar Calendar)> ForCycleAsync(OpenCisDbContext db, string cycleCode, CancellationToken cancellationToken)
    {
        var found = await db.BillingCycles.AsNoTracking().Where(c => c.Code == cycleCode)
            .Select(c => new { Cycle = c, Holidays = db.Holidays.Where(h => h.Calendar == c.HolidayCalendar).Select(h => new { h.Date, h.Name }).ToList() })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException($"There is no billing cycle {cycleCode}.", "cycle");
        return (found.Cycle, HolidayCalendar.Named(found.Cycle.HolidayCalendar, found.Holidays.Select(h => (h.Date, h.Name))));
    }
}
