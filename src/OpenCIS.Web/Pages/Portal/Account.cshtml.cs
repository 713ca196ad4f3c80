using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Portal;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>One of the customer's accounts: the balance, the current bill (its PDF, Pay now), and the bills and payments before it.</summary>
public sealed class AccountModel(PortalQueries queries) : PortalPageModel
{
    public PortalAccountView Account { get; private set; } = null!;

    public Task<IActionResult> OnGetAsync(string number) => TryAsync(async () =>
    {
        Account = await queries.AccountAsync(UserId, number, HttpContext.RequestAborted);
        return Page();
    });

    /// <summary>How a payment was made, in words.</summary>
    public string How(PortalPayment payment) => T("How" + payment.How);
}
