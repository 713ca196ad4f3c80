using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;
using OpenCIS.Storage.Jobs;

namespace OpenCIS.UseCases.Jobs;

/// <summary>A job as the screens and the API show it; <see cref="StatusUrl"/> is where to poll it.</summary>
public sealed record JobView(
    long JobId,
    string Kind,
    string Description,
    string Status,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int Attempts,
    int ProgressDone,
    int ProgressTotal,
    string? Message,
    long? ResultId,
    JsonElement? Result = null)
{
    public string StatusUrl => $"/api/jobs/{JobId}";

    /// <summary>The job's outcome in full, read as <typeparamref name="T"/>; null until it has finished with one.</summary>
    public T? ResultAs<T>() where T : class => Result is { } result ? result.Deserialize<T>(JobLifecycle.ResultJson) : null;

    public bool Finished => Status is nameof(JobStatus.Completed) or nameof(JobStatus.Failed);

    /// <summary>Whole percent done; 0 until the work knows its size.</summary>
    public int PercentDone => ProgressTotal <= 0 ? 0 : (int)Math.Min(100, (long)ProgressDone * 100 / ProgressTotal);
}

/// <summary>What the screens and the API show about jobs: one, the recent ones, the one going on for some work.</summary>
public sealed class JobQueries(OpenCisDbContext db)
{
    public const int RecentMax = 200;

    public async Task<JobView?> JobAsync(long jobId, CancellationToken cancellationToken = default) =>
        await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken) is { } job ? View(job) : null;

    /// <summary>The newest jobs first; running and queued ones whatever their age, then the rest up to <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<JobView>> RecentAsync(int limit = 30, IReadOnlySet<string>? kinds = null, CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, RecentMax);
        var all = db.Jobs.AsNoTracking();
        if (kinds is not null)
        {
            var names = kinds.ToList();
            all = all.Where(j => names.Contains(j.Kind));
        }

        var active = await all.Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
            .OrderByDescending(j => j.Id).Take(limit).ToListAsync(cancellationToken);
        var recent = await all.OrderByDescending(j => j.Id).Take(limit).ToListAsync(cancellationToken);
        return [.. active.Concat(recent.Where(r => active.All(a => a.Id != r.Id))).Take(limit).Select(View)];
    }

    /// <summary>The job queued or running for this work, if any (the unique index allows one).</summary>
    public async Task<JobView?> ActiveAsync(string workKey, CancellationToken cancellationToken = default) =>
        await db.Jobs.AsNoTracking().Where(j => j.WorkKey == workKey && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))
            .SingleOrDefaultAsync(cancellationToken) is { } job ? View(job) : null;

    /// <summary>The jobs queued or running, oldest first: what a starting host makes sure the scheduler still holds.</summary>
    public async Task<IReadOnlyList<ActiveJob>> UnfinishedAsync(CancellationToken cancellationToken = default) =>
        await db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
            .OrderBy(j => j.Id).Select(j => new ActiveJob(j.Id, j.Kind, j.WorkKey)).ToListAsync(cancellationToken);

    internal static JobView View(JobRecord j) => new(
        j.Id, j.Kind, j.Description, j.Status.ToString(), j.RequestedBy, j.RequestedAt, j.StartedAt, j.FinishedAt,
        j.Attempts, j.ProgressDone, j.ProgressTotal, j.Message, j.ResultId,
        j.ResultJson is { } json ? JsonSerializer.Deserialize<JsonElement>(json) : null);
}

/// <summary>What the scheduler needs to run a job: its row and the work it names.</summary>
public sealed record ActiveJob(long JobId, string Kind, string WorkKey);
