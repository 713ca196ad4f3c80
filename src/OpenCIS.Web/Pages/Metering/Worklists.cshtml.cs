using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Metering;

[Authorize(Policy = MeteringCapability.ReviewReads)]
public sealed class WorklistsModel(DetectionWorklists worklists) : PageModel
{
    public IReadOnlyList<WorklistEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Entries = await worklists.BuildAsync(null, cancellationToken);
}
