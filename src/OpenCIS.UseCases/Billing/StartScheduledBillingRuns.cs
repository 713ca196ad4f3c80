using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.UseCases.Billing;

/// <summary>What the billing schedule did for one cycle whose bill date is today.</summary>
public sealed record ScheduledBillingRun(string CycleCode, DateOnly BusinessDate, long? JobId, string Message);

/// <summary>
/// The billing schedule's daily step: every cycle whose schedule (<see cref="BillingSchedule"/>, with the
/// cycle's holiday calendar) puts its bill date on today's business date gets its billing run started as a
/// job, with that bill date as the run's business date. A cycle already billed that day, or whose run is
/// already going, is left alone and says so; a bill date the host was down for is not caught up here (the
/// schedule's trigger fires once on its next start the same day, and a clerk can start any run by hand).
/// </summary>
public sealed class StartScheduledBillingRuns(OpenCisDbContext db, StartBillingRun startBillingRun, BusinessCalendar calendar)
{
    /// <summary>Who the runs the schedule starts are started by, on the run and the job.</summary>
    public const string ScheduleUser = "schedule";

    public async Task<IReadOnlyList<ScheduledBillingRun>> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        var today = calendar.Today();
        var started = new List<ScheduledBillingRun>();
        foreach (var cycle in await db.BillingCycles.AsNoTracking().OrderBy(c => c.Code).ToListAsync(cancellationToken))
        {
            var holidays = await Cycles.BillingCalendars.ForCycleAsync(db, cycle, cancellationToken);
            if (BillingSchedule.MonthBilledOn(cycle.Rules, holidays, today) is not { } month)
            {
                continue;
            }

            var businessDate = month.Bill.Date;
            try
            {
                var start = await startBillingRun.ExecuteAsync(cycle.Code, businessDate, ScheduleUser, cancellationToken);
                started.Add(new ScheduledBillingRun(cycle.Code, businessDate, start.Job?.JobId, start.Message));
            }
            catch (JobAlreadyActiveException already)
            {
                started.Add(new ScheduledBillingRun(cycle.Code, businessDate, already.Active.JobId, already.Message));
            }
            catch (DomainException refused)
            {
                started.Add(new ScheduledBillingRun(cycle.Code, businessDate, null, refused.Message));
            }
        }

        return started;
    }
}
