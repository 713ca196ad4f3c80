using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Payments;
using OpenCIS.Web.Api;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Collections;

/// <summary>
/// Returned mail: the mail room's file imported (checked whole; a bad line marks nothing), the files imported, and
/// the accounts whose mail is stopped because it came back, each a link to its skip tracing.
/// </summary>
[Authorize(Policy = CustomersCapability.ViewAccounts)]
public sealed class ReturnedMailModel(ImportReturnedMail import, SkipTrace skipTrace, IAuthorizationService authorization) : ActionPageModel
{
    public IReadOnlyList<MailStoppedView> Stopped { get; private set; } = [];

    public IReadOnlyList<ReturnedMailFileView> Files { get; private set; } = [];

    public IReadOnlyList<FileError> FileErrors { get; private set; } = [];

    public bool CanImport { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, CustomersCapability.ImportReturnedMail)).Succeeded)
        {
            return Forbid();
        }

        if (file is null || file.Length == 0)
        {
            (Message, IsError, ErrorField) = ("Choose a CSV file (account_number,returned_on,reason).", true, "file");
        }
        else if (file.Length > ServiceApi.ImportBytesMax)
        {
            (Message, IsError, ErrorField) = ($"A returned-mail file is at most {ServiceApi.ImportBytesMax:N0} bytes.", true, "file");
        }
        else
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            var outcome = await import.ExecuteAsync(Path.GetFileName(file.FileName), buffer.ToArray(), User.Identity!.Name!, cancellationToken);
            (Message, IsError, ErrorField) = (outcome.Message, !outcome.Imported, outcome.Imported ? null : "file");
            FileErrors = outcome.Errors;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Stopped = await skipTrace.MailStoppedAsync(cancellationToken: cancellationToken);
        Files = await import.FilesAsync(cancellationToken: cancellationToken);
        CanImport = (await authorization.AuthorizeAsync(User, CustomersCapability.ImportReturnedMail)).Succeeded;
    }
}
