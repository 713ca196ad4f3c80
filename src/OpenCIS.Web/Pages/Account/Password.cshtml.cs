using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Users;
using OpenCIS.UseCases.Users;

namespace OpenCIS.Web.Pages.Account;

/// <summary>A user changes their own password: required after an administrator's add or reset, before any other screen.</summary>
public sealed class PasswordModel(ManageUsers manage, SignInManager<IdentityUser> signIn, UserManager<IdentityUser> users) : ActionPageModel
{
    public bool Required => User.HasClaim(c => c.Type == UserClaims.MustChangePassword);

    public string ReturnUrl { get; private set; } = "/";

    public int LengthMin => PasswordPolicy.LengthMin;

    public void OnGet(string? returnUrl) => ReturnUrl = Safe(returnUrl);

    public async Task<IActionResult> OnPostAsync(string currentPassword, string newPassword, string confirmPassword, string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = Safe(returnUrl);
        if (!string.Equals(newPassword, confirmPassword, StringComparison.Ordinal))
        {
            Message = "The new password and its confirmation differ.";
            IsError = true;
            ErrorField = "confirmPassword";
            return Page();
        }

        var result = await ActAsync(async () =>
        {
            await manage.ChangeOwnPasswordAsync(User.Identity!.Name!, currentPassword, newPassword, cancellationToken);
            return "Your password is changed.";
        }, () => Task.FromResult(true));
        if (IsError)
        {
            return result;
        }

        // The cookie is issued again without the must-change flag.
        if (await users.GetUserAsync(User) is { } user)
        {
            await signIn.RefreshSignInAsync(user);
        }

        return LocalRedirect(ReturnUrl);
    }

    private string Safe(string? returnUrl) => !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/";
}
