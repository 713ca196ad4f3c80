using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.UseCases.Metering.Import;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Metering;

[Authorize(Policy = MeteringCapability.ImportReads)]
public sealed class ImportModel(ImportReads workflow) : PageModel
{
    public const long MaximumFileBytes = 200 * 1024 * 1024;

    public ReadImportOutcome? Outcome { get; private set; }
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

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        Outcome = await workflow.ExecuteAsync(file.FileName, buffer.ToArray(), format, null, User.Identity!.Name!, cancellationToken);
        return Page();
    }
}
