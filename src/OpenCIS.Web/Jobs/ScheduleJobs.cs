using Quartz;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Jobs;
using OpenCIS.UseCases.Mail;
using OpenCIS.UseCases.Payments.Ach;

namespace OpenCIS.Web.Jobs;

/// <summary>
/// The billing schedule's daily firing: cycles whose bill date is today get their billing runs started
/// as jobs (<see cref="StartScheduledBillingRuns"/>). One firing at a time, on one node of a cluster.
/// </summary>
[DisallowConcurrentExecution]
public sealed class BillingScheduleJob(IServiceScopeFactory scopes, ILogger<BillingScheduleJob> logger) : IJob
{
    public static readonly JobKey Key = new("billing-schedule", "schedules");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var started = await scope.ServiceProvider.GetRequiredService<StartScheduledBillingRuns>().ExecuteAsync(cancellationToken);
        foreach (var run in started)
        {
            logger.LogInformation("Billing schedule: {Message}", run.Message);
        }

        if (started.Count == 0)
        {
            logger.LogInformation("Billing schedule: no cycle has its bill date today.");
        }
    }
}

/// <summary>The ACH schedule's daily firing: on a banking day, the next banking day's ACH file is started as a job (<see cref="StartScheduledAchFile"/>).</summary>
[DisallowConcurrentExecution]
public sealed class AchScheduleJob(IServiceScopeFactory scopes, ILogger<AchScheduleJob> logger) : IJob
{
    public static readonly JobKey Key = new("ach-schedule", "schedules");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        logger.LogInformation("ACH schedule: {Message}", await scope.ServiceProvider.GetRequiredService<StartScheduledAchFile>().ExecuteAsync(cancellationToken));
    }
}

/// <summary>The mail schedule's firing: the sender starts as a job unless one is already going.</summary>
[DisallowConcurrentExecution]
public sealed class MailScheduleJob(IServiceScopeFactory scopes, ILogger<MailScheduleJob> logger) : IJob
{
    public static readonly JobKey Key = new("mail-schedule", "schedules");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            var job = await scope.ServiceProvider.GetRequiredService<StartJob>().ExecuteAsync(SendMailJob.Request(), "schedule", cancellationToken);
            logger.LogInformation("Mail schedule: {Description} started (job {JobId}).", job.Description, job.JobId);
        }
        catch (JobAlreadyActiveException already)
        {
            logger.LogInformation("Mail schedule: {Message}", already.Message);
        }
    }
}

/// <summary>The collections schedule's nightly firing: on a business day, the day's collections run starts as a job (<see cref="StartScheduledCollectionsRun"/>).</summary>
[DisallowConcurrentExecution]
public sealed class CollectionsScheduleJob(IServiceScopeFactory scopes, ILogger<CollectionsScheduleJob> logger) : IJob
{
    public static readonly JobKey Key = new("collections-schedule", "schedules");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        logger.LogInformation("Collections schedule: {Message}", await scope.ServiceProvider.GetRequiredService<StartScheduledCollectionsRun>().ExecuteAsync(cancellationToken));
    }
}
