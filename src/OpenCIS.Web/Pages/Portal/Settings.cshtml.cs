using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Portal;
using QRCoder;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>
/// The login's own settings: its language (for the portal, its e-mail, and its accounts' bills and notices), and two-factor
/// sign-in with an authenticator app (the key as text and as a QR code; the app's first code turns it on), reminders by
/// e-mail, and texts at a mobile number proved by a code texted to it.
/// </summary>
public sealed class SettingsModel(PortalLogins logins, PortalChannels channels) : PortalPageModel
{
    public PortalChannelsView Channels { get; private set; } = null!;

    /// <summary>The number a code was just texted to, for the customer to enter it.</summary>
    public string? CodeSentTo { get; private set; }

    public PortalTwoFactorSetup TwoFactor { get; private set; } = null!;

    public bool Reminders { get; private set; }

    /// <summary>The otpauth URI as a QR code (a data: URI of a PNG).</summary>
    public string QrCode { get; private set; } = "";

    public async Task OnGetAsync(string? note)
    {
        Notice = note switch
        {
            "language" => T("LanguageDone"),
            "two-factor-on" => T("TwoFactorOnDone"),
            "two-factor-off" => T("TwoFactorOffDone"),
            "reminders" => T("RemindersDone"),
            "texts" => T("TextsDone"),
            "mobile" => T("MobileConfirmedDone"),
            "mobile-removed" => T("MobileRemovedDone"),
            _ => null,
        };
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostLanguageAsync(string language)
    {
        await logins.SetLanguageAsync(UserId, language, HttpContext.RequestAborted);
        return Redirect("/portal/settings?note=language");
    }

    public async Task<IActionResult> OnPostRemindersAsync(bool reminders)
    {
        await logins.SetRemindersAsync(UserId, reminders, HttpContext.RequestAborted);
        return Redirect("/portal/settings?note=reminders");
    }

    public Task<IActionResult> OnPostSendCodeAsync(string mobile) => TryAsync(async () =>
    {
        try
        {
            await channels.SendCodeAsync(UserId, mobile, HttpContext.RequestAborted);
            CodeSentTo = OpenCIS.Core.Customers.MobileNumbers.Normalize(mobile);
        }
        finally
        {
            await LoadAsync();
        }

        return Page();
    });

    public Task<IActionResult> OnPostConfirmMobileAsync(string mobile, string code) => TryAsync(async () =>
    {
        try
        {
            await channels.ConfirmAsync(UserId, mobile, code, HttpContext.RequestAborted);
        }
        catch (PortalException)
        {
            CodeSentTo = mobile;
            await LoadAsync();
            throw;
        }

        return Redirect("/portal/settings?note=mobile");
    });

    public Task<IActionResult> OnPostTextAlertsAsync(bool on) => TryAsync(async () =>
    {
        try
        {
            await channels.SetTextAlertsAsync(UserId, on, HttpContext.RequestAborted);
        }
        catch (PortalException)
        {
            await LoadAsync();
            throw;
        }

        return Redirect("/portal/settings?note=texts");
    });

    public async Task<IActionResult> OnPostRemoveMobileAsync()
    {
        await channels.RemoveMobileAsync(UserId, HttpContext.RequestAborted);
        return Redirect("/portal/settings?note=mobile-removed");
    }

    public Task<IActionResult> OnPostEnableTwoFactorAsync(string code) => TryAsync(async () =>
    {
        try
        {
            await logins.EnableTwoFactorAsync(UserId, code, HttpContext.RequestAborted);
        }
        catch (PortalException)
        {
            await LoadAsync();
            throw;
        }

        return await SignInAgainAsync("two-factor-on");
    });

    public async Task<IActionResult> OnPostDisableTwoFactorAsync()
    {
        await logins.DisableTwoFactorAsync(UserId, HttpContext.RequestAborted);
        return await SignInAgainAsync("two-factor-off");
    }

    /// <summary>The change renewed the login's stamp, which ends its sessions: this one goes on, signed in again.</summary>
    private async Task<IActionResult> SignInAgainAsync(string note)
    {
        await OpenCIS.Web.Security.PortalAuthentication.SignInAsync(HttpContext, await logins.LoginAsync(UserId, HttpContext.RequestAborted));
        return Redirect($"/portal/settings?note={note}");
    }

    private async Task LoadAsync()
    {
        TwoFactor = await logins.TwoFactorSetupAsync(UserId, HttpContext.RequestAborted);
        Reminders = await logins.RemindersAsync(UserId, HttpContext.RequestAborted);
        Channels = await channels.ViewAsync(UserId, HttpContext.RequestAborted);
        if (!TwoFactor.Enabled)
        {
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(TwoFactor.OtpAuthUri, QRCodeGenerator.ECCLevel.M);
            using var png = new PngByteQRCode(data);
            QrCode = "data:image/png;base64," + Convert.ToBase64String(png.GetGraphic(5));
        }
    }
}
