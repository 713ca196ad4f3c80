using Quartz;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Billing.Cycles;

namespace OpenCIS.Web.Jobs;

/// <summary>A cycle's next bill date, the day the billing schedule starts its run (and the run's business date).</summary>
public sealed record CycleBillDateView(string Cycle, string Name, DateOnly BillDate, string? MovedBy);

/// <summary>A schedule as a Supervisor sees it: its setting, what it starts, and when it fires next.</summary>
public sealed record ScheduleView(
    string Name,
    string Setting,
    string Starts,
    string? CronExpression,
    bool Enabled,
    string TimeZone,
    DateTimeOffset? NextFireAt,
    DateTimeOffset? PreviousFireAt,
    IReadOnlyList<CycleBillDateView> NextBillDates);

/// <summary>The schedules from configuration, with their triggers' fire times from the scheduler and the cycles' coming bill dates.</summary>
public sealed class ScheduleQueries(ISchedulerFactory schedulers, JobSchedules schedules, CycleSchedules cycles, BusinessCalendar calendar)
{
    public async Task<IReadOnlyList<ScheduleView>> SchedulesAsync(CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var today = calendar.Today();
        // Two months cover the next bill date of every cycle, whatever day of the month today is.
        var billDates = (await cycles.SchedulesAsync(today, 2, cancellationToken))
            .Select(c => c.Months.Select(m => m.BillDate).Where(d => d.Date >= today).Select(d => new CycleBillDateView(c.Code, c.Name, d.Date, d.MovedBy)).FirstOrDefault())
            .OfType<CycleBillDateView>()
            .OrderBy(c => c.BillDate).ThenBy(c => c.Cycle)
            .ToList();
        var views = new List<ScheduleView>();
        foreach (var (schedule, key) in new[] { (schedules.Billing, BillingScheduleJob.Key), (schedules.Ach, AchScheduleJob.Key), (schedules.Mail, MailScheduleJob.Key), (schedules.Collections, CollectionsScheduleJob.Key) })
        {
            var trigger = await scheduler.GetTrigger(new TriggerKey(key.Name, key.Group), cancellationToken);
            views.Add(new ScheduleView(
                schedule.Name, schedule.Setting, schedule.Starts, schedule.CronExpression, schedule.Enabled, schedules.Zone.Id,
                trigger?.NextFireTimeUtc, trigger?.PreviousFireTimeUtc,
                key == BillingScheduleJob.Key ? billDates : []));
        }

        return views;
    }
}
