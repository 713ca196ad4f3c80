using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using OpenCIS.UseCases.Portal;

namespace OpenCIS.Web.Security;

/// <summary>
/// Customers sign in to the portal (<c>/portal</c>) with a scheme and cookie of their own (<c>opencis-portal</c>), apart from
/// staff: a portal cookie never authenticates a staff page or API, and a staff cookie never opens the portal. Every request
/// checks the login still exists with the same security stamp (a password reset ends its other sessions at once) and reads
/// the customer's language from it. The portal's policy (<see cref="Policy"/>) asks for this scheme only.
/// </summary>
public static class PortalAuthentication
{
    public const string Scheme = "Portal";
    public const string Policy = "PortalCustomer";
    public const string StampClaim = "opencis:portal-stamp";
    public const string LanguageCookie = "opencis-portal-language";

    /// <summary>Where the request's validated login is kept for the page.</summary>
    private const string LoginItem = "opencis.portal-login";

    /// <summary>The sign-in and sign-up forms' rate limit, per client address.</summary>
    public const string RateLimit = "portal-sign-in";

    public static IServiceCollection AddPortalAuthentication(this IServiceCollection services, bool production)
    {
        services.AddAuthentication().AddCookie(Scheme, options =>
        {
            options.Cookie.Name = "opencis-portal";
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = production ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.LoginPath = "/portal/signin";
            options.AccessDeniedPath = "/portal/signin";
            options.ReturnUrlParameter = "returnUrl";
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromMinutes(30);
            options.Events.OnValidatePrincipal = ValidateAsync;
            options.Events.OnRedirectToLogin = context =>
            {
                if (context.Request.Path.StartsWithSegments("/api") || context.Request.Headers.ContainsKey("HX-Request"))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                }

                context.Response.Redirect(context.RedirectUri);
                return Task.CompletedTask;
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireClaim(StampClaim));
        return services;
    }

    /// <summary>The cookie's principal for a login.</summary>
    public static ClaimsPrincipal Principal(PortalLogin login) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, login.UserId),
                new Claim(ClaimTypes.Name, login.Email),
                new Claim(StampClaim, login.SecurityStamp),
            ], Scheme));

    public static Task SignInAsync(HttpContext context, PortalLogin login) =>
        context.SignInAsync(Scheme, Principal(login), new AuthenticationProperties { IsPersistent = false });

    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(Scheme);

    /// <summary>The signed-in customer's login on this request, once the cookie was validated; null when none.</summary>
    public static PortalLogin? Login(HttpContext context) => context.Items[LoginItem] as PortalLogin;

    /// <summary>The customer's id; only on pages and endpoints under the portal's policy.</summary>
    public static string UserId(HttpContext context) =>
        Login(context)?.UserId ?? throw new InvalidOperationException("The portal's policy lets no request through without a customer's login.");

    /// <summary>The language for this request: the login's, else the one chosen on the sign-in pages (a cookie), else the browser's.</summary>
    public static string Language(HttpContext context)
    {
        if (Login(context) is { } login)
        {
            return login.Language;
        }

        if (context.Request.Cookies[LanguageCookie] is { Length: > 0 } chosen)
        {
            return PortalText.Language(chosen);
        }

        var accepted = context.Request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1).FirstOrDefault();
        return PortalText.Language(accepted?.Value.Value);
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var userId = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = context.Principal?.FindFirstValue(StampClaim);
        var login = userId is null || stamp is null
            ? null
            : await context.HttpContext.RequestServices.GetRequiredService<PortalLogins>().CurrentAsync(userId, stamp, context.HttpContext.RequestAborted);
        if (login is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }

        context.HttpContext.Items[LoginItem] = login;
    }
}
