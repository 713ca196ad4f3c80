using OpenCIS.UseCases.Collections;
using OpenCIS.Web.Api;
using OpenCIS.Web.Jobs;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>
/// Collections: the policy, the daily run (a job), the disconnect list and its approval, protections,
/// arrangements, promises, contacts and notes, and the field's orders. Its permissions with their roles and
/// its API endpoints; its screens are under Pages/Collections.
/// </summary>
public sealed class CollectionsCapability : IWebCapability
{
    public const string ViewCollections = nameof(ViewCollections);
    public const string RunCollections = nameof(RunCollections);
    public const string ManageCollectionPolicy = nameof(ManageCollectionPolicy);
    public const string WorkCollections = nameof(WorkCollections);
    public const string ManageProtections = nameof(ManageProtections);
    public const string ApproveCollections = nameof(ApproveCollections);
    public const string PostTemperatures = nameof(PostTemperatures);
    public const string CompleteFieldOrders = nameof(CompleteFieldOrders);
    public const string WaiveCharges = nameof(WaiveCharges);
    public const string RequestReconnects = nameof(RequestReconnects);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        new(ViewCollections, [Roles.Clerk, Roles.Collector, Roles.Supervisor, Roles.Admin, Roles.Auditor]),
        // Start the daily run by hand (the schedule starts it nightly).
        new(RunCollections, [Roles.Supervisor, Roles.Admin]),
        // Import and edit the collection policy.
        new(ManageCollectionPolicy, [Roles.Supervisor, Roles.Admin]),
        // Log contacts, take promises, write notes, set up arrangements within policy.
        new(WorkCollections, [Roles.Collector, Roles.Supervisor, Roles.Admin]),
        // Enter and end protections (medical certificates, life support, disputes, tenant-occupied premises).
        new(ManageProtections, [Roles.Clerk, Roles.Collector, Roles.Supervisor, Roles.Admin]),
        // Approve the disconnect list, waivers above the courtesy limit, arrangements outside policy.
        new(ApproveCollections, [Roles.Supervisor, Roles.Admin]),
        // The day's forecast temperatures a moratorium reads.
        new(PostTemperatures, [Roles.Supervisor, Roles.Admin]),
        // Waive a late charge or collection fee within the policy's courtesy limit (beyond it: ApproveCollections).
        new(WaiveCharges, [Roles.Clerk, Roles.Collector, Roles.Supervisor, Roles.Admin]),
        // Complete disconnect, reconnect and door-hanger orders in the field.
        new(CompleteFieldOrders, [Roles.Field, Roles.Supervisor, Roles.Admin]),
        // Request the reconnect order of a disconnected account that has paid (posts the reconnect fee).
        new(RequestReconnects, [Roles.Clerk, Roles.Collector, Roles.Supervisor, Roles.Admin]),
    ];

    public IReadOnlyList<JobKindView> JobKinds { get; } =
    [
        new(RunCollectionsJob.JobKind, ViewCollections)
        {
            Links = job => [new JobLink("job-result", "Disconnect list", "/Collections/DisconnectList")],
            Home = new JobLink("job-home", "Back to collections", "/Collections"),
        },
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        CollectionsApi.Map(api);
        CollectionPoliciesApi.Map(api);
        CollectionWorkApi.Map(api);
        CollectionArrangementsApi.Map(api);
        CollectionWaiversApi.Map(api);
        CollectionFieldApi.Map(api);
        CollectionNoticesApi.Map(api);
    }
}
