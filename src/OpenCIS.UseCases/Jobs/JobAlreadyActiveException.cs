namespace OpenCIS.UseCases.Jobs;

/// <summary>
/// Raised when the same work is already queued or running; it names that job: "Billing run for C1 on
/// 2026-11-05 is already running (started by clerk at 2026-11-22 15:00 UTC; job 7)."
/// </summary>
public sealed class JobAlreadyActiveException(JobView active) : Exception(MessageFor(active))
{
    public JobView Active { get; } = active;

    private static string MessageFor(JobView active) =>
        $"{active.Description} is already {(active.Status == nameof(Storage.Jobs.JobStatus.Queued) ? "queued" : "running")} (started by {active.RequestedBy} at {active.RequestedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC; job {active.JobId}).";
}
