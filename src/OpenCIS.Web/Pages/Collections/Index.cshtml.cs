using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Jobs;
using OpenCIS.Web.Capabilities;
using OpenCIS.Web.Jobs;

namespace OpenCIS.Web.Pages.Collections;

/// <summary>Collections: the daily runs and what each did, starting a date's run, and the way to the disconnect list, the queue and the policy.</summary>
[Authorize(Policy = CollectionsCapability.ViewCollections)]
public sealed class IndexModel(CollectionQueries queries, WaiverQueries waivers, BusinessCalendar calendar, IAuthorizationService authorization) : PageModel
{
    public IReadOnlyList<CollectionRunView> Runs { get; private set; } = [];
    public bool CanRun { get; private set; }
    public DateOnly Today { get; private set; }
    public IReadOnlyList<PendingWaiverView> PendingWaivers { get; private set; } = [];

    [BindProperty]
    public DateOnly? BusinessDate { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Runs = await queries.RunsAsync(60, cancellationToken);
        Today = calendar.Today();
        CanRun = (await authorization.AuthorizeAsync(User, CollectionsCapability.RunCollections)).Succeeded;
        PendingWaivers = (await authorization.AuthorizeAsync(User, CollectionsCapability.ApproveCollections)).Succeeded ? await waivers.PendingAsync(cancellationToken) : [];
    }

    public async Task<IActionResult> OnPostRunAsync([FromServices] StartJob start, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, CollectionsCapability.RunCollections)).Succeeded)
        {
            return Forbid();
        }

        return Redirect(await JobStarts.FollowAsync(start, RunCollectionsJob.Request(BusinessDate ?? calendar.Today()), User.Identity!.Name!, cancellationToken));
    }
}
