using Microsoft.AspNetCore.Authorization;

namespace OpenCIS.Web.Security;

/// <summary>
/// Permissions are policies; each names the roles that hold it. Each capability declares its own
/// (Capabilities/*Capability.cs). Screens and API endpoints use the same policy names, so a role can
/// do through the API exactly what it can do on screen.
/// </summary>
public static class Permissions
{
    public static void AddPolicies(AuthorizationOptions options, IEnumerable<Capabilities.PermissionGrant> grants)
    {
        foreach (var grant in grants)
        {
            options.AddPolicy(grant.Permission, policy => policy.RequireAuthenticatedUser().RequireRole(grant.Roles));
        }

        // Everything needs a signed-in user unless it says otherwise (login page, static files, the OpenAPI document).
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
