using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>Signs the customer out of the portal (a form's post, so another site cannot sign them out).</summary>
[AllowAnonymous]
public sealed class SignOutModel : PortalPageModel
{
    public IActionResult OnGet() => Redirect("/portal");

    public async Task<IActionResult> OnPostAsync()
    {
        await PortalAuthentication.SignOutAsync(HttpContext);
        return Redirect("/portal/signin");
    }
}
