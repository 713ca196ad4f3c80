using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Customers;
using OpenCIS.Web.Api;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Accounts;

public sealed class DetailModel(AccountQueries queries, AccountAlertQueries alertQueries, AccountCollectionRecords records, UseCases.Letters.LetterQueries letters, IAuthorizationService authorization) : PageModel
{
    public AccountOverview Account { get; private set; } = null!;
    public IReadOnlyList<AuditView>? Audit { get; private set; }

    /// <summary>The alert strip under the heading: what the clerk must see before saying anything.</summary>
    public IReadOnlyList<AccountAlertView> Alerts { get; private set; } = [];

    /// <summary>The latest contacts logged on the account, newest first.</summary>
    public IReadOnlyList<ContactView> Contacts { get; private set; } = [];

    public IReadOnlyList<UseCases.Letters.LetterListing> Letters { get; private set; } = [];

    public bool CanLogContacts { get; private set; }
    public bool CanTakePayments { get; private set; }
    public bool CanReturnPayments { get; private set; }
    public bool CanEditCustomers { get; private set; }
    public bool CanRevealIdentity { get; private set; }
    public bool CanViewBilling { get; private set; }
    public bool CanCorrect { get; private set; }
    public string? Message { get; private set; }
    public string UsageChartJson { get; private set; } = "{}";

    /// <summary>The last twelve bills' charges and amount due, for site.js's trend chart (data-trend-chart).</summary>
    public string BalanceChartJson { get; private set; } = "{}";

    public int BalanceChartBills { get; private set; }

    public async Task<IActionResult> OnGetAsync(string accountNumber, string? message, CancellationToken cancellationToken)
    {
        Message = message;
        return await LoadAsync(accountNumber, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostIdentityAsync(string accountNumber, long customerId, string kind, string number, string reason, [FromServices] ChangeIdentityNumber workflow, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, CustomersCapability.EditCustomers)).Succeeded)
        {
            return Forbid();
        }

