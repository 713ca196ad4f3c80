using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.ServiceOrders;
using OpenCIS.Web.Api;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Field;

/// <summary>
/// The field's screen, built for a phone: the open orders (disconnects and reconnects, re-reads, meter work, tests,
/// leak checks, investigations) by route in route order, each
/// with its address, account and amount past due, and a form to complete it with its result (the read taken, the
/// amount paid at the door with its tender, posted as a payment; the protection found). A refused completion names the reason beside its order.
/// A Supervisor dispatches each order to a field worker (or moves it) and cancels one with its reason, on the same
/// cards; a field worker narrows the list to the orders dispatched to them.
/// </summary>
[Authorize(Policy = CollectionsCapability.CompleteFieldOrders)]
public sealed class IndexModel(ServiceOrderQueries queries, OpenCIS.UseCases.BusinessCalendar calendar, IAuthorizationService authorization,
    Microsoft.AspNetCore.Identity.UserManager<Microsoft.AspNetCore.Identity.IdentityUser> users) : ActionPageModel
{
    /// <summary>Whether this user dispatches and cancels orders (the Supervisor's part).</summary>
    public bool CanDispatch { get; private set; }

    /// <summary>The field workers an order can be dispatched to.</summary>
    public IReadOnlyList<string> Workers { get; private set; } = [];

    /// <summary>Only the orders dispatched to this user.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Mine { get; set; }

    /// <summary>The business date the door-hanger form offers first.</summary>
    public DateOnly Today => calendar.Today();

    public IReadOnlyList<FieldRoute> Routes { get; private set; } = [];

    /// <summary>The order the last action was about, so its message shows on it.</summary>
    public long? OrderId { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostDispatchAsync(long orderId, string? assignedTo, [FromServices] DispatchServiceOrder workflow, CancellationToken cancellationToken)
    {
        OrderId = orderId;
        return ActAsync(authorization, ServiceOrdersCapability.DispatchServiceOrders,
            async () => (await workflow.ExecuteAsync(orderId, assignedTo ?? "", User.Identity!.Name!, cancellationToken)).Message,
            () => LoadAsync(cancellationToken));
    }

    public Task<IActionResult> OnPostCancelAsync(long orderId, string? reason, [FromServices] CancelServiceOrder workflow, CancellationToken cancellationToken)
    {
        OrderId = orderId;
        return ActAsync(authorization, ServiceOrdersCapability.DispatchServiceOrders,
            async () => (await workflow.ExecuteAsync(orderId, reason ?? "", User.Identity!.Name!, cancellationToken)).Message,
            () => LoadAsync(cancellationToken));
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        CanDispatch = (await authorization.AuthorizeAsync(User, ServiceOrdersCapability.DispatchServiceOrders)).Succeeded;
        if (CanDispatch)
        {
            Workers = [.. (await users.GetUsersInRoleAsync(Roles.Field)).Select(u => u.UserName ?? "").Where(n => n.Length > 0).Order(StringComparer.Ordinal)];
        }

        var routes = await queries.FieldAsync(cancellationToken);
        var me = User.Identity?.Name;
        Routes = Mine
            ? [.. routes.Select(r => r with { Orders = [.. r.Orders.Where(o => string.Equals(o.AssignedTo, me, StringComparison.OrdinalIgnoreCase))] }).Where(r => r.Orders.Count > 0)]
            : routes;
        return true;
    }

    public Task<IActionResult> OnPostCompleteAsync(long orderId, string? result, long? reading, string? amountPaid, string? protection, string? physician, string? protectionEndsOn,
        string? note, string? tender, string? reference, string? newMeterSerial, long? newMeterReading, [FromServices] CompleteFieldOrder workflow, CancellationToken cancellationToken)
    {
        OrderId = orderId;
        return ActAsync(
            async () => (await workflow.ExecuteAsync(orderId, CollectionFieldApi.ReadCompletion(new FieldCompletionBody(result ?? "", reading, amountPaid, protection, physician, protectionEndsOn, note, tender, reference, newMeterSerial, newMeterReading)),
                User.Identity!.Name!, cancellationToken)).Message,
            () => LoadAsync(cancellationToken));
    }
}
