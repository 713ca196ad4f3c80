using OpenCIS.Web.Api;

namespace OpenCIS.Web.Capabilities;

/// <summary>
/// The customer self-service portal: its API for signed-in customers and the processors' webhooks. It grants no staff
/// permission: customers hold the portal's own policy (<see cref="Security.PortalAuthentication.Policy"/>) by its own cookie.
/// Its screens are Pages/Portal (and Pages/TestProcessor, the local test processor's hosted page).
/// </summary>
public sealed class PortalCapability : IWebCapability
{
    public IReadOnlyList<PermissionGrant> Permissions { get; } = [];

    public void MapEndpoints(RouteGroupBuilder api) => PortalApi.Map(api);
}
