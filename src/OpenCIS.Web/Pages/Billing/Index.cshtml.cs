using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Billing;

[Authorize(Policy = BillingCapability.ViewBilling)]
public sealed class IndexModel(BillingQueries queries, IAuthorizationService authorization, OpenCIS.UseCases.BusinessCalendar calendar) : PageModel
{
    public IReadOnlyList<BillingCycleView> Cycles { get; private set; } = [];
    public IReadOnlyList<BillingRunView> Runs { get; private set; } = [];
    public bool CanRun { get; private set; }
    public DateOnly Today { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(string? error, CancellationToken cancellationToken)
    {
        Error = error;
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(string cycle, DateOnly businessDate, [FromServices] RunBilling runBilling, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, BillingCapability.RunBilling)).Succeeded)
        {
            return Forbid();
        }

        try
        {
            var outcome = await runBilling.ExecuteAsync(cycle, businessDate, User.Identity!.Name!, null, cancellationToken);
            return Redirect($"/Billing/Runs/{outcome.RunId}?message={Uri.EscapeDataString(outcome.Message)}");
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
        CanRun = (await authorization.AuthorizeAsync(User, BillingCapability.RunBilling)).Succeeded;
    }
}
