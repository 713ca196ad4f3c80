using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;
using OpenCIS.Storage.Jobs;

namespace OpenCIS.UseCases.Health;

public enum HealthState
{
    Healthy,
    Degraded,
    Unhealthy,
}

/// <summary>One part of the system as /health reports it: its state, a sentence a person reads, and figures a monitor reads.</summary>
public sealed record HealthReading(string Part, HealthState State, string Description, IReadOnlyDictionary<string, object> Data);

/// <summary>
/// How the parts OpenCIS depends on are doing, for <c>/health</c>: the database (reachable, at the schema this build
/// expects), the jobs (none stuck in the queue; failures of the last day counted) and the disk the data lives on
/// (room to write). Each reading answers in a bounded time and never throws: a part that cannot be read is unhealthy.
/// </summary>
public sealed class SystemHealth(OpenCisDbContext db, SchemaMigrator migrator, DatabaseSettings settings, TimeProvider clock)
{
    /// <summary>A job waiting longer than this without a worker means the scheduler is not taking work.</summary>
    public static readonly TimeSpan QueuedTooLong = TimeSpan.FromMinutes(10);

    /// <summary>Below this much free space the data disk is degraded; below a tenth of it, unhealthy.</summary>
    public const long FreeBytesLow = 2L * 1024 * 1024 * 1024;

    public async Task<HealthReading> DatabaseAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var version = await migrator.CurrentVersionAsync(cancellationToken);
            var data = new Dictionary<string, object> { ["provider"] = settings.Describe(), ["schemaVersion"] = version, ["expectedSchemaVersion"] = SchemaMigrator.LatestVersion };
            return version == SchemaMigrator.LatestVersion
                ? new HealthReading("database", HealthState.Healthy, $"The {settings.Describe()} database answers at schema version {version}.", data)
                : new HealthReading("database", HealthState.Unhealthy, $"The database is at schema version {version}; this build expects {SchemaMigrator.LatestVersion} (run opencis db migrate).", data);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new HealthReading("database", HealthState.Unhealthy, $"The database cannot be read: {exception.GetBaseException().Message}", new Dictionary<string, object> { ["provider"] = settings.Describe() });
        }
    }

    public async Task<HealthReading> JobsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var active = await db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
                .Select(j => new { j.Status, j.RequestedAt }).ToListAsync(cancellationToken);
            // The last 500 jobs are plenty to count a day's failures; dates are compared here, as SQLite cannot in a query.
            var recent = await db.Jobs.AsNoTracking().OrderByDescending(j => j.Id).Take(500).Select(j => new { j.Status, j.FinishedAt }).ToListAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var failedToday = recent.Count(j => j.Status == JobStatus.Failed && j.FinishedAt is { } at && now - at <= TimeSpan.FromDays(1));
            var queued = active.Where(j => j.Status == JobStatus.Queued).ToList();
            var oldestQueued = queued.Count == 0 ? TimeSpan.Zero : now - queued.Min(j => j.RequestedAt);
            var data = new Dictionary<string, object>
            {
                ["queued"] = queued.Count,
                ["running"] = active.Count - queued.Count,
                ["oldestQueuedSeconds"] = (long)Math.Max(0, oldestQueued.TotalSeconds),
                ["failedLastDay"] = failedToday,
            };
            if (oldestQueued > QueuedTooLong)
            {
                return new HealthReading("jobs", HealthState.Degraded, $"A job has waited {oldestQueued.TotalMinutes:N0} minutes for a worker: is the scheduler running?", data);
            }

            return new HealthReading("jobs", failedToday > 0 ? HealthState.Degraded : HealthState.Healthy,
                failedToday > 0 ? $"{failedToday} job(s) failed in the last day; see /Jobs." : $"{queued.Count} queued, {active.Count - queued.Count} running, none failed in the last day.", data);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new HealthReading("jobs", HealthState.Unhealthy, $"The jobs cannot be read: {exception.GetBaseException().Message}", new Dictionary<string, object>());
        }
    }

    /// <summary>The disk under the embedded database's file (or the working directory, for PostgreSQL: its own server watches its disk).</summary>
    public HealthReading Disk()
    {
        try
        {
            var folder = settings.Provider == DatabaseProvider.Sqlite && new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource is { Length: > 0 } file && file != ":memory:"
                ? Path.GetDirectoryName(Path.GetFullPath(file))!
                : Directory.GetCurrentDirectory();
            var drive = new DriveInfo(folder);
            var data = new Dictionary<string, object> { ["freeBytes"] = drive.AvailableFreeSpace, ["totalBytes"] = drive.TotalSize };
            var state = drive.AvailableFreeSpace < FreeBytesLow / 10 ? HealthState.Unhealthy : drive.AvailableFreeSpace < FreeBytesLow ? HealthState.Degraded : HealthState.Healthy;
            return new HealthReading("disk", state, $"{drive.AvailableFreeSpace / (1024.0 * 1024 * 1024):N1} GB free of {drive.TotalSize / (1024.0 * 1024 * 1024):N1} GB where the data is.", data);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new HealthReading("disk", HealthState.Unhealthy, $"The data disk cannot be read: {exception.Message}", new Dictionary<string, object>());
        }
    }
}
