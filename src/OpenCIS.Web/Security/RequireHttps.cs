namespace OpenCIS.Web.Security;

/// <summary>
/// Outside demo mode OpenCIS serves only over HTTPS: normally behind a reverse proxy that ends TLS and says so in
/// X-Forwarded-Proto (trusted from the addresses in <c>OPENCIS_TRUSTED_PROXIES</c>, and loopback), or on Kestrel's
/// own HTTPS endpoint. A plain-HTTP GET is redirected to HTTPS (port <c>OPENCIS_HTTPS_PORT</c>, 443 unless set);
/// any other plain-HTTP request is refused, so no password or cookie is ever taken over plain HTTP. <c>/health</c>
/// answers over either, for the proxy's and the orchestrator's probes.
/// </summary>
public static class RequireHttps
{
    public static IApplicationBuilder UseRequireHttps(this IApplicationBuilder app, IConfiguration configuration)
    {
        var port = int.TryParse(configuration["OPENCIS_HTTPS_PORT"], out var configured) ? configured : 443;
        return app.Use((context, next) =>
        {
            var request = context.Request;
            if (request.IsHttps || request.Path.StartsWithSegments("/health"))
            {
                return next(context);
            }

            if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            {
                var host = port == 443 ? new HostString(request.Host.Host) : new HostString(request.Host.Host, port);
                context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
                context.Response.Headers.Location = $"https://{host}{request.PathBase}{request.Path}{request.QueryString}";
                return Task.CompletedTask;
            }

            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return context.Response.WriteAsync("OpenCIS takes requests only over HTTPS.");
        });
    }
}
