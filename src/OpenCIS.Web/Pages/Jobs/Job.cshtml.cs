using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.UseCases.Jobs;
using OpenCIS.Web.Jobs;

namespace OpenCIS.Web.Pages.Jobs;

/// <summary>
/// One job, followed as it runs: the status card polls itself until the job has finished, then shows how
/// it ended (a file's errors by line and field, links to what it produced). Anyone holding the view
/// permission of the job's kind may follow it.
/// </summary>
public sealed class JobModel(JobQueries jobs, JobAccess access, JobKindCatalog kinds) : PageModel
{
    public JobView Job { get; private set; } = null!;
    public string? Message { get; private set; }

    /// <summary>The screen the work was started from, to go back to.</summary>
    public JobLink? Home => kinds.Find(Job.Kind)?.Home;

    public async Task<IActionResult> OnGetAsync(long jobId, string? message, CancellationToken cancellationToken)
    {
        if (await jobs.JobAsync(jobId, cancellationToken) is not { } job)
        {
            return NotFound();
        }

        if (!await access.CanViewAsync(User, job.Kind))
        {
            return Forbid();
        }

        Job = job;
        Message = message;
        return Page();
    }

    public async Task<IActionResult> OnGetStatusAsync(long jobId, CancellationToken cancellationToken)
    {
        if (await jobs.JobAsync(jobId, cancellationToken) is not { } job)
        {
            return NotFound();
        }

        return await access.CanViewAsync(User, job.Kind) ? Partial("_JobStatus", job) : Forbid();
    }
}
