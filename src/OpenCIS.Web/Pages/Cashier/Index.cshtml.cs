using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Storage.Payments.Drawers;
using OpenCIS.UseCases.Payments.Drawers;
using OpenCIS.Storage;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Cashier;

[Authorize(Policy = PaymentsCapability.TakePayments)]
public sealed class IndexModel(AccountQueries queries, AccountAlertQueries alertQueries, TakeDrawerPayment takePayment, OpenDrawer openDrawer, DrawerQueries drawers, OpenCIS.UseCases.Invoices.InvoiceQueries invoices, OpenCIS.UseCases.BusinessCalendar calendar) : PageModel
{
    public static readonly Tender[] CounterTenders = [Tender.Cash, Tender.Check, Tender.MoneyOrder, Tender.Card];

    /// <summary>An optional second tender for a split payment; the first tender covers the rest of the amount.</summary>
    [BindProperty]
    public Tender? Tender2 { get; set; }

    [BindProperty]
    public string? Amount2 { get; set; }

    [BindProperty]
    public string? Reference2 { get; set; }

    /// <summary>For a card tender: the processor's token and the last four digits, never the card number.</summary>
    [BindProperty]
    public string? CardToken { get; set; }

    [BindProperty]
    public string? CardLastFour { get; set; }

    [BindProperty]
    public string? StartingFloat { get; set; }

    public OpenDrawerView? Drawer { get; private set; }

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

    /// <summary>Accounts whose customer name or service address matches what was typed instead of a number.</summary>
    public IReadOnlyList<AccountSearchResult> Matches { get; private set; } = [];

    /// <summary>Ticked by the cashier once they have checked what <see cref="ToConfirm"/> asked.</summary>
    [BindProperty]
    public bool Confirmed { get; set; }

    /// <summary>What the cashier must confirm before this payment posts (a large overpayment, reportable cash).</summary>
    public string? ToConfirm { get; private set; }

    /// <summary>The found account's alert strip, the same as on its page.</summary>
    public IReadOnlyList<AccountAlertView> Alerts { get; private set; } = [];

    /// <summary>The remittance stub's scan line, when one was scanned or keyed into the account box.</summary>
    public OpenCIS.Core.Billing.ScanLine? Stub { get; private set; }

    /// <summary>The invoice the stub names, when it is an invoice's stub (its party's receivables account): the payment pays it first.</summary>
    public OpenCIS.UseCases.Invoices.InvoiceView? StubInvoice { get; private set; }

    /// <summary>Why what was keyed looks like a scan line but is not one (a misread digit fails the check digit).</summary>
    public string? StubProblem { get; private set; }
    public DrawerReceipt? Receipt { get; private set; }
    public Money? ChangeDue { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // An invoice's page links here with its scan line, as if its stub were scanned.
        ReadStub();
        Account = await FindAsync(AccountNumber, cancellationToken);
        Drawer = await drawers.CurrentAsync(User.Identity!.Name!, cancellationToken);
    }

