using OpenCIS.Web.Api;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>The finance reports and the audit trail. Its permissions (each with the roles that hold it) and its API endpoints; its screens are under Pages/.</summary>
public sealed class ReportsCapability : IWebCapability
{
    public const string ViewReports = nameof(ViewReports);
    public const string ViewAudit = nameof(ViewAudit);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        new(ViewReports, [Roles.Supervisor, Roles.Admin, Roles.Auditor, Roles.Collector]),
        new(ViewAudit, [Roles.Supervisor, Roles.Admin, Roles.Auditor]),
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        ReportsApi.Map(api);
        TrendsApi.Map(api);
    }
}
