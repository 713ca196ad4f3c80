using OpenCIS.Core.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.ServiceOrders;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Accounts;

/// <summary>
/// The account's service orders: each with its kind, queue, status, due day and window, result and history, and the
/// form to ask for field or meter-shop work (a re-read, a meter test, a leak check, an exchange...) through the
/// workflow POST /api/service-orders calls.
/// </summary>
[Authorize(Policy = CustomersCapability.ViewAccounts)]
public sealed class OrdersModel(AccountQueries accounts, ServiceOrderQueries orders, IAuthorizationService authorization) : ActionPageModel
{
    public AccountOverview Account { get; private set; } = null!;
    public IReadOnlyList<ServiceOrderView> Orders { get; private set; } = [];
    public bool CanCreate { get; private set; }

    public async Task<IActionResult> OnGetAsync(string accountNumber, CancellationToken cancellationToken) =>
        await LoadAsync(accountNumber, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostCreateAsync(string accountNumber, string? kind, int? priority, string? dueOn, string? window, string? notes, [FromServices] CreateServiceOrder workflow, CancellationToken cancellationToken) =>
        ActAsync(authorization, ServiceOrdersCapability.CreateServiceOrders, async () =>
        {
            var (start, end) = OrderTypes.ParseWindow(window);
            DateOnly? due = string.IsNullOrWhiteSpace(dueOn) ? null
                : IsoDate.TryParse(dueOn, out var day) ? day
                : throw new OpenCIS.Core.Common.DomainException($"'{dueOn}' is not a date.", "dueOn");
            return (await workflow.ExecuteAsync(new ServiceOrderRequest(kind ?? "", accountNumber, Priority: priority, DueOn: due, WindowStart: start, WindowEnd: end, Notes: notes), User.Identity!.Name!, cancellationToken)).Message;
        }, () => LoadAsync(accountNumber, cancellationToken));

    public Task<IActionResult> OnPostNoteAsync(string accountNumber, long orderId, string? note, [FromServices] NoteServiceOrder workflow, CancellationToken cancellationToken) =>
        ActAsync(authorization, ServiceOrdersCapability.CreateServiceOrders, async () =>
        {
            if ((await orders.OrderAsync(orderId, cancellationToken))?.AccountNumber != accountNumber)
            {
                throw new OpenCIS.Core.Common.DomainException($"Order {orderId} is not on account {accountNumber}.", "orderId");
            }

            return (await workflow.ExecuteAsync(orderId, note ?? "", User.Identity!.Name!, cancellationToken)).Message;
        }, () => LoadAsync(accountNumber, cancellationToken));

    private async Task<bool> LoadAsync(string accountNumber, CancellationToken cancellationToken)
    {
        var overview = await accounts.OverviewAsync(accountNumber, cancellationToken);
        if (overview is null)
        {
            return false;
        }

        Account = overview;
        Orders = await orders.ForAccountAsync(overview.AccountId, cancellationToken);
        CanCreate = (await authorization.AuthorizeAsync(User, ServiceOrdersCapability.CreateServiceOrders)).Succeeded;
        return true;
    }
}
