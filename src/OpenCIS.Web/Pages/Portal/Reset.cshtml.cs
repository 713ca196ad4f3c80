using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using OpenCIS.UseCases.Portal;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>The mailed reset link: the customer chooses a new password, which ends their other sessions.</summary>
[AllowAnonymous]
[EnableRateLimiting(PortalAuthentication.RateLimit)]
public sealed class ResetModel(PortalLogins logins) : PortalPageModel
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public string LoginId { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string Token { get; set; } = "";

    public void OnGet()
    {
    }

    public Task<IActionResult> OnPostAsync(string? password) => TryAsync(async () =>
    {
        await logins.ResetPasswordAsync(LoginId, Token, password ?? "", HttpContext.RequestAborted);
        return Redirect("/portal/signin?note=reset");
    });
}
