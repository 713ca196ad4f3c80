using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.UseCases.Jobs;
using OpenCIS.UseCases.Payments;
using OpenCIS.Web.Capabilities;
using OpenCIS.Web.Jobs;

namespace OpenCIS.Web.Pages.Payments;

/// <summary>
/// Posts a payment file: a CSV payment file (every line must name an open account, or nothing
/// posts), or a bank lockbox file in BAI2 or CSV (unmatched payments go to suspense). The file is
/// posted by a job; the cashier follows it on the job's page.
/// </summary>
[Authorize(Policy = PaymentsCapability.PostPaymentFiles)]
public sealed class FilesModel(StartJob start) : PageModel
{
    public const long MaximumFileBytes = 20 * 1024 * 1024;

    public string? Error { get; private set; }

    [BindProperty]
    public string Format { get; set; } = "csv";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            Error = "Choose a payment file to post.";
            return Page();
        }

        if (file.Length > MaximumFileBytes)
        {
            Error = $"{file.FileName} is larger than {MaximumFileBytes / 1024 / 1024} MB; split it.";
            return Page();
        }

        JobRequest? request = Format switch
        {
            "bai2" => ImportLockboxJob.Request(await JobStarts.ReadAsync(file, cancellationToken), LockboxFormat.Bai2),
            "lockbox-csv" => ImportLockboxJob.Request(await JobStarts.ReadAsync(file, cancellationToken), LockboxFormat.Csv),
            "csv" => PostPaymentFileJob.Request(await JobStarts.ReadAsync(file, cancellationToken)),
            _ => null,
        };
        if (request is null)
        {
            Error = "Choose the kind of file.";
            return Page();
        }

        return Redirect(await JobStarts.FollowAsync(start, request, User.Identity!.Name!, cancellationToken));
    }
}
