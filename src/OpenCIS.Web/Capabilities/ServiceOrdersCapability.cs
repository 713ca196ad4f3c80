using OpenCIS.Web.Api;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>
/// Service orders for customer service and the meter shop: creating one on an account, the dispatch board by day and
/// crew where a dispatcher assigns them, and completing them (the field's permission, <see cref="CollectionsCapability.CompleteFieldOrders"/>).
/// Its screens are Pages/ServiceOrders (the board) and the orders card on the account page; the field screen is Pages/Field.
/// </summary>
public sealed class ServiceOrdersCapability : IWebCapability
{
    public const string CreateServiceOrders = nameof(CreateServiceOrders);
    public const string DispatchServiceOrders = nameof(DispatchServiceOrders);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        // Ask for field or meter-shop work on an account: a re-read, a meter test, a leak check, an exchange...
        new(CreateServiceOrders, [Roles.Clerk, Roles.Collector, Roles.Dispatcher, Roles.Supervisor, Roles.Admin]),
        // The dispatcher's work: assign orders to crews on the board, move them, cancel them.
        new(DispatchServiceOrders, [Roles.Dispatcher, Roles.Supervisor, Roles.Admin]),
    ];

    public void MapEndpoints(RouteGroupBuilder api) => ServiceOrdersApi.Map(api);
}