    public async Task<IActionResult> OnPostOpenAsync(CancellationToken cancellationToken)
    {
        if (!Money.TryParse(StartingFloat, out var startingFloat))
        {
            Errors["startingFloat"] = "Enter the starting float in dollars and cents.";
        }
        else
        {
            try
            {
                await openDrawer.ExecuteAsync(User.Identity!.Name!, startingFloat, cancellationToken);
                return RedirectToPage(new { account = AccountNumber });
            }
            catch (DomainException exception)
            {
                Errors["startingFloat"] = exception.Message;
            }
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetLookupAsync(CancellationToken cancellationToken)
    {
        ReadStub();
        Account = await FindAsync(AccountNumber, cancellationToken);
        // Not a number: a customer's name or a service address, as the customer at the window gives it.
        if (Account is null && Stub is null && StubProblem is null && AccountNumber is { } text && text.Trim().Length >= 3 && text.Any(char.IsLetter))
        {
            Matches = [.. (await queries.SearchAsync(text.Trim(), cancellationToken)).Take(8)];
        }

        return Partial("_CashierAccount", this);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        ReadStub();
        if (Stub is not null && string.IsNullOrWhiteSpace(Amount) && Stub.AmountDue.IsPositive)
        {
            Amount = Stub.AmountDue.ToPlainString();
        }

        Account = await FindAsync(AccountNumber, cancellationToken);
        if (StubProblem is not null)
        {
            Errors["account"] = StubProblem;
        }
        else if (Account is null)
        {
            Errors["account"] = $"There is no account {AccountNumber}.";
        }

        if (!Money.TryParse(Amount, out var amount) || !amount.IsPositive)
        {
            Errors["amount"] = "Enter the amount in dollars and cents, more than zero.";
        }

        Drawer = await drawers.CurrentAsync(User.Identity!.Name!, cancellationToken);
        if (Drawer is null)
        {
            Errors["drawer"] = "Open your drawer before taking payments.";
        }

        var second = Money.Zero;
        if (Tender2 is not null && (!Money.TryParse(Amount2, out second) || !second.IsPositive || second >= amount))
        {
            Errors["amount2"] = "The second tender must be more than zero and less than the amount.";
        }

        var first = amount - second;
        if (Tender == Tender.Cash && !string.IsNullOrWhiteSpace(AmountTendered) && (!Money.TryParse(AmountTendered, out first) || first < amount - second))
        {
            Errors["amountTendered"] = "Cash tendered must be at least the amount paid in cash.";
        }

        if (Errors.Count > 0)
        {
            return Page();
        }

        var parts = new List<TenderPart> { Part(Tender, first, Reference) };
        if (Tender2 is { } tender2)
        {
            parts.Add(Part(tender2, second, Reference2));
        }

        try
        {
            Receipt = await takePayment.ExecuteAsync(new DrawerPaymentRequest(Account!.AccountNumber, amount, parts, IdempotencyKey, Confirmed, StubInvoice?.Number), User.Identity!.Name!, cancellationToken);
            ChangeDue = Receipt.ChangeDue.IsPositive || parts.Any(p => p.Tender == Tender.Cash) ? Receipt.ChangeDue : null;
            Drawer = await drawers.CurrentAsync(User.Identity!.Name!, cancellationToken);
            // The next customer gets an empty form, the caret in the account box, and a fresh key; the receipt stays in view.
            AccountNumber = null;
            Account = null;
            Alerts = [];
            Stub = null;
            StubInvoice = null;
            Confirmed = false;
            Amount = null;
            AmountTendered = null;
            Reference = null;
            Tender2 = null;
            Amount2 = null;
            Reference2 = null;
            CardToken = null;
            CardLastFour = null;
            IdempotencyKey = Guid.NewGuid().ToString("N");
            ModelState.Clear();
        }
        catch (DomainException exception) when (exception.Field == "confirmed")
        {
            ToConfirm = exception.Message;
        }
        catch (DomainException exception)
        {
            Errors[ErrorField(exception.Field)] = exception.Message;
        }

        return Page();
    }

    /// <summary>The time of day a payment was received, in the utility's zone, as the receipt prints it.</summary>
    public string ReceivedTime(DrawerReceipt receipt) => TimeZoneInfo.ConvertTime(receipt.ReceivedAt, calendar.Zone).ToString("h:mm tt", System.Globalization.CultureInfo.InvariantCulture);

    private TenderPart Part(Tender tender, Money amount, string? reference) => tender == Tender.Card
        ? new TenderPart(tender, amount, null, Blank(CardToken), Blank(CardLastFour))
        : new TenderPart(tender, amount, Blank(reference));

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Maps a workflow's field name onto the input that shows it.</summary>
    private static string ErrorField(string? field) => field switch
    {
        null => "amount",
        "tenders[0].reference" => "reference",
        "tenders[1].reference" => "reference2",
        _ when field.Contains("card", StringComparison.OrdinalIgnoreCase) || field.StartsWith("tenders", StringComparison.Ordinal) => "tender",
        _ => field,
    };

    /// <summary>
    /// A scanner reads the stub's 37-digit scan line into the account box: it names the account (and the
    /// amount due, which becomes the amount when none is keyed). A line whose check digit fails is refused,
    /// never guessed at.
    /// </summary>
    private void ReadStub()
    {
        var digits = AccountNumber?.Replace(" ", "", StringComparison.Ordinal) ?? "";
        if (digits.Length != OpenCIS.Core.Billing.ScanLine.DigitCount)
        {
            return;
        }

        if (OpenCIS.Core.Billing.ScanLine.TryParse(digits, out var line, out var problem))
        {
            Stub = line;
            AccountNumber = line.AccountNumber;
        }
        else
        {
            StubProblem = $"That scan line does not read right ({problem}); scan it again or key the account number.";
            AccountNumber = null;
        }
    }

    private async Task<AccountSearchResult?> FindAsync(string? accountNumber, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(accountNumber))
        {
            return null;
        }

        var id = await queries.FindAccountIdAsync(accountNumber.Trim(), cancellationToken);
        if (id is null)
        {
            return null;
        }

        Alerts = await alertQueries.ForAccountAsync(id.Value, cancellationToken);
        var found = (await queries.SummariesAsync([id.Value], cancellationToken)).SingleOrDefault();
        if (Stub is { } stub && found is not null && await invoices.FindAsync(stub.BillNumber, cancellationToken) is { } invoice && invoice.AccountNumber == found.AccountNumber)
        {
            StubInvoice = invoice;
        }

        return found;
    }
}
