using OpenCIS.Web.Api;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>The ledger: the chart of accounts and the allocation priorities. Its permissions (each with the roles that hold it) and its API endpoints; its screens are under Pages/.</summary>
public sealed class LedgerCapability : IWebCapability
{
    public const string ManageLedger = nameof(ManageLedger);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        // The chart of accounts (names, funds, departments) and the allocation rule's charge-type priorities.
        new(ManageLedger, [Roles.Supervisor, Roles.Admin]),
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        LedgerApi.Map(api);
    }
}
