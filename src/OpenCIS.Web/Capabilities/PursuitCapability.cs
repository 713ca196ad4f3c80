using OpenCIS.Web.Api;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>Final-bill pursuit: collection agencies and the legal office, referrals and recalls, placement and payment files, and the daily pursuit. Its screens are under Pages/Pursuit.</summary>
public sealed class PursuitCapability : IWebCapability
{
    public const string ViewPursuit = nameof(ViewPursuit);
    public const string ManageAgencies = nameof(ManageAgencies);
    public const string ReferAccounts = nameof(ReferAccounts);
    public const string PostAgencyPayments = nameof(PostAgencyPayments);
    public const string RunPursuit = nameof(RunPursuit);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        // Read the referrals, agencies, files and the write-off list: whoever answers for a final account, and the auditors.
        new(ViewPursuit, [Roles.Clerk, Roles.Cashier, Roles.Collector, Roles.Supervisor, Roles.Admin, Roles.Auditor]),
        // Enter an agency from its contract (commission, remittance): a Supervisor's decision.
        new(ManageAgencies, [Roles.Supervisor, Roles.Admin]),
        // Refer or recall by hand, and make the placement files: the collectors' daily work.
        new(ReferAccounts, [Roles.Collector, Roles.Supervisor, Roles.Admin]),
        // Post an agency's payment file: money, so the cashiers' office or a Supervisor.
        new(PostAgencyPayments, [Roles.Cashier, Roles.Supervisor, Roles.Admin]),
        // Run the day's pursuit by hand (the nightly collections job runs it too).
        new(RunPursuit, [Roles.Collector, Roles.Supervisor, Roles.Admin]),
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        PursuitApi.Map(api);
    }
}
