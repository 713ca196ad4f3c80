using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Storage.Mail;
using OpenCIS.UseCases.Jobs;
using OpenCIS.UseCases.Mail;
using OpenCIS.Web.Capabilities;
using OpenCIS.Web.Jobs;

namespace OpenCIS.Web.Pages.Mail;

/// <summary>Sent mail: the customer e-mail that went out, is waiting, or failed (with the server's words), newest first; a Supervisor sends the queue now.</summary>
[Authorize(Policy = MailCapability.ViewSentMail)]
public sealed class IndexModel(MailQueries queries, MailSettings settings, IAuthorizationService authorization) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Account { get; set; }

    public IReadOnlyList<MailSummary> Mail { get; private set; } = [];
    public string Destination => settings.Describe();
    public bool CanSend { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var status = Enum.TryParse<MailStatus>(Status, true, out var parsed) ? parsed : (MailStatus?)null;
        Mail = await queries.RecentAsync(status, Account, 200, cancellationToken);
        CanSend = (await authorization.AuthorizeAsync(User, MailCapability.SendMail)).Succeeded;
    }

    public async Task<IActionResult> OnPostSendAsync([FromServices] StartJob start, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, MailCapability.SendMail)).Succeeded)
        {
            return Forbid();
        }

        return Redirect(await JobStarts.FollowAsync(start, SendMailJob.Request(), User.Identity!.Name!, cancellationToken));
    }
}
