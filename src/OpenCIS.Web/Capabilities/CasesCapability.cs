using OpenCIS.Web.Api;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>
/// Cases on accounts (complaints, billing disputes, high-bill investigations, leak-adjustment and hearing requests)
/// and each person's work list. Its permissions with their roles and its API endpoints; its screens are
/// Pages/Accounts/Cases and Pages/Work.
/// </summary>
public sealed class CasesCapability : IWebCapability
{
    public const string ViewCases = nameof(ViewCases);
    public const string WorkCases = nameof(WorkCases);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        new(ViewCases, [Roles.Clerk, Roles.Cashier, Roles.Collector, Roles.Supervisor, Roles.Admin, Roles.Auditor, Roles.Field]),
        // Open cases, assign them, set what they wait on, note and resolve them.
        new(WorkCases, [Roles.Clerk, Roles.Collector, Roles.Supervisor, Roles.Admin]),
    ];

    public void MapEndpoints(RouteGroupBuilder api) => CasesApi.Map(api);
}
