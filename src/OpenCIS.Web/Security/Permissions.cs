using Microsoft.AspNetCore.Authorization;

namespace OpenCIS.Web.Security;

/// <summary>The roles of PRODUCT.md.</summary>
public static class Roles
{
    public const string Clerk = "Clerk";
    public const string Cashier = "Cashier";
    public const string Collector = "Collector";
    public const string Supervisor = "Supervisor";
    public const string Admin = "Admin";
    public const string Auditor = "Auditor";

    /// <summary>Field service: completes disconnect, reconnect and door-hanger orders from a phone.</summary>
    public const string Field = "Field";

    /// <summary>The dispatcher: puts the day's service orders in the crews' lanes on the dispatch board.</summary>
    public const string Dispatcher = "Dispatcher";

    public static readonly string[] All = [Clerk, Cashier, Collector, Supervisor, Admin, Auditor, Field, Dispatcher];
}

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
