using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Portal;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>The link mailed at sign-up: it verifies the address and sends the customer to sign in.</summary>
[AllowAnonymous]
public sealed class VerifyModel(PortalLogins logins) : PortalPageModel
{
    public async Task<IActionResult> OnGetAsync(string? user, string? token)
    {
        if (await logins.VerifyEmailAsync(user ?? "", token ?? "", HttpContext.RequestAborted))
        {
            return Redirect("/portal/signin?note=verified");
        }

        Error = T("VerifyFailed");
        return Page();
    }
}
