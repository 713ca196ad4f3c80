using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Payments;

/// <summary>The suspense queue: lockbox payments that matched no open account, for a clerk to post or return.</summary>
[Authorize(Policy = PaymentsCapability.ResolveSuspense)]
public sealed class SuspenseModel(ResolveSuspense workflow) : PageModel
{
    public List<SuspenseView> Items { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true)]
    public bool All { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Items = await workflow.ListAsync(!All, cancellationToken);

    public async Task<IActionResult> OnPostResolveAsync(long id, string? accountNumber, string? note, CancellationToken cancellationToken)
    {
        try
        {
            var item = await workflow.ResolveAsync(id, accountNumber ?? "", note, User.Identity!.Name!, cancellationToken);
            Message = $"{item.Amount} posted to account {item.ResolvedAccountNumber}, receipt {item.ReceiptNumber}.";
        }
        catch (DomainException e)
        {
            Error = e.Message;
        }

        Items = await workflow.ListAsync(!All, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostReturnAsync(long id, string? note, CancellationToken cancellationToken)
    {
        try
        {
            var item = await workflow.ReturnAsync(id, note ?? "", User.Identity!.Name!, cancellationToken);
            Message = $"{item.Amount} from '{item.AccountReference}' marked returned.";
        }
        catch (DomainException e)
        {
            Error = e.Message;
        }

        Items = await workflow.ListAsync(!All, cancellationToken);
        return Page();
    }
}
