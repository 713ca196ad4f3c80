using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Portal;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>
/// The language switch in the portal's header: kept in a cookie for the pages before sign-in and, for a signed-in customer,
/// on their login, where it also chooses the language of their e-mail, bills and notices.
/// </summary>
[AllowAnonymous]
public sealed class LanguageModel(PortalLogins logins) : PortalPageModel
{
    public IActionResult OnGet() => Redirect("/portal");

    public async Task<IActionResult> OnPostAsync(string? language, string? returnUrl)
    {
        var chosen = PortalText.Language(language);
        Response.Cookies.Append(PortalAuthentication.LanguageCookie, chosen,
            new CookieOptions { HttpOnly = true, Secure = Request.IsHttps, SameSite = SameSiteMode.Lax, Path = "/portal", MaxAge = TimeSpan.FromDays(365) });
        // The page takes the staff scheme by default; the customer's own cookie says whether they are signed in.
        if ((await HttpContext.AuthenticateAsync(PortalAuthentication.Scheme)).Succeeded && PortalAuthentication.Login(HttpContext) is { } login)
        {
            await logins.SetLanguageAsync(login.UserId, chosen, HttpContext.RequestAborted);
        }

        return LocalRedirect(Safe(returnUrl));
    }
}
