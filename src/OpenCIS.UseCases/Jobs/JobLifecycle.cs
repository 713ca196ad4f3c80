using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;
using OpenCIS.Storage.Jobs;

namespace OpenCIS.UseCases.Jobs;

/// <summary>
/// A job row's moves from one status to the next. Each is one conditional UPDATE, so a job that
/// finished is never started again by a late recovery, and a finished job's outcome is never
/// overwritten by a second worker.
/// </summary>
internal static class JobLifecycle
{
    /// <summary>Takes the job for a worker: Queued (or Running, after a restart or a recovery) becomes Running. False when it already finished.</summary>
    public static async Task<bool> StartAsync(OpenCisDbContext db, long jobId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Jobs.Where(j => j.Id == jobId && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))
            .ExecuteUpdateAsync(set => set
                .SetProperty(j => j.Status, JobStatus.Running)
                .SetProperty(j => j.StartedAt, j => j.StartedAt ?? now)
                .SetProperty(j => j.Attempts, j => j.Attempts + 1), cancellationToken) == 1;

    public static async Task ReportAsync(OpenCisDbContext db, long jobId, JobProgress progress, CancellationToken cancellationToken) =>
        await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(set => set
                .SetProperty(j => j.ProgressDone, progress.Done)
                .SetProperty(j => j.ProgressTotal, progress.Total), cancellationToken);

    /// <summary>How a job's outcome is kept: camelCase, as the API writes it.</summary>
    public static readonly JsonSerializerOptions ResultJson = new(JsonSerializerDefaults.Web);

    public static async Task CompleteAsync(OpenCisDbContext db, long jobId, JobResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var json = result.Details is null ? null : JsonSerializer.Serialize(result.Details, result.Details.GetType(), ResultJson);
        await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(set => set
                .SetProperty(j => j.Status, JobStatus.Completed)
                .SetProperty(j => j.FinishedAt, now)
                .SetProperty(j => j.ProgressDone, j => j.ProgressTotal > 0 ? j.ProgressTotal : j.ProgressDone)
                .SetProperty(j => j.Message, Trim(result.Message))
                .SetProperty(j => j.ResultId, result.ResultId)
                .SetProperty(j => j.ResultJson, json), cancellationToken);
        await ForgetFileAsync(db, jobId, cancellationToken);
    }

    public static async Task FailAsync(OpenCisDbContext db, long jobId, string message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Jobs.Where(j => j.Id == jobId && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))
            .ExecuteUpdateAsync(set => set
                .SetProperty(j => j.Status, JobStatus.Failed)
                .SetProperty(j => j.FinishedAt, now)
                .SetProperty(j => j.Message, Trim(message)), cancellationToken);
        await ForgetFileAsync(db, jobId, cancellationToken);
    }

    /// <summary>A finished job's file goes: what it posted is kept by the import itself.</summary>
    private static async Task ForgetFileAsync(OpenCisDbContext db, long jobId, CancellationToken cancellationToken) =>
        await db.JobFiles.Where(f => f.JobId == jobId).ExecuteDeleteAsync(cancellationToken);

    private static string Trim(string message) => message.Length <= JobRecord.MessageLengthMax ? message : message[..JobRecord.MessageLengthMax];
}
