using OpenCIS.Web.Api;

namespace OpenCIS.Web.Capabilities;

/// <summary>Staff users (an administrator adds them, sets their roles, resets, unlocks, deactivates and reactivates them) and the API keys of the service accounts other city systems use. Its permissions and API endpoints; its screens are Pages/Admin/Users and Pages/Admin/ApiKeys.</summary>
public sealed class UsersCapability : IWebCapability
{
    public const string ManageUsers = nameof(ManageUsers);
    public const string ManageApiKeys = nameof(ManageApiKeys);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        new(ManageUsers, [Roles.Admin]),
        // Make, rotate and revoke the keys other city systems call the API with, and read each key's use.
        new(ManageApiKeys, [Roles.Admin]),
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        UsersApi.Map(api);
        ApiKeysApi.Map(api);
    }
}
