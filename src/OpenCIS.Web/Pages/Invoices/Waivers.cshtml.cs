using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Invoices;
using OpenCIS.UseCases.Invoices;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Invoices;

/// <summary>Hardship waivers: those waiting for a Supervisor (who approves or rejects each, never their own) and the latest decided.</summary>
[Authorize(Policy = InvoicesCapability.ViewInvoices)]
public sealed class WaiversModel(InvoiceWaivers waivers, IAuthorizationService authorization) : ActionPageModel
{
    public IReadOnlyList<WaiverView> Waiting { get; private set; } = [];

    public IReadOnlyList<WaiverView> Decided { get; private set; } = [];

    public bool CanDecide { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostAsync(long waiverId, string decision, string? note, CancellationToken cancellationToken) =>
        ActAsync(authorization, InvoicesCapability.ApproveWaivers, async () =>
            (await waivers.DecideAsync(waiverId, decision == "approve", note, User.Identity!.Name!, cancellationToken)).Message,
            () => LoadAsync(cancellationToken));

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Waiting = await waivers.ListAsync(WaiverStatus.Pending, cancellationToken: cancellationToken);
        Decided = (await waivers.ListAsync(null, take: 50, cancellationToken: cancellationToken)).Where(w => w.Status != WaiverStatus.Pending).Take(25).ToList();
        CanDecide = (await authorization.AuthorizeAsync(User, InvoicesCapability.ApproveWaivers)).Succeeded;
        return true;
    }
}
