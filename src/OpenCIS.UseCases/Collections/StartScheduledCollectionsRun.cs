using OpenCIS.Core.Billing;
using OpenCIS.Storage;
using OpenCIS.UseCases.Billing.Cycles;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.UseCases.Collections;

/// <summary>
/// The nightly schedule's firing: on a business day (not a weekend, not a holiday of the utility's calendar)
/// the day's collections run starts as a job; a run of the day already going is left to finish.
/// </summary>
public sealed class StartScheduledCollectionsRun(OpenCisDbContext db, StartJob start, BusinessCalendar calendar)
{
    public async Task<string> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        var today = calendar.Today();
        var holidays = await BillingCalendars.NamedAsync(db, HolidayCalendar.UsFederalName, cancellationToken);
        if (today.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || holidays.In(today.Year).Any(h => h.Date == today))
        {
            return $"{today:yyyy-MM-dd} is not a business day; collections run on business days.";
        }

        try
        {
            var job = await start.ExecuteAsync(RunCollectionsJob.Request(today), "schedule", cancellationToken);
            return $"{job.Description} started (job {job.JobId}).";
        }
        catch (JobAlreadyActiveException already)
        {
            return already.Message;
        }
    }
}
