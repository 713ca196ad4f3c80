using OpenCIS.Web.Api;

namespace OpenCIS.Web.Capabilities;

/// <summary>
/// Jobs: following long work whatever its kind (the job screens under Pages/Jobs and <c>/api/jobs</c>).
/// It has no permission of its own: a job is followed with the view permission its kind declares, in the
/// capability that runs it.
/// </summary>
public sealed class JobsCapability : IWebCapability
{
    public IReadOnlyList<PermissionGrant> Permissions { get; } = [];

    public void MapEndpoints(RouteGroupBuilder api) => JobsApi.Map(api);
}
