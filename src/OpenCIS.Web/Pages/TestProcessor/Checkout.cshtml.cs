using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.UseCases.Portal;
using OpenCIS.UseCases.Portal.Processors;

namespace OpenCIS.Web.Pages.TestProcessor;

/// <summary>
/// The local test processor's hosted payment page (on only when the test processor is: demo mode, or
/// <c>OPENCIS_PAYMENT_PROCESSOR=test</c>). It stands for the processor's own site: the card number typed here is judged
/// against the published test cards and dropped, never stored, logged or passed on; only the brand and last four digits
/// go, in the signed webhook, to OpenCIS.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class CheckoutModel(TestProcessorSessions sessions, PortalSettings settings) : PageModel
{
    public TestCheckout Checkout { get; private set; } = null!;

    public string? Error { get; private set; }

    public string Lang => Checkout.Language;

    public string T(string key, params object?[] args) => PortalText.Get(Lang, key, args);

    public IActionResult OnGet(string id)
    {
        if (!settings.TestProcessorOn || sessions.Find(id) is not { } checkout)
        {
            return NotFound();
        }

        Checkout = checkout;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, string? cardNumber)
    {
        if (!settings.TestProcessorOn || sessions.Find(id) is not { } checkout)
        {
            return NotFound();
        }

        Checkout = checkout;
        switch (TestProcessorSessions.Card(cardNumber))
        {
            case null:
                Error = T("TestCardUnknown");
                return Page();
            case { Declined: true }:
                Error = T("TestCardDeclined");
                return Page();
            case var card:
                await sessions.PayAsync(checkout, card, HttpContext.RequestAborted);
                return Redirect(checkout.ReturnUrl.ToString());
        }
    }
}
