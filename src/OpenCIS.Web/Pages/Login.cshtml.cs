using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OpenCIS.Web.Pages;

[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(RateLimit)]
public sealed class LoginModel(SignInManager<IdentityUser> signIn) : PageModel
{
    /// <summary>The rate-limit policy of sign-in attempts, per client address.</summary>
    public const string RateLimit = "sign-in";

    /// <summary>One message for a wrong password, an unknown user and a locked-out user, so the answer tells no one which users exist.</summary>
    public const string Refused = "The user name or password is not right, or this user may not sign in now. After repeated failures sign-in is held for 15 minutes; an administrator can unlock it.";

    public string? Error { get; private set; }
    public string ReturnUrl { get; private set; } = "/";

    public void OnGet(string? returnUrl) => ReturnUrl = SafeReturn(returnUrl);

    public async Task<IActionResult> OnPostAsync(string userName, string password, string? returnUrl)
    {
        ReturnUrl = SafeReturn(returnUrl);
        var result = await signIn.PasswordSignInAsync(userName ?? "", password ?? "", isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(ReturnUrl);
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/LoginTwoFactor", new { returnUrl = ReturnUrl });
        }

        Error = Refused;
        return Page();
    }

    private string SafeReturn(string? returnUrl) => !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/";
}
