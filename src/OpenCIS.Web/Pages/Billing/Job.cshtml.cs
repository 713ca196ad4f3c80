using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.UseCases.Jobs;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Billing;

/// <summary>One job, followed as it runs: the status card polls itself until the job has finished.</summary>
[Authorize(Policy = BillingCapability.ViewBilling)]
public sealed class JobModel(JobQueries jobs) : PageModel
{
    public JobView Job { get; private set; } = null!;
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(long jobId, string? message, CancellationToken cancellationToken)
    {
        if (await jobs.JobAsync(jobId, cancellationToken) is not { } job)
        {
            return NotFound();
        }

        Job = job;
        Message = message;
        return Page();
    }

    public async Task<IActionResult> OnGetStatusAsync(long jobId, CancellationToken cancellationToken) =>
        await jobs.JobAsync(jobId, cancellationToken) is { } job ? Partial("_JobStatus", job) : NotFound();
}
