using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Portal;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>
/// The customer chooses how much to pay (the balance, to start with) and how: by card, on the processor's hosted page, pending
/// until the processor confirms it; or by e-check, a one-time debit from their bank account they authorize here, pending until
/// the next ACH file carries it. A bill's QR code opens this page for that bill.
/// </summary>
public sealed class PayModel(PortalQueries queries, PaymentProcessors processors) : PortalPageModel
{
    public const string ECheckMethod = "echeck";

    public PortalAccountView Account { get; private set; } = null!;

    [BindProperty]
    public string Amount { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public long? Bill { get; set; }

    /// <summary>An amount another page suggests paying (an arrangement's down payment), to start from instead of the balance.</summary>
    [BindProperty(SupportsGet = true, Name = "amount")]
    public string? Suggested { get; set; }

    /// <summary>How the customer pays: by card (the default) or <see cref="ECheckMethod"/>.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Method { get; set; }

    [BindProperty]
    public PortalECheckForm ECheck { get; set; } = new();

    public bool ByECheck => string.Equals(Method, ECheckMethod, StringComparison.OrdinalIgnoreCase);

    public OpenCIS.Core.Portal.ConvenienceFee Fee => processors.Fee;

    /// <summary>The field's invalid class when the last refusal named it.</summary>
    public string Invalid(string field) => ErrorField == field ? "is-invalid" : "";

    /// <summary>This page with the other way to pay chosen (the bill, when one, kept).</summary>
    public string MethodLink(string? method) =>
        $"/portal/accounts/{Uri.EscapeDataString(Account.AccountNumber)}/pay?{(method is null ? "" : $"method={method}&")}{(Bill is { } bill ? $"bill={bill}" : "")}".TrimEnd('&', '?');

    public Task<IActionResult> OnGetAsync(string number) => TryAsync(async () =>
    {
        Account = await queries.AccountAsync(UserId, number, HttpContext.RequestAborted);
        var due = Bill is { } billNumber && Account.Bills.FirstOrDefault(b => b.BillNumber == billNumber) is { } bill ? bill.AmountDue
            : OpenCIS.Core.Common.Money.TryParse(Suggested, out var suggested) && suggested.IsPositive ? suggested
            : Account.Balance;
        Amount = due.IsPositive ? due.ToPlainString() : "";
        ECheck.Amount = Amount;
        return Page();
    });

    public Task<IActionResult> OnPostAsync(string number, [FromServices] OnlinePayments payments) => TryAsync(async () =>
    {
        Account = await queries.AccountAsync(UserId, number, HttpContext.RequestAborted);
        var returnUrl = new Uri(Absolute("/portal/payments/"));
        var started = await payments.StartAsync(UserId, number, Amount, Bill, returnUrl, new Uri(Absolute($"/portal/accounts/{Uri.EscapeDataString(number)}")), HttpContext.RequestAborted);
        return Redirect(started.PageUrl.ToString());
    });

    /// <summary>Authorizes the e-check and shows it, pending, in the account's payments (a reload there authorizes nothing again).</summary>
    public Task<IActionResult> OnPostECheckAsync(string number, [FromServices] PortalECheck eChecks) => TryAsync(async () =>
    {
        Method = ECheckMethod;
        Account = await queries.AccountAsync(UserId, number, HttpContext.RequestAborted);
        var authorized = await eChecks.AuthorizeAsync(UserId, number,
            new PortalECheckRequest(ECheck.HolderName, ECheck.RoutingNumber, ECheck.BankAccountNumber, ECheck.AccountType, ECheck.Amount, ECheck.Authorized), HttpContext.RequestAborted);
        return Redirect($"/portal/accounts/{Uri.EscapeDataString(authorized.AccountNumber)}?echeck={authorized.Id}");
    });
}

/// <summary>The e-check form: the bank account number is never sent back to the page.</summary>
public sealed class PortalECheckForm
{
    public string HolderName { get; set; } = "";
    public string RoutingNumber { get; set; } = "";
    public string BankAccountNumber { get; set; } = "";
    public string AccountType { get; set; } = "Checking";
    public string Amount { get; set; } = "";
    public bool Authorized { get; set; }
}
