using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.UseCases.Invoices;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Invoices;

/// <summary>One invoice as the party reads it: the lines with their calculations, what is open, the stub's scan line, and its PDF.</summary>
[Authorize(Policy = InvoicesCapability.ViewInvoices)]
public sealed class DetailModel(InvoiceQueries queries) : PageModel
{
    public InvoiceView Invoice { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long number, CancellationToken cancellationToken)
    {
        if (await queries.FindAsync(number, cancellationToken) is not { } found)
        {
            return NotFound();
        }

        Invoice = found;
        return Page();
    }
}
