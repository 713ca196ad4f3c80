using Microsoft.EntityFrameworkCore;

namespace OpenCIS.Storage.Jobs;

public enum JobStatus
{
    /// <summary>Recorded and handed to the scheduler; no worker has started it yet.</summary>
    Queued,

    /// <summary>A worker has it. After a host stops or dies in the middle, it stays Running until a worker picks it up again.</summary>
    Running,
    Completed,
    Failed,
}

/// <summary>
/// One piece of long work started from a screen, the API or a schedule (a billing run, later a file
/// import or the ACH file): what it is, who asked and when, how far it has got and how it ended. The
/// scheduler (Quartz.NET, in the web host) runs it; this row is what people see and what refuses a
/// second start of the same work. <see cref="WorkKey"/> names the work ("billing-run:C1:2026-11-05"),
/// and a unique index over the rows still Queued or Running lets only one of them be active at a time,
/// whichever host or clerk asks.
/// </summary>
public sealed class JobRecord
{
    public const int WorkKeyLengthMax = 200;
    public const int DescriptionLengthMax = 300;
    public const int MessageLengthMax = 2000;

    public long Id { get; init; }

    /// <summary>What kind of work: <c>BillingRun</c>, <c>AchFile</c>.</summary>
    public string Kind { get; init; } = "";

    public string WorkKey { get; init; } = "";

    /// <summary>How people name the work: "Billing run for C1 on 2026-11-05".</summary>
    public string Description { get; init; } = "";

    /// <summary>The work's arguments as JSON, read back by the job that runs it.</summary>
    public string Arguments { get; init; } = "{}";

    public JobStatus Status { get; init; }
    public string RequestedBy { get; init; } = "";
    public DateTimeOffset RequestedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>How many times a worker has started it: more than one after a host restart or a recovery.</summary>
    public int Attempts { get; init; }

    /// <summary>Units of work done so far (a billing run's accounts) out of <see cref="ProgressTotal"/>.</summary>
    public int ProgressDone { get; init; }

    public int ProgressTotal { get; init; }

    /// <summary>What the work said when it ended, or why it failed.</summary>
    public string? Message { get; init; }

    /// <summary>What the work produced, by kind: the billing run's id, the ACH file's id.</summary>
    public long? ResultId { get; init; }

    /// <summary>The work's outcome in full as JSON (an import's counts and the errors naming line and field), for the screens and the API.</summary>
    public string? ResultJson { get; init; }
}

/// <summary>
/// The file a job works on (a read file, a lockbox file, the bank's ACH returns), kept with the job from
/// the upload until the job has finished, so the work does not depend on the request that brought it and
/// any host of a cluster can run it. Removed when the job ends: the import itself keeps what it posted.
/// </summary>
public sealed class JobFileRecord
{
    public const int FileNameLengthMax = 260;

    public long JobId { get; init; }
    public string FileName { get; init; } = "";
    public byte[] Content { get; init; } = [];
}

internal static class JobsModel
{
    /// <summary>The statuses the unique index over <see cref="JobRecord.WorkKey"/> covers: work that is waiting or going on.</summary>
    public const string ActiveFilter = "status IN ('Queued', 'Running')";

    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<JobRecord>(e =>
        {
            e.ToTable("jobs");
            e.Property(x => x.Kind).HasMaxLength(40);
            e.Property(x => x.WorkKey).HasMaxLength(JobRecord.WorkKeyLengthMax);
            e.Property(x => x.Description).HasMaxLength(JobRecord.DescriptionLengthMax);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.RequestedBy).HasMaxLength(100);
            e.Property(x => x.Message).HasMaxLength(JobRecord.MessageLengthMax);
            e.HasIndex(x => x.WorkKey).IsUnique().HasFilter(ActiveFilter).HasDatabaseName("ix_jobs_active_work_key");
            e.HasIndex(x => x.RequestedAt);
        });
        builder.Entity<JobFileRecord>(e =>
        {
            e.ToTable("job_files");
            e.HasKey(x => x.JobId);
            e.Property(x => x.JobId).ValueGeneratedNever();
            e.Property(x => x.FileName).HasMaxLength(JobFileRecord.FileNameLengthMax);
            e.HasOne<JobRecord>().WithOne().HasForeignKey<JobFileRecord>(x => x.JobId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
