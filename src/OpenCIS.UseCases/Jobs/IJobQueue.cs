namespace OpenCIS.UseCases.Jobs;

/// <summary>
/// Hands a recorded job to whatever runs jobs in this host. The web host's is the Quartz.NET
/// scheduler (Jobs/QuartzJobQueue); the CLI registers none, since its commands run their work in
/// their own process and wait for it.
/// </summary>
public interface IJobQueue
{
    /// <summary>Schedules the job to start now. Scheduling it again is harmless: a job that has finished does nothing when fired.</summary>
    Task EnqueueAsync(ActiveJob job, CancellationToken cancellationToken = default);
}
