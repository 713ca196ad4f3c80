using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Payments.Drawers;
using OpenCIS.UseCases.Payments.Drawers;
using OpenCIS.Storage;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Cashier;

/// <summary>A supervisor approves closed drawers, over/short with a note, and sees the deposit slip.</summary>
[Authorize(Policy = PaymentsCapability.ApproveDrawers)]
public sealed class ApprovalsModel(ApproveDrawer approveDrawer, DrawerQueries drawers, OpenCIS.UseCases.BusinessCalendar calendar) : PageModel
{
    [BindProperty]
    public string? Note { get; set; }

    public List<DrawerSession> Waiting { get; private set; } = [];
    public DepositSlip? Slip { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];

    /// <summary>The business date of the drawer balancing report (today unless asked).</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? Date { get; set; }

    public CashReceiptsReport Balancing { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Waiting = await drawers.AwaitingApprovalAsync(cancellationToken);
        Balancing = await drawers.CashReceiptsAsync(Date ??= calendar.Today(), cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(long drawerId, CancellationToken cancellationToken)
    {
        try
        {
            await approveDrawer.ExecuteAsync(drawerId, User.Identity!.Name!, User.IsInRole(Roles.Supervisor) || User.IsInRole(Roles.Admin), Note, cancellationToken);
            Slip = await drawers.DepositSlipAsync(drawerId, cancellationToken);
        }
        catch (DomainException exception)
        {
            Errors[drawerId.ToString(System.Globalization.CultureInfo.InvariantCulture)] = exception.Message;
        }

        Waiting = await drawers.AwaitingApprovalAsync(cancellationToken);
        Balancing = await drawers.CashReceiptsAsync(Date ??= calendar.Today(), cancellationToken);
        return Page();
    }
}
