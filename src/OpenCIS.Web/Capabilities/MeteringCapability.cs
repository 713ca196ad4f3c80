using OpenCIS.UseCases.Metering.Import;
using OpenCIS.Web.Api;
using OpenCIS.Web.Jobs;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Capabilities;

/// <summary>Metering: meters, read files and route reads, the review queue and the detection worklists. Its permissions (each with the roles that hold it) and its API endpoints; its screens are under Pages/.</summary>
public sealed class MeteringCapability : IWebCapability
{
    public const string ManageMeters = nameof(ManageMeters);
    public const string ImportReads = nameof(ImportReads);
    public const string ReviewReads = nameof(ReviewReads);

    public IReadOnlyList<PermissionGrant> Permissions { get; } =
    [
        new(ManageMeters, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        new(ImportReads, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
        new(ReviewReads, [Roles.Clerk, Roles.Supervisor, Roles.Admin]),
    ];

    public IReadOnlyList<JobKindView> JobKinds { get; } =
    [
        new(ImportReadsJob.JobKind, ImportReads)
        {
            Links = job => job.ResultAs<ReadImportOutcome>() is { Posted: true } o && o.Suspect + o.Rejected > 0
                ? [new JobLink("job-review", $"Review the {o.Suspect + o.Rejected:N0} reads that need a decision", "/Metering/Review")]
                : [],
            Home = new JobLink("job-home", "Import another read file", "/Metering/Import"),
        },
    ];

    public void MapEndpoints(RouteGroupBuilder api)
    {
        MeteringApi.Map(api);
    }
}
