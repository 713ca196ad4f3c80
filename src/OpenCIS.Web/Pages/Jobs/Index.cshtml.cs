using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.UseCases.Jobs;
using OpenCIS.Web.Jobs;

namespace OpenCIS.Web.Pages.Jobs;

/// <summary>The schedules that start long work, as configured, and the jobs queued, running and recently finished, of the kinds the user may follow.</summary>
[Authorize]
public sealed class IndexModel(JobQueries jobs, ScheduleQueries schedules, JobAccess access) : PageModel
{
    public IReadOnlyList<JobView> Jobs { get; private set; } = [];
    public IReadOnlyList<ScheduleView> Schedules { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Jobs = await jobs.RecentAsync(50, await access.ViewableKindsAsync(User), cancellationToken);
        Schedules = await schedules.SchedulesAsync(cancellationToken);
    }
}
