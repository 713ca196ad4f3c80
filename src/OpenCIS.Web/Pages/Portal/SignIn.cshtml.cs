using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using OpenCIS.UseCases.Portal;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>
/// A customer signs in with their e-mail address and password; with two-factor sign-in on, the code from their app follows
/// (<see cref="SignInCodeModel"/>), the password's success carried to it in a short-lived protected cookie.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(PortalAuthentication.RateLimit)]
public sealed class SignInModel(PortalLogins logins, IDataProtectionProvider protection) : PortalPageModel
{
    public const string PendingCookie = "opencis-portal-2fa";

    [BindProperty]
    public string Email { get; set; } = "";

    public string ReturnUrl { get; private set; } = "/portal";

    public void OnGet(string? returnUrl, string? note)
    {
        ReturnUrl = Safe(returnUrl);
        Notice = note switch
        {
            "verified" => T("VerifyDone"),
            "reset" => T("ResetDone"),
            _ => null,
        };
    }

    public async Task<IActionResult> OnPostAsync(string? password, string? returnUrl)
    {
        ReturnUrl = Safe(returnUrl);
        var result = await logins.SignInAsync(Email, password ?? "", VerifyLink, HttpContext.RequestAborted);
        switch (result.Status)
        {
            case PortalSignInStatus.SignedIn:
                await PortalAuthentication.SignInAsync(HttpContext, result.Login!);
                return LocalRedirect(ReturnUrl);
            case PortalSignInStatus.NeedsCode:
                Response.Cookies.Append(PendingCookie, Protector(protection).Protect(result.Login!.UserId, TimeSpan.FromMinutes(5)),
                    new CookieOptions { HttpOnly = true, Secure = Request.IsHttps, SameSite = SameSiteMode.Strict, Path = "/portal", MaxAge = TimeSpan.FromMinutes(5) });
                return Redirect($"/portal/signin/code?returnUrl={Uri.EscapeDataString(ReturnUrl)}");
            case PortalSignInStatus.NotVerified:
                Error = T("SignInNotVerified");
                break;
            case PortalSignInStatus.LockedOut:
                Error = T("SignInLocked");
                break;
            default:
                Error = T("SignInFailed");
                ErrorField = "password";
                break;
        }

        return Page();
    }

    /// <summary>The protector of the pending second step: the user id, for five minutes.</summary>
    public static ITimeLimitedDataProtector Protector(IDataProtectionProvider protection) =>
        protection.CreateProtector("OpenCIS.Portal.SignInCode").ToTimeLimitedDataProtector();
}
