using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OpenCIS.Web.Pages;

/// <summary>The second step of signing in for a user with two-factor sign-in: the code the authenticator app shows.</summary>
[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(LoginModel.RateLimit)]
public sealed class LoginTwoFactorModel(SignInManager<IdentityUser> signIn) : PageModel
{
    public string? Error { get; private set; }

    public string ReturnUrl { get; private set; } = "/";

    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        ReturnUrl = Safe(returnUrl);
        return await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Login") : Page();
    }

    public async Task<IActionResult> OnPostAsync(string code, string? returnUrl)
    {
        ReturnUrl = Safe(returnUrl);
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return RedirectToPage("/Login");
        }

        var digits = new string((code ?? "").Where(char.IsAsciiDigit).ToArray());
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(digits, isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            return LocalRedirect(ReturnUrl);
        }

        Error = result.IsLockedOut ? LoginModel.Refused : "That code is not the one your authenticator app shows now; try the next one.";
        return Page();
    }

    private string Safe(string? returnUrl) => !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/";
}
