using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.UseCases.Portal;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>
/// A portal page: the customer's language and its texts, the signed-in login (on pages under the portal's policy), and
/// the message of what the last form did, a refusal shown in the customer's language by the field it names.
/// </summary>
public abstract class PortalPageModel : PageModel
{
    public string Lang => PortalAuthentication.Language(HttpContext);

    public PortalLogin? Login => PortalAuthentication.Login(HttpContext);

    protected string UserId => PortalAuthentication.UserId(HttpContext);

    public string? Notice { get; protected set; }

    public string? Error { get; protected set; }

    public string? ErrorField { get; protected set; }

    /// <summary>The text of <paramref name="key"/> in the customer's language.</summary>
    public string T(string key, params object?[] args) => PortalText.Get(Lang, key, args);

    public string Date(DateOnly date) => PortalText.Date(Lang, date);

    /// <summary>A service's name in words ("Water", "Agua").</summary>
    public string ServiceLabel(string service) => PortalText.Exists("Service" + service) ? T("Service" + service) : service;

    /// <summary>An account's status in words.</summary>
    public string Status(string status) => T("Status" + status);

    /// <summary>Runs a customer's request; a refusal becomes the page's error, in the customer's language.</summary>
    protected async Task<IActionResult> TryAsync(Func<Task<IActionResult>> work)
    {
        try
        {
            return await work();
        }
        catch (PortalException refused)
        {
            Error = refused.In(Lang);
            ErrorField = refused.Field;
            return Page();
        }
        catch (PortalNotFoundException)
        {
            return NotFound();
        }
        catch (OpenCIS.Core.Common.DomainException refused)
        {
            // A rule shared with staff's screens (a routing number, an address): said in the customer's words where the
            // portal has them for that field, else as the rule says it.
            Error = refused.Field is { } field && PortalText.Exists("Field_" + field) ? T("Field_" + field) : refused.Message;
            ErrorField = refused.Field;
            return Page();
        }
    }

    /// <summary>A link's address on this host, for e-mails: the scheme and host the customer reached us by.</summary>
    protected string Absolute(string pathAndQuery) => $"{Request.Scheme}://{Request.Host}{pathAndQuery}";

    protected string VerifyLink(string userId, string token) => Absolute($"/portal/verify?user={Uri.EscapeDataString(userId)}&token={Uri.EscapeDataString(token)}");

    protected string ResetLink(string userId, string token) => Absolute($"/portal/reset?user={Uri.EscapeDataString(userId)}&token={Uri.EscapeDataString(token)}");

    /// <summary>A return address inside the portal, else the portal's start.</summary>
    protected string Safe(string? returnUrl) => returnUrl is { Length: > 1 } url && url.StartsWith("/portal", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) ? url : "/portal";
}
