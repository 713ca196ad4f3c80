using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;

namespace OpenCIS.UseCases.Billing.Cycles;

/// <summary>A scheduled date; <c>MovedBy</c> names the holidays that moved it, when any did.</summary>
public sealed record ScheduledDateView(DateOnly Date, string? MovedBy);

public sealed record CycleMonthView(string Month, ScheduledDateView ReadDate, DateOnly ReadWindowStart, DateOnly ReadWindowEnd, ScheduledDateView BillDate, ScheduledDateView DueDate);

public sealed record CycleScheduleView(string Code, string Name, int ReadDayOfMonth, int BillDaysAfterRead, int DueDays, int ReadWindowDays, string HolidayCalendar, IReadOnlyList<CycleMonthView> Months);

/// <summary>Where a holiday comes from: a rule of the named calendar, or the utility's own (which can be removed).</summary>
public sealed record HolidayView(string Calendar, DateOnly Date, string Name, bool Own);

/// <summary>Cycle schedules and holiday lists for the screens, the API and the CLI.</summary>
public sealed class CycleSchedules(OpenCisDbContext db)
{
    public const int MonthsMax = 36;

    public async Task<CycleScheduleView> ScheduleAsync(string cycleCode, DateOnly from, int months, CancellationToken cancellationToken = default)
    {
        var (cycle, calendar) = await BillingCalendars.ForCycleAsync(db, cycleCode, cancellationToken);
        return View(cycle, calendar, from, months);
    }

    /// <summary>Every cycle with its schedule; one query for the cycles and one per calendar they keep.</summary>
    public async Task<IReadOnlyList<CycleScheduleView>> SchedulesAsync(DateOnly from, int months, CancellationToken cancellationToken = default)
    {
        var cycles = await db.BillingCycles.AsNoTracking().OrderBy(c => c.Code).ToListAsync(cancellationToken);
        var calendars = new Dictionary<string, HolidayCalendar>();
        foreach (var name in cycles.Select(c => c.HolidayCalendar).Distinct())
        {
            calendars[name] = await BillingCalendars.NamedAsync(db, name, cancellationToken);
        }

        return [.. cycles.Select(c => View(c, calendars[c.HolidayCalendar], from, months))];
    }

    /// <summary>The holidays kept by a calendar in the given years, the rule ones and the utility's own.</summary>
    public async Task<IReadOnlyList<HolidayView>> HolidaysAsync(string calendar, int firstYear, int lastYear, CancellationToken cancellationToken = default)
    {
        var own = await db.Holidays.AsNoTracking().Where(h => h.Calendar == calendar).ToListAsync(cancellationToken);
        var ownDates = own.Select(h => h.Date).ToHashSet();
        var rules = HolidayCalendar.Named(calendar, []);
        return [.. Enumerable.Range(firstYear, Math.Max(0, lastYear - firstYear + 1))
            .SelectMany(year => rules.In(year).Select(h => new HolidayView(calendar, h.Date, h.Name, false)))
            .Concat(own.Where(h => h.Date.Year >= firstYear && h.Date.Year <= lastYear).Select(h => new HolidayView(calendar, h.Date, h.Name, true)))
            .OrderBy(h => h.Date).ThenBy(h => h.Own)];
    }

    private static CycleScheduleView View(BillingCycle cycle, HolidayCalendar calendar, DateOnly from, int months) =>
        new(cycle.Code, cycle.Name, cycle.ReadDayOfMonth, cycle.BillDaysAfterRead, cycle.DueDays, cycle.ReadWindowDays, cycle.HolidayCalendar,
            [.. BillingSchedule.Months(cycle.Rules, calendar, from, months).Select(m => new CycleMonthView(
                $"{m.Year:D4}-{m.Month:D2}", Date(m.Read), m.ReadWindowStart, m.ReadWindowEnd, Date(m.Bill), Date(m.Due)))]);

    private static ScheduledDateView Date(ScheduledDate date) =>
        new(date.Date, date.MovedPastHolidays.Count == 0 ? null : string.Join(", ", date.MovedPastHolidays.Distinct()));
}
