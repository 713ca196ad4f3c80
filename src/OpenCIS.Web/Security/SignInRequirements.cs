using OpenCIS.UseCases.Users;

namespace OpenCIS.Web.Security;

/// <summary>
/// What a signed-in user must do before anything else. A user whose password an administrator set (an add or a reset)
/// chooses their own (/Account/Password). An Admin, when <c>OPENCIS_REQUIRE_ADMIN_TWO_FACTOR</c> is true, signs in with
/// a second factor, setting one up first if need be (/Account/TwoFactor). Until then screens go there and the API
/// answers 403 saying so; signing out, those pages and static files stay open.
/// </summary>
public static class SignInRequirements
{
    public static IApplicationBuilder UseSignInRequirements(this IApplicationBuilder app, IConfiguration configuration)
    {
        var adminTwoFactor = string.Equals(configuration["OPENCIS_REQUIRE_ADMIN_TWO_FACTOR"], "true", StringComparison.OrdinalIgnoreCase);
        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            var user = context.User;
            if (user.Identity?.IsAuthenticated == true && !path.StartsWithSegments("/Logout") && !path.StartsWithSegments("/lib") && !path.StartsWithSegments("/css")
                && !path.StartsWithSegments("/js") && !path.StartsWithSegments("/favicon.ico") && !path.StartsWithSegments("/favicon.svg") && !path.StartsWithSegments("/health"))
            {
                var (page, why) = user.HasClaim(c => c.Type == UserClaims.MustChangePassword) ? ("/Account/Password", "Change your password first: it was set by an administrator")
                    : adminTwoFactor && user.IsInRole(Roles.Admin) && !user.HasClaim("amr", "mfa") ? ("/Account/TwoFactor", "Administrators sign in with a second factor here: set up two-factor sign-in first")
                    : (null, null);
                if (page is not null && !path.StartsWithSegments(page))
                {
                    if (path.StartsWithSegments("/api"))
                    {
                        context.Response.StatusCode = StatusCodes.Status403Forbidden;
                        await context.Response.WriteAsJsonAsync(new { title = $"{why} ({page}).", status = 403 });
                        return;
                    }

                    context.Response.Redirect($"{page}?returnUrl={Uri.EscapeDataString(path + context.Request.QueryString)}");
                    return;
                }
            }

            await next(context);
        });
    }
}