        try
        {
            var identityKind = Enum.Parse<IdentityNumberKind>(kind, ignoreCase: true);
            var masked = await workflow.ExecuteAsync(customerId, identityKind, number, reason, User.Identity!.Name!, cancellationToken);
            return RedirectToPage(new { accountNumber, message = $"Identity number saved ({masked})." });
        }
        catch (DomainException exception)
        {
            return RedirectToPage(new { accountNumber, message = exception.Message });
        }
    }

    public async Task<IActionResult> OnPostContactAsync(string accountNumber, long customerId, CustomerContact contact, string reason, [FromServices] ChangeCustomerContact workflow, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, CustomersCapability.EditCustomers)).Succeeded)
        {
            return Forbid();
        }

        try
        {
            var saved = await workflow.ExecuteAsync(customerId, contact, reason, User.Identity!.Name!, cancellationToken);
            return RedirectToPage(new { accountNumber, message = $"Saved the details of {saved.DisplayName}." });
        }
        catch (DomainException exception)
        {
            return RedirectToPage(new { accountNumber, message = exception.Message });
        }
    }

    public async Task<IActionResult> OnPostLogContactAsync(string accountNumber, string? kind, string? category, string? outcome, string? note, [FromServices] LogContact workflow, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, CustomersCapability.LogContacts)).Succeeded)
        {
            return Forbid();
        }

        var id = await queries.FindAccountIdAsync(accountNumber, cancellationToken);
        if (id is null)
        {
            return NotFound();
        }

        try
        {
            var request = CollectionWorkApi.ReadContact(new ContactBody(kind ?? "", outcome ?? "", note, null, null, category));
            var logged = await workflow.ExecuteAsync(id.Value, request, User.Identity!.Name!, cancellationToken);
            return RedirectToPage(new { accountNumber, message = $"Logged the {ContactWords(logged.Contact.Kind)} ({logged.Contact.Category}, {logged.Contact.Outcome})." });
        }
        catch (DomainException exception)
        {
            return RedirectToPage(new { accountNumber, message = exception.Message });
        }
    }

    /// <summary>A contact's kind as a clerk says it.</summary>
    public static string ContactWords(OpenCIS.Storage.Collections.ContactKind kind) => kind switch
    {
        OpenCIS.Storage.Collections.ContactKind.WalkIn => "walk-in",
        OpenCIS.Storage.Collections.ContactKind.Portal => "portal message",
        OpenCIS.Storage.Collections.ContactKind.Email => "e-mail",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public async Task<IActionResult> OnPostRevealAsync(long customerId, string reason, [FromServices] RevealIdentityNumber workflow, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, CustomersCapability.RevealIdentity)).Succeeded)
        {
            return Forbid();
        }

        try
        {
            return Content(await workflow.ExecuteAsync(customerId, reason, User.Identity!.Name!, cancellationToken));
        }
        catch (DomainException exception)
        {
            return Content(exception.Message);
        }
    }

    private async Task<bool> LoadAsync(string accountNumber, CancellationToken cancellationToken)
    {
        var id = await queries.FindAccountIdAsync(accountNumber, cancellationToken);
        var overview = id is null ? null : await queries.OverviewAsync(id.Value, cancellationToken);
        if (overview is null)
        {
            return false;
        }

        Account = overview;
        Alerts = await alertQueries.ForAccountAsync(overview.AccountId, cancellationToken);
        CanLogContacts = (await authorization.AuthorizeAsync(User, CustomersCapability.LogContacts)).Succeeded;
        Contacts = [.. ((await records.ForAccountAsync(overview.AccountId, cancellationToken))?.Contacts ?? []).Take(5)];
        Letters = await letters.ForAccountAsync(overview.AccountId, cancellationToken);
        CanTakePayments = (await authorization.AuthorizeAsync(User, PaymentsCapability.TakePayments)).Succeeded;
        CanReturnPayments = (await authorization.AuthorizeAsync(User, PaymentsCapability.ReturnPayments)).Succeeded;
        CanEditCustomers = (await authorization.AuthorizeAsync(User, CustomersCapability.EditCustomers)).Succeeded;
        CanRevealIdentity = (await authorization.AuthorizeAsync(User, CustomersCapability.RevealIdentity)).Succeeded;
        CanViewBilling = (await authorization.AuthorizeAsync(User, BillingCapability.ViewBilling)).Succeeded;
        CanCorrect = (await authorization.AuthorizeAsync(User, BillingCapability.CorrectBills)).Succeeded || (await authorization.AuthorizeAsync(User, BillingCapability.AdjustAccounts)).Succeeded;
        if ((await authorization.AuthorizeAsync(User, ReportsCapability.ViewAudit)).Succeeded)
        {
            Audit = await queries.AuditTrailAsync(overview.AccountId, cancellationToken);
        }

        // Held and canceled bills were never owed as printed; the chart shows what the customer was billed and owed at each bill.
        var owed = overview.Bills.Where(b => b.Status is not ("Canceled" or "Held")).OrderBy(b => b.BillDate).ThenBy(b => b.BillId).TakeLast(12).ToList();
        BalanceChartBills = owed.Count;
        BalanceChartJson = JsonSerializer.Serialize(new
        {
            kind = "bar",
            unit = "money",
            labels = owed.Select(b => b.BillDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            series = new[]
            {
                new { name = "This bill's charges", values = owed.Select(b => (decimal?)(b.CurrentChargesCents / 100m)) },
                new { name = "Amount due", values = owed.Select(b => (decimal?)(b.AmountDueCents / 100m)) },
            },
        });
        var usage = overview.Bills.OrderBy(b => b.BillDate)
            .Select(b => (b.BillDate, Segment: b.Segments.FirstOrDefault(s => s.Service == "Water" && s.PresentReading is not null)))
            .Where(x => x.Segment is not null)
            .ToList();
        UsageChartJson = JsonSerializer.Serialize(new
        {
            labels = usage.Select(u => u.BillDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            values = usage.Select(u => u.Segment!.UsageQuantity ?? 0m),
            unit = usage.Select(u => u.Segment!.UsageUnit).FirstOrDefault() ?? "",
        });
        return true;
    }
}
