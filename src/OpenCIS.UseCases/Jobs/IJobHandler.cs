namespace OpenCIS.UseCases.Jobs;

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

/// <summary>
/// How a job ended: what it says, the id of what it produced, and its outcome in full (an import's
/// counts and errors), which the job keeps as JSON for the screens and the API.
/// </summary>
public sealed record JobResult(string Message, long? ResultId, object? Details = null);
