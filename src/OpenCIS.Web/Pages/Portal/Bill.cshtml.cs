using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Portal;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>A bill's PDF, the same document the city prints, for one of the customer's accounts only.</summary>
public sealed class BillModel(PortalQueries queries) : PortalPageModel
{
    public async Task<IActionResult> OnGetAsync(string number, long bill)
    {
        try
        {
            var document = await queries.BillAsync(UserId, number, bill, HttpContext.RequestAborted);
            return File(BillPdf.Render(document).Pdf, "application/pdf", $"bill-{document.AccountNumber}-{document.BillId}.pdf");
        }
        catch (PortalNotFoundException)
        {
            return NotFound();
        }
    }
}
