using OpenCIS.Web.Api;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>Rating: tariff versions, quotes and rate comparisons. Its permissions (each with the roles that hold it) and its API endpoints; its screens are under Pages/.</summary>
public sealed class RatingCapability : IWebCapability
{
    public const string ManageTariffs = nameof(ManageTariffs);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        new(ManageTariffs, [Roles.Supervisor, Roles.Admin]),
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        TariffsApi.Map(api);
    }
}
