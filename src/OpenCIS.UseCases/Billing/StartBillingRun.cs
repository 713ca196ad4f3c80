using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.UseCases.Billing;

/// <summary>What starting a billing run gave: the job now billing it, or the run that had already completed.</summary>
public sealed record BillingRunStart(JobView? Job, BillingRunView? CompletedRun, string Message);

/// <summary>
/// Starts a billing run as a job, from a screen, the API or the schedule. A run already completed is
/// reported, not repeated, and no job is made; a run already queued or running is refused, naming its job
/// (<see cref="JobAlreadyActiveException"/>). The job itself runs <see cref="RunBilling"/> (through
/// <see cref="RunBillingJob"/>), which resumes whatever an earlier attempt committed.
/// </summary>
public sealed class StartBillingRun(OpenCisDbContext db, StartJob startJob, BillingQueries queries)
{
    public static string WorkKey(string cycleCode, DateOnly businessDate) => $"billing-run:{cycleCode}:{businessDate:yyyy-MM-dd}";

    public static string Description(string cycleCode, DateOnly businessDate) => $"Billing run for {cycleCode} on {businessDate:yyyy-MM-dd}";

    public async Task<BillingRunStart> ExecuteAsync(string cycleCode, DateOnly businessDate, string user, CancellationToken cancellationToken = default)
    {
        if (!await db.BillingCycles.AnyAsync(c => c.Code == cycleCode, cancellationToken))
        {
            throw new DomainException($"There is no billing cycle '{cycleCode}'.", "cycle");
        }

        var completed = await db.BillingRuns.AsNoTracking()
            .Where(r => r.CycleCode == cycleCode && r.BusinessDate == businessDate && r.Status == BillingRunStatus.Completed)
            .Select(r => r.Id).SingleOrDefaultAsync(cancellationToken);
        if (completed != 0 && await queries.RunAsync(completed, cancellationToken) is { } run)
        {
            return new BillingRunStart(null, run,
                $"Billing run #{run.RunId} for cycle {cycleCode} on {businessDate:yyyy-MM-dd} already completed at {run.CompletedAt:yyyy-MM-dd HH:mm} UTC; nothing was billed again.");
        }

        var arguments = new JobArguments(new Dictionary<string, string>
        {
            [RunBillingJob.CycleArgument] = cycleCode,
            [RunBillingJob.BusinessDateArgument] = businessDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        });
        var job = await startJob.ExecuteAsync(new JobRequest(RunBillingJob.JobKind, WorkKey(cycleCode, businessDate), Description(cycleCode, businessDate), arguments), user, cancellationToken);
        return new BillingRunStart(job, null, $"{job.Description} started (job {job.JobId}).");
    }
}
