using OpenCIS.Web.Api;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>Metering: meters, read files and route reads, the review queue and the detection worklists. Its permissions (each with the roles that hold it) and its API endpoints; its screens are under Pages/.</summary>
public sealed class MeteringCapability : IWebCapability
{
    public const string ManageMeters = nameof(ManageMeters);
    public const string ImportReads = nameof(ImportReads);
    public const string ReviewReads = nameof(ReviewReads);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        new(ManageMeters, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        new(ImportReads, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        new(ReviewReads, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        MeteringApi.Map(api);
    }
}
