using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Jobs;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;
using OpenCIS.Web.Jobs;

namespace OpenCIS.Web.Pages.Billing;

[Authorize(Policy = BillingCapability.ViewBilling)]
public sealed class IndexModel(BillingQueries queries, JobQueries jobs, IAuthorizationService authorization, OpenCIS.UseCases.BusinessCalendar calendar) : PageModel
{
    public IReadOnlyList<BillingCycleView> Cycles { get; private set; } = [];
    public IReadOnlyList<BillingRunView> Runs { get; private set; } = [];
    public IReadOnlyList<JobView> Jobs { get; private set; } = [];
    public bool CanRun { get; private set; }
    public DateOnly Today { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(string? error, CancellationToken cancellationToken)
    {
        Error = error;
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(string cycle, DateOnly businessDate, [FromServices] StartBillingRun startBillingRun, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, BillingCapability.RunBilling)).Succeeded)
        {
            return Forbid();
        }

        try
        {
            // The run goes on as a job; the job's page follows it, and can be closed and opened again.
            var started = await startBillingRun.ExecuteAsync(cycle, businessDate, User.Identity!.Name!, cancellationToken);
            return started.Job is { } job
                ? Redirect(JobStarts.PageOf(job))
                : Redirect($"/Billing/Runs/{started.CompletedRun!.RunId}?message={Uri.EscapeDataString(started.Message)}");
        }
        catch (JobAlreadyActiveException already)
        {
            return Redirect(JobStarts.PageOf(already));
        }
        catch (DomainException exception)
        {
            return RedirectToPage(new { error = exception.Message });
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Today = calendar.Today();
        Cycles = await queries.CyclesAsync(cancellationToken);
        Runs = await queries.RecentRunsAsync(30, cancellationToken);
        Jobs = await jobs.RecentAsync(5, new HashSet<string> { RunBillingJob.JobKind }, cancellationToken);
        CanRun = (await authorization.AuthorizeAsync(User, BillingCapability.RunBilling)).Succeeded;
    }
}
