using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Users;
using QRCoder;

namespace OpenCIS.Web.Pages.Account;

/// <summary>
/// A user turns on two-factor sign-in with an authenticator app (TOTP, RFC 6238): the page shows the key as text and
/// as a QR code, and the first code from the app proves it is set up. Required of Admins when
/// <c>OPENCIS_REQUIRE_ADMIN_TWO_FACTOR</c> is true; otherwise optional, and the user may turn it off again.
/// </summary>
public sealed class TwoFactorModel(UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn, ManageUsers manage, IConfiguration configuration) : ActionPageModel
{
    public bool Enabled { get; private set; }

    public bool Required { get; private set; }

    /// <summary>The shared key, in groups of four for typing into an app.</summary>
    public string Key { get; private set; } = "";

    /// <summary>The otpauth URI as a QR code (a data: URI of a PNG).</summary>
    public string QrCode { get; private set; } = "";

    public string ReturnUrl { get; private set; } = "/";

    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        ReturnUrl = Safe(returnUrl);
        return await LoadAsync() ? Page() : Challenge();
    }

    public async Task<IActionResult> OnPostEnableAsync(string code, string? returnUrl)
    {
        ReturnUrl = Safe(returnUrl);
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var digits = new string((code ?? "").Where(char.IsAsciiDigit).ToArray());
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, digits))
        {
            Message = "That code is not the one the app shows now; check the app's time and try the next code.";
            IsError = true;
            ErrorField = "code";
            await LoadAsync();
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        await manage.RecordOwnTwoFactorAsync(user.UserName!, enabled: true);
        // Signed in again with the second factor, so a gate that asks for it is satisfied.
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new System.Security.Claims.Claim("amr", "mfa")]);
        return LocalRedirect(ReturnUrl);
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (RequiredFor(await users.IsInRoleAsync(user, Roles.Admin)))
        {
            Message = "Two-factor sign-in is required of administrators here; it cannot be turned off.";
            IsError = true;
        }
        else
        {
            await users.SetTwoFactorEnabledAsync(user, false);
            await users.ResetAuthenticatorKeyAsync(user);
            await manage.RecordOwnTwoFactorAsync(user.UserName!, enabled: false);
            await signIn.RefreshSignInAsync(user);
            Message = "Two-factor sign-in is off.";
        }

        await LoadAsync();
        return Page();
    }

    private bool RequiredFor(bool admin) => admin && string.Equals(configuration["OPENCIS_REQUIRE_ADMIN_TWO_FACTOR"], "true", StringComparison.OrdinalIgnoreCase);

    private async Task<bool> LoadAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return false;
        }

        Enabled = await users.GetTwoFactorEnabledAsync(user);
        Required = RequiredFor(await users.IsInRoleAsync(user, Roles.Admin));
        if (!Enabled)
        {
            var key = await users.GetAuthenticatorKeyAsync(user);
            if (string.IsNullOrEmpty(key))
            {
                await users.ResetAuthenticatorKeyAsync(user);
                key = await users.GetAuthenticatorKeyAsync(user);
                // A new key renews the security stamp: issue the cookie again so this session goes on.
                await signIn.RefreshSignInAsync(user);
            }

            Key = string.Join(" ", Enumerable.Range(0, (key!.Length + 3) / 4).Select(i => key.Substring(i * 4, Math.Min(4, key.Length - (i * 4))))).ToLowerInvariant();
            var uri = $"otpauth://totp/{Uri.EscapeDataString("OpenCIS:" + user.UserName)}?secret={key}&issuer=OpenCIS&digits=6";
            using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
            using var png = new PngByteQRCode(data);
            QrCode = "data:image/png;base64," + Convert.ToBase64String(png.GetGraphic(5));
        }

        return true;
    }

    private string Safe(string? returnUrl) => !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/";
}
