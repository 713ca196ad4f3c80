namespace OpenCIS.UseCases.Jobs;

/// <summary>
/// Hands a recorded job to whatever runs jobs in this host. The web host's is the Quartz.NET
/// scheduler (Jobs/QuartzJobQueue); the CLI registers none, since its commands run their work in
/// their own process and wait for it.
/// </summary>
public interface IJobQueue
{
    /// <summary>Schedules the job to start now. Done again for a job already scheduled, it changes nothing.</summary>
    Task EnqueueAsync(ActiveJob job, CancellationToken cancellationToken = default);
}

/// <summary>Runs one kind of job: the use case behind it, with its arguments read from the job's row.</summary>
public interface IJobHandler
{
    /// <summary>The <see cref="Storage.Jobs.JobRecord.Kind"/> this handler runs.</summary>
    string Kind { get; }

    Task<JobResult> RunAsync(JobWork work, IProgress<JobProgress> progress, CancellationToken cancellationToken);
}

/// <summary>One job as its handler sees it: its id, who asked for it and its arguments.</summary>
public sealed record JobWork(long JobId, string RequestedBy, JobArguments Arguments);

/// <summary>Units of work done out of the total, as the work reports them.</summary>
public sealed record JobProgress(int Done, int Total);

/// <summary>How a job ended: what it says, and the id of what it produced.</summary>
public sealed record JobResult(string Message, long? ResultId);

/// <summary>Raised when the same work is already queued or running; it names that job.</summary>
public sealed class JobAlreadyActiveException(JobView active) : Exception(active.AlreadyActiveMessage)
{
    public JobView Active { get; } = active;
}
