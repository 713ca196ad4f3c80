using Quartz;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.Web.Jobs;

/// <summary>
/// On start, hands the scheduler again any job recorded as queued or running that it does not hold: one
/// recorded just before a host died and never scheduled, or one whose Quartz job was lost. The scheduler's
/// own recovery covers the usual case (a firing cut short); this covers the gap between the two writes.
/// </summary>
public sealed class ResumeUnscheduledJobs(IServiceScopeFactory scopes, ISchedulerFactory schedulers, ILogger<ResumeUnscheduledJobs> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var queue = scope.ServiceProvider.GetRequiredService<IJobQueue>();
        foreach (var job in await scope.ServiceProvider.GetRequiredService<JobQueries>().UnfinishedAsync(cancellationToken))
        {
            var held = await scheduler.GetJobDetail(RecordedJob.KeyFor(job.WorkKey), cancellationToken);
            if (held?.JobDataMap.GetString(RecordedJob.JobIdKey) != job.JobId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                logger.LogWarning("Job {JobId} ({Work}) was recorded but not scheduled; scheduling it again.", job.JobId, job.WorkKey);
                await queue.EnqueueAsync(job, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
