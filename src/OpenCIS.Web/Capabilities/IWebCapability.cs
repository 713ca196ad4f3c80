using OpenCIS.Web.Jobs;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>A permission and the roles that hold it. Screens and API endpoints use the same policy name.</summary>
public sealed record PermissionGrant(string Permission, string[] Roles);

/// <summary>
/// What one capability adds to the web host: its permissions, its API endpoints and the kinds of job it
/// runs (who may follow them, where a finished one leads). Its screens are
/// Razor Pages under Pages/, its use cases are registered by OpenCIS.UseCases. Program.cs lists the
/// capabilities, one line each.
/// </summary>
public interface IWebCapability
{
    IReadOnlyList<PermissionGrant> Permissions { get; }

    /// <summary>The kinds of long work this capability starts as jobs.</summary>
    IReadOnlyList<JobKindView> JobKinds => [];

    void MapEndpoints(RouteGroupBuilder api);
}

public static class WebCapabilities
{
    /// <summary>Adds every capability's permissions as policies; anything else needs a signed-in user.</summary>
    public static IServiceCollection AddCapabilityPolicies(this IServiceCollection services, IReadOnlyList<IWebCapability> capabilities)
    {
        var grants = capabilities.SelectMany(c => c.Permissions).ToList();
        var twice = grants.GroupBy(g => g.Permission).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0)
        {
            throw new InvalidOperationException($"Permissions declared by two capabilities: {string.Join(", ", twice)}.");
        }

        services.AddSingleton(new PermissionCatalog(grants));
        services.AddSingleton(new JobKindCatalog(capabilities.SelectMany(c => c.JobKinds)));
        services.AddScoped<JobAccess>();
        return services.AddAuthorization(options => Permissions.AddPolicies(options, grants));
    }

    /// <summary>Maps every capability's endpoints under the API group.</summary>
    public static void MapCapabilityEndpoints(this RouteGroupBuilder api, IReadOnlyList<IWebCapability> capabilities)
    {
        foreach (var capability in capabilities)
        {
            capability.MapEndpoints(api);
        }
    }
}

/// <summary>Every permission of the host's capabilities with its roles, for the screens and tests that list them.</summary>
public sealed record PermissionCatalog(IReadOnlyList<PermissionGrant> Grants)
{
    public IReadOnlyDictionary<string, string[]> RolesByPermission { get; } = Grants.ToDictionary(g => g.Permission, g => g.Roles);
}
