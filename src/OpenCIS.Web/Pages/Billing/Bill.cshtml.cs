using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Billing;

/// <summary>A bill explained: what it printed, each line with its calculation in plain words, and the PDF.</summary>
[Authorize(Policy = BillingCapability.ViewBilling)]
public sealed class BillModel(BillDocuments documents) : PageModel
{
    public BillDocument Bill { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long billId, CancellationToken cancellationToken)
    {
        if (await documents.LoadAsync(billId, cancellationToken) is not { } bill)
        {
            return NotFound();
        }

        Bill = bill;
        return Page();
    }
}
