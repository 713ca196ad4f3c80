using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Portal;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>Where the processor sends the customer back: the payment posted (with its receipt and the new balance), or still pending.</summary>
public sealed class PaymentModel(PortalQueries queries) : PortalPageModel
{
    public PortalOnlinePaymentView Payment { get; private set; } = null!;

    public Task<IActionResult> OnGetAsync(long id) => TryAsync(async () =>
    {
        Payment = await queries.OnlinePaymentAsync(UserId, id, HttpContext.RequestAborted);
        return Page();
    });
}
