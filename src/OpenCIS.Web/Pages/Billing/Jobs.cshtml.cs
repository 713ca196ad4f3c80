using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.UseCases.Jobs;
using OpenCIS.Web.Capabilities;
using OpenCIS.Web.Jobs;

namespace OpenCIS.Web.Pages.Billing;

/// <summary>The schedules that start long work, as configured, and the jobs queued, running and recently finished.</summary>
[Authorize(Policy = BillingCapability.ViewBilling)]
public sealed class JobsModel(JobQueries jobs, ScheduleQueries schedules) : PageModel
{
    public IReadOnlyList<JobView> Jobs { get; private set; } = [];
    public IReadOnlyList<ScheduleView> Schedules { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Jobs = await jobs.RecentAsync(50, cancellationToken);
        Schedules = await schedules.SchedulesAsync(cancellationToken);
    }
}
