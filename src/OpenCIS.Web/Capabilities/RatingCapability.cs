using OpenCIS.Web.Api;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>Rating: tariff versions, quotes and rate comparisons, and the dated values tariffs name (riders, the heating value). Its permissions (each with the roles that hold it) and its API endpoints; its screens are under Pages/.</summary>
public sealed class RatingCapability : IWebCapability
{
    public const string ManageTariffs = nameof(ManageTariffs);
    public const string ManageRateValues = nameof(ManageRateValues);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        new(ManageTariffs, [Roles.Supervisor, Roles.Admin]),
        // The values bills are rated on (a rider's monthly price, the heating value): whoever may import the tariffs that name them.
        new(ManageRateValues, [Roles.Supervisor, Roles.Admin]),
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        TariffsApi.Map(api);
        RateValuesApi.Map(api);
    }
}
