using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Data.Payments;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Pages.Payments;

[Authorize(Policy = Permissions.PostPaymentFiles)]
public sealed class FilesModel(PostPaymentFile workflow) : PageModel
{
    public const long MaximumFileBytes = 20 * 1024 * 1024;

    public PaymentFileOutcome? Outcome { get; private set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            Error = "Choose a CSV payment file to post.";
            return Page();
        }

        if (file.Length > MaximumFileBytes)
        {
            Error = $"{file.FileName} is larger than {MaximumFileBytes / 1024 / 1024} MB; split it.";
            return Page();
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        Outcome = await workflow.ExecuteAsync(file.FileName, buffer.ToArray(), User.Identity!.Name!, cancellationToken);
        return Page();
    }
}
