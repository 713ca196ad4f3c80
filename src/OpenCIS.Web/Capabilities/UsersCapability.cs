using OpenCIS.Web.Api;

namespace OpenCIS.Web.Capabilities;

/// <summary>Staff users: an administrator adds them, sets their roles, resets, unlocks, deactivates and reactivates them. Its permission and API endpoints; its screen is Pages/Admin/Users.</summary>
public sealed class UsersCapability : IWebCapability
{
    public const string ManageUsers = nameof(ManageUsers);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        new(ManageUsers, [Roles.Admin]),
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        UsersApi.Map(api);
    }
}
