using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Core.Deposits;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage.Deposits;
using OpenCIS.UseCases.Deposits;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Accounts;

/// <summary>
/// The account's deposits: each decision with its reason, the charge and what is still open on it,
/// when it was paid, interest, and how it closed. A clerk requires a deposit (or waives it with a
/// reason) and applies a final-billed account's deposit, through the workflows the API calls.
/// </summary>
[Authorize(Policy = CustomersCapability.ViewAccounts)]
public sealed class DepositsModel(AccountQueries accounts, DepositQueries deposits, IAuthorizationService authorization) : ActionPageModel
{
    public AccountOverview Account { get; private set; } = null!;
    public IReadOnlyList<DepositView> Deposits { get; private set; } = [];
    public DepositPolicy Policy => deposits.Policy;
    public bool CanManage { get; private set; }

    public async Task<IActionResult> OnGetAsync(string accountNumber, CancellationToken cancellationToken) =>
        await LoadAsync(accountNumber, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostRequireAsync(string accountNumber, string? waiverReason, string? idempotencyKey, [FromServices] RequireDeposit workflow, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, cancellationToken, async () =>
            (await workflow.ExecuteAsync(new RequireDepositRequest(accountNumber, waiverReason, Key(idempotencyKey)), User.Identity!.Name!, cancellationToken)).Message);

    public Task<IActionResult> OnPostApplyAsync(string accountNumber, string? idempotencyKey, [FromServices] ApplyDepositToFinalBill workflow, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, cancellationToken, async () =>
            (await workflow.ExecuteAsync(new ApplyDepositRequest(accountNumber, Key(idempotencyKey)), User.Identity!.Name!, cancellationToken)).Message);

    private static string? Key(string? key) => string.IsNullOrWhiteSpace(key) ? null : key;

    /// <summary>Checks the permission, runs the workflow, and shows its message (or the clerk's error) on the page again.</summary>
    private Task<IActionResult> RunAsync(string accountNumber, CancellationToken cancellationToken, Func<Task<string>> work) =>
        ActAsync(authorization, DepositsCapability.ManageDeposits, work, () => LoadAsync(accountNumber, cancellationToken));

    private async Task<bool> LoadAsync(string accountNumber, CancellationToken cancellationToken)
    {
        var id = await accounts.FindAccountIdAsync(accountNumber, cancellationToken);
        var overview = id is null ? null : await accounts.OverviewAsync(id.Value, cancellationToken);
        if (overview is null)
        {
            return false;
        }

        Account = overview;
        Deposits = await deposits.ForAccountAsync(overview.AccountNumber, cancellationToken);
        CanManage = (await authorization.AuthorizeAsync(User, DepositsCapability.ManageDeposits)).Succeeded;
        return true;
    }
}
