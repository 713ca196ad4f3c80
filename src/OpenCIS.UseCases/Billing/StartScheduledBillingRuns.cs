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
/// already going, is left alone and says so. A bill date the schedule missed (the host was down that day)
/// is caught up on a later day, up to <see cref="CatchUpDays"/> days on, if the cycle has had no run on or
/// after that date: a cycle a clerk billed by hand on another day is not billed again.
/// </summary>
public sealed class StartScheduledBillingRuns(OpenCisDbContext db, StartBillingRun startBillingRun, BusinessCalendar calendar)
{
    /// <summary>Who the runs the schedule starts are started by, on the run and the job.</summary>
    public const string ScheduleUser = "schedule";

    /// <summary>How many days back a missed bill date is still caught up: a week of the host being down.</summary>
    public const int CatchUpDays = 7;

    public async Task<IReadOnlyList<ScheduledBillingRun>> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        var today = calendar.Today();
        var started = new List<ScheduledBillingRun>();
        foreach (var cycle in await db.BillingCycles.AsNoTracking().OrderBy(c => c.Code).ToListAsync(cancellationToken))
        {
            var holidays = await Cycles.BillingCalendars.ForCycleAsync(db, cycle, cancellationToken);
            if (BillingSchedule.LatestMonthBilledWithin(cycle.Rules, holidays, today, CatchUpDays) is not { } month)
            {
                continue;
            }

            var businessDate = month.Bill.Date;
            if (businessDate < today
                && await db.BillingRuns.AnyAsync(r => r.CycleCode == cycle.Code && r.BusinessDate >= businessDate, cancellationToken))
            {
                // Billed on its day, or by hand since: nothing was missed.
                continue;
            }

            try
            {
                var start = await startBillingRun.ExecuteAsync(cycle.Code, businessDate, ScheduleUser, cancellationToken);
                var caughtUp = businessDate < today ? $" (caught up: its bill date {businessDate:yyyy-MM-dd} passed with no run)" : "";
                started.Add(new ScheduledBillingRun(cycle.Code, businessDate, start.Job?.JobId, start.Message + caughtUp));
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
