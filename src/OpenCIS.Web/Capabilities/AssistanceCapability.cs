using OpenCIS.Web.Api;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>Assistance programs: the programs, accounts' enrollments and agencies' energy-assistance pledges. Its permissions (each with the roles that hold it) and its API endpoints; its screens are under Pages/.</summary>
public sealed class AssistanceCapability : IWebCapability
{
    public const string ManagePrograms = nameof(ManagePrograms);
    public const string EnrollPrograms = nameof(EnrollPrograms);
    public const string RecordPledges = nameof(RecordPledges);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        // The programs themselves (who is eligible, how often re-verified): whoever may change what bills charge.
        new(ManagePrograms, [Roles.Supervisor, Roles.Admin]),
        // Enroll an account, record a verification, end an enrollment: customer service's daily work.
        new(EnrollPrograms, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        // Record an agency's pledge, link its payment, cancel it. Posting the agency's payment also needs TakePayments.
        new(RecordPledges, [Roles.Clerk, Roles.Collector, Roles.Supervisor, Roles.Admin]),
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        AssistanceApi.Map(api);
    }
}
