using OpenCIS.Web.Api;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>Receivables: refunds, balance transfers and write-offs. Its permissions (each with the roles that hold it) and its API endpoints; its screens are under Pages/.</summary>
public sealed class ReceivablesCapability : IWebCapability
{
    public const string RequestRefunds = nameof(RequestRefunds);
    public const string ApproveRefunds = nameof(ApproveRefunds);
    public const string TransferBalances = nameof(TransferBalances);
    public const string WriteOffAccounts = nameof(WriteOffAccounts);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        // Ask to refund an account's credit balance; it pays out only when ApproveRefunds approves it (never the requester).
        new(RequestRefunds, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        new(ApproveRefunds, [Roles.Supervisor, Roles.Admin]),
        // Move an account's whole balance to another account of the same customer.
        new(TransferBalances, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        // Write off uncollectible balances and reverse write-offs.
        new(WriteOffAccounts, [Roles.Supervisor, Roles.Admin]),
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        ReceivablesApi.Map(api);
    }
}
