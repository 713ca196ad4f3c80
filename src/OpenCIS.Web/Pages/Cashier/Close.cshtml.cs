using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Payments.Drawers;
using OpenCIS.UseCases.Payments.Drawers;
using OpenCIS.Storage;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Cashier;

/// <summary>
/// The blind count: the cashier enters what is in the drawer by tender and sees what was expected
/// only after submitting it. Nothing on this page before submission reveals the expected totals.
/// </summary>
[Authorize(Policy = PaymentsCapability.TakePayments)]
public sealed class CloseModel(CloseDrawer closeDrawer, DrawerQueries drawers) : PageModel
{
    [BindProperty]
    public Dictionary<string, string?> Counted { get; set; } = [];

    public OpenDrawerView? Drawer { get; private set; }
    public DrawerClosed? Closed { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Drawer = await drawers.CurrentAsync(User.Identity!.Name!, cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Drawer = await drawers.CurrentAsync(User.Identity!.Name!, cancellationToken);
        var counted = new Dictionary<Tender, Money>();
        foreach (var tender in DrawerRules.AllTenders)
        {
            var text = Counted.GetValueOrDefault(tender.ToString());
            if (string.IsNullOrWhiteSpace(text))
            {
                counted[tender] = Money.Zero;
            }
            else if (Money.TryParse(text, out var amount) && !amount.IsNegative)
            {
                counted[tender] = amount;
            }
            else
            {
                Errors[tender.ToString()] = "Enter the counted total in dollars and cents.";
            }
        }

        if (Errors.Count > 0)
        {
            return Page();
        }

        try
        {
            Closed = await closeDrawer.ExecuteAsync(User.Identity!.Name!, counted, cancellationToken);
        }
        catch (DomainException exception)
        {
            Errors["drawer"] = exception.Message;
        }

        return Page();
    }
}
