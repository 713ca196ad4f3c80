using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using OpenCIS.UseCases.Portal;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>The second step of a customer's sign-in with two-factor on: the six-digit code from their authenticator app.</summary>
[AllowAnonymous]
[EnableRateLimiting(PortalAuthentication.RateLimit)]
public sealed class SignInCodeModel(PortalLogins logins, IDataProtectionProvider protection) : PortalPageModel
{
    public string ReturnUrl { get; private set; } = "/portal";

    public IActionResult OnGet(string? returnUrl)
    {
        ReturnUrl = Safe(returnUrl);
        return Pending() is null ? Redirect("/portal/signin") : Page();
    }

    public async Task<IActionResult> OnPostAsync(string? code, string? returnUrl)
    {
        ReturnUrl = Safe(returnUrl);
        if (Pending() is not { } userId)
        {
            return Redirect("/portal/signin");
        }

        var result = await logins.SignInWithCodeAsync(userId, code ?? "", HttpContext.RequestAborted);
        if (result.Status == PortalSignInStatus.SignedIn)
        {
            Response.Cookies.Delete(SignInModel.PendingCookie, new CookieOptions { Path = "/portal" });
            await PortalAuthentication.SignInAsync(HttpContext, result.Login!);
            return LocalRedirect(ReturnUrl);
        }

        Error = T(result.Status == PortalSignInStatus.LockedOut ? "SignInLocked" : "CodeWrong");
        ErrorField = "code";
        return Page();
    }

    private string? Pending()
    {
        try
        {
            return Request.Cookies[SignInModel.PendingCookie] is { Length: > 0 } cookie ? SignInModel.Protector(protection).Unprotect(cookie) : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
