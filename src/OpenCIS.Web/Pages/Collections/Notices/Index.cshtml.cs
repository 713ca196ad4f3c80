using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.UseCases.Collections;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Collections.Notices;

/// <summary>The notice templates: every version of each kind, newest first; a Supervisor edits one into a new version.</summary>
[Authorize(Policy = CollectionsCapability.ViewCollections)]
public sealed class IndexModel(ImportNoticeTemplate templates, IAuthorizationService authorization) : PageModel
{
    public IReadOnlyList<NoticeTemplateListing> Versions { get; private set; } = [];

    public bool CanManage { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Versions = await templates.ListAsync(cancellationToken);
        CanManage = (await authorization.AuthorizeAsync(User, CollectionsCapability.ManageCollectionPolicy)).Succeeded;
    }

    /// <summary>A kind as the screen names it: "final notice".</summary>
    public static string Title(string kind) => kind.Replace('_', ' ');
}
