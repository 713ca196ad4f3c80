using Quartz;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.Web.Jobs;

/// <summary>
/// The Quartz job that runs one recorded job (a row in <c>jobs</c>) through <see cref="RunJob"/>. Its
/// Quartz key is the work's key ("billing-run:C1:2026-11-05"), so DisallowConcurrentExecution keeps two
/// firings of the same work (a recovery and a fresh start, or two nodes) from running side by side.
/// It requests recovery: a firing cut short by a host that died or stopped is fired again by the next
/// host to start, or by another node of the cluster, and the work carries on from what it committed.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RecordedJob(IServiceScopeFactory scopes, ILogger<RecordedJob> logger) : IJob
{
    public const string Group = "work";
    public const string JobIdKey = "jobId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var jobId = long.Parse(context.MergedJobDataMap.GetString(JobIdKey)!, System.Globalization.CultureInfo.InvariantCulture);
        if (context.Recovering)
        {
            logger.LogInformation("Job {JobId} ({Work}) resumes after its host stopped in the middle.", jobId, context.JobDetail.Key.Name);
        }

        await using var scope = scopes.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<RunJob>().ExecuteAsync(jobId, cancellationToken);
        logger.LogInformation("Job {JobId} ({Work}): {Outcome}.", jobId, context.JobDetail.Key.Name, outcome);
    }

    public static JobKey KeyFor(string workKey) => new(workKey, Group);
}
