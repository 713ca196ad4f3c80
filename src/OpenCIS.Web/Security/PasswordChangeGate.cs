using OpenCIS.UseCases.Users;

namespace OpenCIS.Web.Security;

/// <summary>
/// A user whose password an administrator set (an add or a reset) does nothing else until they choose their own:
/// screens go to /Account/Password, the API answers 403 saying so. Signing out and static files stay open.
/// </summary>
public static class PasswordChangeGate
{
    public static IApplicationBuilder UsePasswordChangeGate(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (context.User.HasClaim(c => c.Type == UserClaims.MustChangePassword)
                && !path.StartsWithSegments("/Account/Password") && !path.StartsWithSegments("/Logout") && !path.StartsWithSegments("/lib")
                && !path.StartsWithSegments("/css") && !path.StartsWithSegments("/js") && !path.StartsWithSegments("/favicon.ico") && !path.StartsWithSegments("/health"))
            {
                if (path.StartsWithSegments("/api"))
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    await context.Response.WriteAsJsonAsync(new { title = "Change your password first: it was set by an administrator (/Account/Password).", status = 403 });
                    return;
                }

                context.Response.Redirect($"/Account/Password?returnUrl={Uri.EscapeDataString(path + context.Request.QueryString)}");
                return;
            }

            await next(context);
        });
}
