using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Core.Receivables;
using OpenCIS.Storage.Receivables;
using OpenCIS.UseCases.Receivables;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Accounts;

/// <summary>
/// The account's balance and what can be done with it: request a refund of a credit, transfer the whole
/// balance to the customer's other account, write it off (and reverse a write-off). Each form posts to
/// the workflow the API calls and needs its own permission.
/// </summary>
[Authorize(Policy = CustomersCapability.ViewAccounts)]
public sealed class BalanceModel(ReceivablesQueries queries, IAuthorizationService authorization) : ActionPageModel
{
    public AccountReceivables Account { get; private set; } = null!;
    public bool CanRequestRefunds { get; private set; }
    public bool CanTransfer { get; private set; }
    public bool CanWriteOff { get; private set; }

    public async Task<IActionResult> OnGetAsync(string accountNumber, CancellationToken cancellationToken) =>
        await LoadAsync(accountNumber, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostRefundAsync(string accountNumber, string amount, string method, string note, string? idempotencyKey, [FromServices] RequestRefund workflow, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, ReceivablesCapability.RequestRefunds, cancellationToken, async () =>
        {
            var money = Parse(amount) ?? throw new DomainException("Enter the amount to refund.", "amount");
            if (!Enum.TryParse<RefundMethod>(method, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                throw new DomainException($"'{method}' is not check or ACH.", "method");
            }

            return (await workflow.ExecuteAsync(new RefundRequest(accountNumber, money, parsed, note, Key(idempotencyKey)), User.Identity!.Name!, cancellationToken)).Message;
        });

    public Task<IActionResult> OnPostTransferAsync(string accountNumber, string toAccountNumber, string reason, string? idempotencyKey, [FromServices] TransferBalance workflow, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, ReceivablesCapability.TransferBalances, cancellationToken, async () =>
            (await workflow.ExecuteAsync(new TransferRequest(accountNumber, toAccountNumber ?? "", reason, Key(idempotencyKey)), User.Identity!.Name!, cancellationToken)).Message);

    public Task<IActionResult> OnPostWriteOffAsync(string accountNumber, string? amount, string reasonCode, string? note, string? idempotencyKey, [FromServices] WriteOffBalance workflow, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, ReceivablesCapability.WriteOffAccounts, cancellationToken, async () =>
            (await workflow.ExecuteAsync(new WriteOffRequest(accountNumber, Parse(amount), reasonCode, note, Key(idempotencyKey)), User.Identity!.Name!, cancellationToken)).Message);

    public Task<IActionResult> OnPostReverseAsync(string accountNumber, long writeOffId, string reason, string? idempotencyKey, [FromServices] ReverseWriteOff workflow, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, ReceivablesCapability.WriteOffAccounts, cancellationToken, async () =>
            (await workflow.ExecuteAsync(writeOffId, reason, Key(idempotencyKey), User.Identity!.Name!, cancellationToken)).Message);

    private static string? Key(string? idempotencyKey) => string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey;

    private static Money? Parse(string? amount)
    {
        if (string.IsNullOrWhiteSpace(amount))
        {
            return null;
        }

        return Money.TryParse(amount, out var money) && money.IsPositive
            ? money
            : throw new DomainException($"'{amount}' is not an amount in dollars and cents above zero.", "amount");
    }

    /// <summary>Checks the permission, runs the workflow, and shows its message (or the clerk's error) on the page again.</summary>
    private Task<IActionResult> RunAsync(string accountNumber, string permission, CancellationToken cancellationToken, Func<Task<string>> work) =>
        ActAsync(authorization, permission, work, () => LoadAsync(accountNumber, cancellationToken));

    private async Task<bool> LoadAsync(string accountNumber, CancellationToken cancellationToken)
    {
        try
        {
            Account = await queries.ForAccountAsync(accountNumber, cancellationToken);
        }
        catch (DomainException)
        {
            return false;
        }

        CanRequestRefunds = (await authorization.AuthorizeAsync(User, ReceivablesCapability.RequestRefunds)).Succeeded;
        CanTransfer = (await authorization.AuthorizeAsync(User, ReceivablesCapability.TransferBalances)).Succeeded;
        CanWriteOff = (await authorization.AuthorizeAsync(User, ReceivablesCapability.WriteOffAccounts)).Succeeded;
        return true;
    }
}
