using Quartz;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.Web.Jobs;

/// <summary>Hands recorded jobs to the Quartz scheduler: one job per work key, fired now, kept in the database until it has run.</summary>
public sealed class QuartzJobQueue(ISchedulerFactory schedulers) : IJobQueue
{
    public async Task EnqueueAsync(ActiveJob job, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var detail = JobBuilder.Create<RecordedJob>()
            .WithIdentity(RecordedJob.KeyFor(job.WorkKey))
            .WithDescription($"Job {job.JobId}: {job.Kind}")
            .UsingJobData(RecordedJob.JobIdKey, job.JobId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .RequestRecovery()
            .Build();
        // "Now" on the scheduler's own clock: a trigger dated by another clock could look late (misfired) to it.
        var trigger = TriggerBuilder.Create(scheduler.TimeProvider)
            .WithIdentity($"job-{job.JobId}", RecordedJob.Group)
            .ForJob(detail)
            .StartNow()
            .Build();
        // Replacing is safe: a work key is active in one job row at a time (the unique index), so a Quartz
        // job already stored under it is one left behind by a job that has finished.
        await scheduler.ScheduleJob(detail, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
    }
}
