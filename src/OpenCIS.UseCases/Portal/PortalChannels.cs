using Microsoft.AspNetCore.Identity;
using OpenCIS.Core.Customers;
using OpenCIS.Storage.Portal;

namespace OpenCIS.UseCases.Portal;

/// <summary>How a login hears from the city: reminders by e-mail, and texts at the mobile number it proved (shown masked).</summary>
public sealed record PortalChannelsView(bool EmailReminders, string? Mobile, bool MobileConfirmed, bool TextAlerts);

/// <summary>
/// A login's channels. E-mail carries the portal's mail always and due-date reminders unless turned off; a text message
/// (through the SMS provider, <see cref="Mail.ISmsSender"/>) carries due-date reminders and payment receipts once the customer
/// has proved the mobile number with the six-digit code texted to it and turned texts on. A new number needs its own code;
/// removing it stops the texts. Each change is on the login's accounts' audit trails.
/// </summary>
public sealed class PortalChannels(UserManager<PortalUser> users, PortalLogins logins, PortalMail mail, OpenCIS.Storage.OpenCisDbContext db, Billing.BillSettings utility, TimeProvider clock)
{
    public const string PhoneProvider = "PortalPhone";
    private const string PhonePurpose = "ProveMobile:";

    public async Task<PortalChannelsView> ViewAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userId);
        return new PortalChannelsView(user.Reminders, user.PhoneNumber is { Length: >= 4 } phone ? MobileNumbers.Masked(phone) : null, user.PhoneNumberConfirmed, user.TextAlerts);
    }

    /// <summary>Texts a code to <paramref name="mobile"/> for the customer to enter; the number is not theirs until they do.</summary>
    public async Task SendCodeAsync(string userId, string mobile, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userId);
        var number = MobileNumbers.Normalize(mobile) ?? throw new PortalException("ErrorMobile", "mobile");
        var code = await users.GenerateUserTokenAsync(user, PhoneProvider, PhonePurpose + number);
        // One code a minute to a number at most: the key names the minute, so a double click texts once.
        await mail.QueueTextAsync("MobileCode", $"portal-mobile:{user.Id}:{number}:{clock.GetUtcNow():yyyyMMddHHmm}", null, number, user.DisplayName, user.Language, [code, utility.UtilityName], cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await mail.SendSoonAsync(cancellationToken);
    }

    /// <summary>The code texted to <paramref name="mobile"/>, entered: the number is the login's, proved, and texts are on.</summary>
    public async Task ConfirmAsync(string userId, string mobile, string code, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userId);
        var number = MobileNumbers.Normalize(mobile) ?? throw new PortalException("ErrorMobile", "mobile");
        if (!await users.VerifyUserTokenAsync(user, PhoneProvider, PhonePurpose + number, (code ?? "").Trim()))
        {
            throw new PortalException("ErrorMobileCode", "code");
        }

        user.PhoneNumber = number;
        user.PhoneNumberConfirmed = true;
        user.TextAlerts = true;
        await users.UpdateAsync(user);
        await logins.AuditAsync(user, "Prove portal mobile number", new { Mobile = MobileNumbers.Masked(number), TextAlerts = true }, cancellationToken);
    }

    /// <summary>Texts on or off; on needs a proved number.</summary>
    public async Task SetTextAlertsAsync(string userId, bool on, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userId);
        if (on && !(user.PhoneNumberConfirmed && user.PhoneNumber is not null))
        {
            throw new PortalException("ErrorMobileFirst", "mobile");
        }

        user.TextAlerts = on;
        await users.UpdateAsync(user);
        await logins.AuditAsync(user, on ? "Portal texts on" : "Portal texts off", null, cancellationToken);
    }

    /// <summary>Forgets the mobile number: no more texts.</summary>
    public async Task RemoveMobileAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userId);
        (user.PhoneNumber, user.PhoneNumberConfirmed, user.TextAlerts) = (null, false, false);
        await users.UpdateAsync(user);
        await logins.AuditAsync(user, "Remove portal mobile number", null, cancellationToken);
    }

    private async Task<PortalUser> FindAsync(string userId) => await users.FindByIdAsync(userId) ?? throw new PortalNotFoundException("The login");
}
