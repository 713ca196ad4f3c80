using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Mail;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Mail;

/// <summary>One mail as the customer received it (or will): headers, text, attachments, and how its sending went.</summary>
[Authorize(Policy = MailCapability.ViewSentMail)]
public sealed class MessageModel(MailQueries queries, IAuthorizationService authorization) : PageModel
{
    public MailDetail Mail { get; private set; } = null!;
    public bool CanSend { get; private set; }
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, string? message, CancellationToken cancellationToken)
    {
        if (await queries.MailAsync(id, cancellationToken) is not { } mail)
        {
            return NotFound();
        }

        Mail = mail;
        Message = message;
        CanSend = (await authorization.AuthorizeAsync(User, MailCapability.SendMail)).Succeeded;
        return Page();
    }

    public async Task<IActionResult> OnGetAttachmentAsync(long id, long attachmentId, CancellationToken cancellationToken) =>
        await queries.AttachmentAsync(id, attachmentId, cancellationToken) is { } file ? File(file.Content, file.ContentType, file.FileName) : NotFound();

    public async Task<IActionResult> OnPostRetryAsync(long id, [FromServices] SendQueuedMail sender, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, MailCapability.SendMail)).Succeeded)
        {
            return Forbid();
        }

        try
        {
            await sender.RequeueAsync(id, cancellationToken);
            return Redirect($"/Mail/{id}?message={Uri.EscapeDataString("Queued to be sent again; the next send takes it.")}");
        }
        catch (DomainException exception)
        {
            return Redirect($"/Mail/{id}?message={Uri.EscapeDataString(exception.Message)}");
        }
    }
}
