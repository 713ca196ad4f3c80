using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenCIS.UseCases.Users;

namespace OpenCIS.Web.Security;

/// <summary>
/// Service accounts call the API with a key (<c>Authorization: Bearer ocis_…</c> or <c>X-Api-Key: ocis_…</c>) instead
/// of a staff cookie. A request carrying a key is authenticated by the key alone, and only on /api: a key never opens
/// a screen. The key's principal holds its permissions as claims and no roles, so it passes exactly the permission
/// policies it is scoped to (<see cref="Permissions"/>) and nothing that merely needs a signed-in staff user.
/// </summary>
public static class ApiKeyAuthentication
{
    public const string Scheme = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    /// <summary>The scheme the host authenticates with: the key's when a key is presented, else the staff cookie.</summary>
    public const string Selector = "OpenCIS";

    public const string PermissionClaim = "opencis:permission";
    public const string KeyIdClaim = "opencis:api-key";

    /// <summary>Where the handler leaves the key it found (working or refused), for the use log.</summary>
    public const string FoundKeyItem = "opencis.api-key";

    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = Selector;
                options.DefaultAuthenticateScheme = Selector;
                options.DefaultChallengeScheme = Selector;
                options.DefaultForbidScheme = Selector;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(Scheme, null)
            .AddPolicyScheme(Selector, "A key or the staff cookie", options =>
                options.ForwardDefaultSelector = context => Presented(context.Request) is not null ? Scheme : IdentityConstants.ApplicationScheme);
        services.AddHostedService<ApiKeyUseLogWriter>();
        return services;
    }

    /// <summary>The key on the request, if any.</summary>
    public static string? Presented(HttpRequest request)
    {
        if (request.Headers[HeaderName] is [{ Length: > 0 } key])
        {
            return key;
        }

        return request.Headers.Authorization is [{ } authorization] && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization["Bearer ".Length..].Trim()
            : null;
    }

    public static bool IsApiKey(ClaimsPrincipal user) => user.Identity?.AuthenticationType == Scheme;

    /// <summary>Logs every request made with a key, or refused for one, with its answer's status (saved off the request path by <see cref="ApiKeyUseLogWriter"/>).</summary>
    public static IApplicationBuilder UseApiKeyUseLog(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            finally
            {
                if (context.Items[FoundKeyItem] is ApiKeyCaller caller)
                {
                    context.RequestServices.GetRequiredService<ApiKeyUseLog>().Record(caller.KeyId, context.Request.Method, context.Request.Path + context.Request.QueryString,
                        context.Response.StatusCode, context.Connection.RemoteIpAddress?.ToString());
                }
            }
        });
}

/// <summary>Saves the API key use log in the background while the host runs, and what is left when it stops.</summary>
public sealed class ApiKeyUseLogWriter(ApiKeyUseLog log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => log.RunAsync(stoppingToken);
}

public sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ApiKeyAuthentication.Presented(Request) is not { } presented)
        {
            return AuthenticateResult.NoResult();
        }

        var caller = await keys.AuthenticateAsync(presented, Context.RequestAborted);
        if (caller is null)
        {
            return AuthenticateResult.Fail("The API key is not one this system issued.");
        }

        // A real key, working or not, from here on: the request is logged against it.
        Context.Items[ApiKeyAuthentication.FoundKeyItem] = caller;
        if (caller.Refusal is { } refusal)
        {
            return AuthenticateResult.Fail(refusal);
        }

        if (!Request.Path.StartsWithSegments("/api"))
        {
            return AuthenticateResult.Fail("An API key opens the API only; staff sign in to the screens.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, caller.Actor), new Claim(ApiKeyAuthentication.KeyIdClaim, caller.Prefix), .. caller.Permissions.Select(p => new Claim(ApiKeyAuthentication.PermissionClaim, p))],
            ApiKeyAuthentication.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeyAuthentication.Scheme));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message ?? "An API key is needed.";
        await Response.WriteAsJsonAsync(new { title = failure, status = 401 });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Response.WriteAsJsonAsync(new { title = "This API key is not scoped to that permission.", status = 403 });
    }
}
