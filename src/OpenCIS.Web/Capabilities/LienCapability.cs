using OpenCIS.Web.Api;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>Liens: the register, each lien's documents, releases, the daily lien run and certification to the county tax roll. Its screens are under Pages/Liens.</summary>
public sealed class LienCapability : IWebCapability
{
    public const string ViewLiens = nameof(ViewLiens);
    public const string WorkLiens = nameof(WorkLiens);
    public const string CertifyLiens = nameof(CertifyLiens);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        // Read the register and print its documents: whoever answers an owner's call, and the auditors.
        new(ViewLiens, [Roles.Clerk, Roles.Cashier, Roles.Collector, Roles.Supervisor, Roles.Admin, Roles.Auditor]),
        // Run the day's liens by hand and record releases: the collectors' work.
        new(WorkLiens, [Roles.Collector, Roles.Supervisor, Roles.Admin]),
        // Certify unpaid liens to the county tax roll: a yearly filing with the county, a Supervisor's.
        new(CertifyLiens, [Roles.Supervisor, Roles.Admin]),
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        LiensApi.Map(api);
    }
}
