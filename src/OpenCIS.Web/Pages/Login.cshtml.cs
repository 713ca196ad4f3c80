using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OpenCIS.Web.Pages;

[AllowAnonymous]
public sealed class LoginModel(SignInManager<IdentityUser> signIn) : PageModel
{
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

        Error = result.IsLockedOut ? "This user is locked out after too many failed attempts; ask an administrator." : "The user name or password is not right.";
        return Page();
    }

    private string SafeReturn(string? returnUrl) => !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/";
}
