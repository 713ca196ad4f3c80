using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Customers;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Accounts;

/// <summary>
/// The account's budget billing: the plan (amount, true-up month, next review), the deferred balance, and each bill on the
/// plan with its actual charges and budget amount side by side. A clerk enrolls the account (the amount its last twelve
/// months suggest, or one given) or ends the plan, which settles the deferred balance.
/// </summary>
[Authorize(Policy = BillingCapability.ViewBilling)]
public sealed class BudgetModel(AccountQueries accounts, BudgetPlans plans, IAuthorizationService authorization) : ActionPageModel
{
    public AccountOverview Account { get; private set; } = null!;
    public BudgetPlanView Budget { get; private set; } = null!;
    public bool CanManage { get; private set; }

    public async Task<IActionResult> OnGetAsync(string accountNumber, CancellationToken cancellationToken) =>
        await LoadAsync(accountNumber, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostEnrollAsync(string accountNumber, string? monthlyAmount, int? trueUpMonth, int? reviewEveryMonths, CancellationToken cancellationToken) =>
        ActAsync(authorization, BillingCapability.ManageBudgetBilling, async () =>
        {
            Money? amount = monthlyAmount is { Length: > 0 } text
                ? Money.TryParse(text, out var parsed) ? parsed : throw new DomainException($"'{text}' is not an amount (whole dollars, e.g. 85.00).", "monthlyAmount")
                : null;
            var view = await plans.EnrollAsync(accountNumber, amount, trueUpMonth, reviewEveryMonths, User.Identity!.Name!, cancellationToken);
            return $"Enrolled in budget billing at {Money.FromCents(view.Active!.MonthlyAmountCents)} a month.";
        }, () => LoadAsync(accountNumber, cancellationToken));

    public Task<IActionResult> OnPostEndAsync(string accountNumber, string? reason, CancellationToken cancellationToken) =>
        ActAsync(authorization, BillingCapability.ManageBudgetBilling, async () =>
        {
            var ended = await plans.EndAsync(accountNumber, reason ?? "", User.Identity!.Name!, cancellationToken);
            return $"Budget billing ended; the deferred balance of {ended.Settled} was settled on the account.";
        }, () => LoadAsync(accountNumber, cancellationToken));

    private async Task<bool> LoadAsync(string accountNumber, CancellationToken cancellationToken)
    {
        var id = await accounts.FindAccountIdAsync(accountNumber, cancellationToken);
        var overview = id is null ? null : await accounts.OverviewAsync(id.Value, cancellationToken);
        if (overview is null)
        {
            return false;
        }

        Account = overview;
        Budget = await plans.GetAsync(overview.AccountNumber, cancellationToken);
        CanManage = (await authorization.AuthorizeAsync(User, BillingCapability.ManageBudgetBilling)).Succeeded;
        return true;
    }
}
