using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Portal;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>
/// The customer chooses how much to pay (the balance, to start with) and goes to the processor's hosted page; the payment is
/// pending until the processor confirms it. A bill's QR code opens this page for that bill.
/// </summary>
public sealed class PayModel(PortalQueries queries, PaymentProcessors processors) : PortalPageModel
{
    public PortalAccountView Account { get; private set; } = null!;

    [BindProperty]
    public string Amount { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public long? Bill { get; set; }

    /// <summary>An amount another page suggests paying (an arrangement's down payment), to start from instead of the balance.</summary>
    [BindProperty(SupportsGet = true, Name = "amount")]
    public string? Suggested { get; set; }

    public OpenCIS.Core.Portal.ConvenienceFee Fee => processors.Fee;

    public Task<IActionResult> OnGetAsync(string number) => TryAsync(async () =>
    {
        Account = await queries.AccountAsync(UserId, number, HttpContext.RequestAborted);
        var due = Bill is { } billNumber && Account.Bills.FirstOrDefault(b => b.BillNumber == billNumber) is { } bill ? bill.AmountDue
            : OpenCIS.Core.Common.Money.TryParse(Suggested, out var suggested) && suggested.IsPositive ? suggested
            : Account.Balance;
        Amount = due.IsPositive ? due.ToPlainString() : "";
        return Page();
    });

    public Task<IActionResult> OnPostAsync(string number, [FromServices] OnlinePayments payments) => TryAsync(async () =>
    {
        Account = await queries.AccountAsync(UserId, number, HttpContext.RequestAborted);
        var returnUrl = new Uri(Absolute("/portal/payments/"));
        var started = await payments.StartAsync(UserId, number, Amount, Bill, returnUrl, new Uri(Absolute($"/portal/accounts/{Uri.EscapeDataString(number)}")), HttpContext.RequestAborted);
        return Redirect(started.PageUrl.ToString());
    });
}
