using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.UseCases.Jobs;
using OpenCIS.UseCases.Metering.Import;
using OpenCIS.Web.Capabilities;
using OpenCIS.Web.Jobs;

namespace OpenCIS.Web.Pages.Metering;

/// <summary>Uploads a read file; the import runs as a job, and the clerk follows it on the job's page (which can be closed and opened again).</summary>
[Authorize(Policy = MeteringCapability.ImportReads)]
public sealed class ImportModel(StartJob start) : PageModel
{
    public const long MaximumFileBytes = 200 * 1024 * 1024;

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, ReadFileFormat format, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            Error = "Choose a read file to import.";
            return Page();
        }

        if (file.Length > MaximumFileBytes)
        {
            Error = $"{file.FileName} is larger than {MaximumFileBytes / 1024 / 1024} MB; use the command line (opencis reads import) for it.";
            return Page();
        }

        var request = ImportReadsJob.Request(await JobStarts.ReadAsync(file, cancellationToken), format);
        return Redirect(await JobStarts.FollowAsync(start, request, User.Identity!.Name!, cancellationToken));
    }
}
