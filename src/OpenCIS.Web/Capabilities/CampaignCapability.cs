using OpenCIS.Web.Api;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>Calling campaigns: lists built by criteria and dealt to collectors, the calls and promises made on them, their results and exports. Its screens are under Pages/Campaigns.</summary>
public sealed class CampaignCapability : IWebCapability
{
    public const string ViewCampaigns = nameof(ViewCampaigns);
    public const string ManageCampaigns = nameof(ManageCampaigns);
    public const string CallCampaigns = nameof(CallCampaigns);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        // Read the campaigns, their results and exports: the collectors, their Supervisor, and the auditors.
        new(ViewCampaigns, [Roles.Collector, Roles.Supervisor, Roles.Admin, Roles.Auditor]),
        // Build and close a campaign (who is called, by whom): a Supervisor's decision.
        new(ManageCampaigns, [Roles.Supervisor, Roles.Admin]),
        // Make the calls and log their outcomes and promises.
        new(CallCampaigns, [Roles.Collector, Roles.Supervisor, Roles.Admin]),
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        CampaignsApi.Map(api);
    }
}
