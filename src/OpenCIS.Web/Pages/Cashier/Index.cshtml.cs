using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Data.Customers;
using OpenCIS.Data.Payments;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Pages.Cashier;

[Authorize(Policy = Permissions.TakePayments)]
public sealed class IndexModel(AccountQueries queries, TakePayment takePayment) : PageModel
{
    public static readonly Tender[] CounterTenders = [Tender.Cash, Tender.Check, Tender.MoneyOrder];

    [BindProperty(SupportsGet = true, Name = "account")]
    public string? AccountNumber { get; set; }

    [BindProperty]
    public string? Amount { get; set; }

    [BindProperty]
    public string? AmountTendered { get; set; }

    [BindProperty]
    public Tender Tender { get; set; } = Tender.Cash;

    [BindProperty]
    public string? Reference { get; set; }

    /// <summary>Made when the form is shown, so a double click or a resubmitted form posts the payment once.</summary>
    [BindProperty]
    public string IdempotencyKey { get; set; } = Guid.NewGuid().ToString("N");

    public AccountSearchResult? Account { get; private set; }
    public PaymentReceipt? Receipt { get; private set; }
    public Money? ChangeDue { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Account = await FindAsync(AccountNumber, cancellationToken);

    public async Task<IActionResult> OnGetLookupAsync(CancellationToken cancellationToken)
    {
        Account = await FindAsync(AccountNumber, cancellationToken);
        return Partial("_CashierAccount", this);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Account = await FindAsync(AccountNumber, cancellationToken);
        if (Account is null)
        {
            Errors["account"] = $"There is no account {AccountNumber}.";
        }

        if (!Money.TryParse(Amount, out var amount) || !amount.IsPositive)
        {
            Errors["amount"] = "Enter the amount in dollars and cents, more than zero.";
        }

        Money tendered = amount;
        if (Tender == Tender.Cash && !string.IsNullOrWhiteSpace(AmountTendered) && (!Money.TryParse(AmountTendered, out tendered) || tendered < amount))
        {
            Errors["amountTendered"] = "Cash tendered must be at least the amount paid.";
        }

        if (Errors.Count > 0)
        {
            return Page();
        }

        try
        {
            Receipt = await takePayment.ExecuteAsync(
                new TakePaymentRequest(Account!.AccountNumber, amount, Tender, string.IsNullOrWhiteSpace(Reference) ? null : Reference.Trim(), PaymentSource.Counter, IdempotencyKey),
                User.Identity!.Name!, cancellationToken);
            ChangeDue = Tender == Tender.Cash ? tendered - amount : null;
            Account = await FindAsync(Account.AccountNumber, cancellationToken);
            // The next payment gets a fresh form and a fresh key.
            Amount = null;
            AmountTendered = null;
            Reference = null;
            IdempotencyKey = Guid.NewGuid().ToString("N");
            ModelState.Clear();
        }
        catch (DomainException exception)
        {
            Errors[exception.Field ?? "amount"] = exception.Message;
        }

        return Page();
    }

    private async Task<AccountSearchResult?> FindAsync(string? accountNumber, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(accountNumber))
        {
            return null;
        }

        var id = await queries.FindAccountIdAsync(accountNumber.Trim(), cancellationToken);
        return id is null ? null : (await queries.SummariesAsync([id.Value], cancellationToken)).SingleOrDefault();
    }
}
