using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Jobs;

namespace OpenCIS.UseCases.Jobs;

/// <summary>
/// Runs one recorded job to its end: takes it (Running, one more attempt), runs its kind's handler while
/// its progress is written to the row about once a second, and records how it ended. The handlers'
/// work is resumable (a billing run carries on with the chunks not yet committed), so running a job
/// again after a host stopped or died in the middle finishes it, and running a finished job does nothing.
/// </summary>
public sealed class RunJob(OpenCisDbContext db, DatabaseSettings settings, IEnumerable<IJobHandler> handlers, TimeProvider clock)
{
    /// <summary>How often progress reaches the row: often enough for a screen that polls, rarely enough to cost nothing.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public async Task<JobRunOutcome> ExecuteAsync(long jobId, CancellationToken cancellationToken = default)
    {
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null || !await JobLifecycle.StartAsync(db, jobId, clock.GetUtcNow(), cancellationToken))
        {
            return JobRunOutcome.AlreadyFinished;
        }

        var handler = handlers.SingleOrDefault(h => h.Kind == job.Kind);
        if (handler is null)
        {
            await JobLifecycle.FailAsync(db, jobId, $"This host has no handler for jobs of kind '{job.Kind}'.", clock.GetUtcNow(), cancellationToken);
            return JobRunOutcome.Failed;
        }

        var started = clock.GetTimestamp();
        var progress = new LatestProgress();
        using var stopReporting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporter = ReportAsync(jobId, progress, stopReporting.Token);
        try
        {
            var result = await handler.RunAsync(new JobWork(jobId, job.RequestedBy, JobArguments.FromJson(job.Arguments)), progress, cancellationToken);
            await StopAsync(reporter, stopReporting);
            await WriteProgressAsync(jobId, progress, CancellationToken.None);
            await JobLifecycle.CompleteAsync(db, jobId, result, clock.GetUtcNow(), CancellationToken.None);
            Telemetry.OpenCisMetrics.JobFinished(job.Kind, "completed", clock.GetElapsedTime(started));
            return JobRunOutcome.Completed;
        }
        catch (DomainException exception)
        {
            // The work refused itself (an unknown cycle, a rule broken): running it again would refuse again.
            await StopAsync(reporter, stopReporting);
            await JobLifecycle.FailAsync(db, jobId, exception.Message, clock.GetUtcNow(), CancellationToken.None);
            Telemetry.OpenCisMetrics.JobFinished(job.Kind, "refused", clock.GetElapsedTime(started));
            return JobRunOutcome.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping: the job stays Running, and the scheduler hands the firing back for
            // recovery, so the next host to start (or another node) carries on where this one stopped.
            await StopAsync(reporter, stopReporting);
            await WriteProgressAsync(jobId, progress, CancellationToken.None);
            throw;
        }
        catch (Exception exception)
        {
            await StopAsync(reporter, stopReporting);
            await JobLifecycle.FailAsync(db, jobId, $"Failed: {exception.Message} Starting the same work again carries on from what was committed.", clock.GetUtcNow(), CancellationToken.None);
            Telemetry.OpenCisMetrics.JobFinished(job.Kind, "failed", clock.GetElapsedTime(started));
            throw;
        }
    }

    private static async Task StopAsync(Task reporter, CancellationTokenSource stop)
    {
        await stop.CancelAsync();
        await reporter;
    }

    private async Task ReportAsync(long jobId, LatestProgress progress, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(ProgressInterval, cancellationToken);

                // The write itself is not cancelled: figures taken and then dropped by a cancelled write
                // would never reach the row, since the last write only sends figures that changed since.
                await WriteProgressAsync(jobId, progress, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The work ended; the last figures are written by the caller.
        }
    }

    /// <summary>Writes the latest figures if they changed, on a connection of its own: the work is using the scoped one.</summary>
    private async Task WriteProgressAsync(long jobId, LatestProgress progress, CancellationToken cancellationToken)
    {
        if (progress.TakeChanged() is not { } latest)
        {
            return;
        }

        await using var progressDb = settings.CreateContext();
        await JobLifecycle.ReportAsync(progressDb, jobId, latest, cancellationToken);
    }

    /// <summary>Keeps the newest figures the work reported, from whichever of its lanes reported them.</summary>
    private sealed class LatestProgress : IProgress<JobProgress>
    {
        private readonly Lock gate = new();
        private JobProgress? latest;
        private bool changed;

        public void Report(JobProgress value)
        {
            lock (gate)
            {
                if (latest is null || value.Done >= latest.Done || value.Total != latest.Total)
                {
                    latest = value;
                    changed = true;
                }
            }
        }

        public JobProgress? TakeChanged()
        {
            lock (gate)
            {
                if (!changed)
                {
                    return null;
                }

                changed = false;
                return latest;
            }
        }
    }
}

public enum JobRunOutcome
{
    Completed,
    Failed,

    /// <summary>The job had finished (or was never recorded): a late recovery or a second firing does nothing.</summary>
    AlreadyFinished,
}
