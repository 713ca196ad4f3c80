using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Payments;

/// <summary>
/// Posts a payment file: a CSV payment file (every line must name an open account, or nothing
/// posts), or a bank lockbox file in BAI2 or CSV (unmatched payments go to suspense).
/// </summary>
[Authorize(Policy = PaymentsCapability.PostPaymentFiles)]
public sealed class FilesModel(PostPaymentFile paymentFile, ImportLockbox lockbox) : PageModel
{
    public const long MaximumFileBytes = 20 * 1024 * 1024;

    public sealed record View(bool Posted, bool AlreadyPosted, string Message, IReadOnlyList<FileError> Errors, int SuspenseCount);

    public View? Outcome { get; private set; }
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

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var user = User.Identity!.Name!;
        switch (Format)
        {
            case "bai2" or "lockbox-csv":
                var o = await lockbox.ExecuteAsync(Format == "bai2" ? LockboxFormat.Bai2 : LockboxFormat.Csv, file.FileName, buffer.ToArray(), user, cancellationToken);
                Outcome = new View(o.Posted, o.AlreadyPosted, o.Message, o.Errors, o.SuspenseCount);
                break;
            case "csv":
                var p = await paymentFile.ExecuteAsync(file.FileName, buffer.ToArray(), user, cancellationToken);
                Outcome = new View(p.Posted, p.AlreadyPosted, p.Message, p.Errors, 0);
                break;
            default:
                Error = "Choose the kind of file.";
                break;
        }

        return Page();
    }
}
