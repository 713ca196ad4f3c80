using OpenCIS.Web.Api;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>Deposits: required, applied to final bills, reviewed for refund, and the deposit report. Its permissions (each with the roles that hold it) and its API endpoints; its screens are under Pages/.</summary>
public sealed class DepositsCapability : IWebCapability
{
    public const string ManageDeposits = nameof(ManageDeposits);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        // Require (bill or waive) a deposit, apply it to a final bill, run the refund review.
        new(ManageDeposits, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        DepositsApi.Map(api);
    }
}
