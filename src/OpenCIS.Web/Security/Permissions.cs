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
            // A staff user holds a permission by a role; a service account's API key by the permissions it is scoped to.
            options.AddPolicy(grant.Permission, policy => policy.RequireAuthenticatedUser().RequireAssertion(context =>
                ApiKeyAuthentication.IsApiKey(context.User)
                    ? context.User.HasClaim(ApiKeyAuthentication.PermissionClaim, grant.Permission)
                    : grant.Roles.Any(context.User.IsInRole)));
        }

        // Everything needs a signed-in staff user unless it says otherwise (login page, static files, the OpenAPI
        // document); an API key passes only the permissions it is scoped to.
        var staff = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireAssertion(context => !ApiKeyAuthentication.IsApiKey(context.User)).Build();
        options.DefaultPolicy = staff;
        options.FallbackPolicy = staff;
    }
}
