using Microsoft.AspNetCore.Antiforgery;
using OpenCIS.Web.Api;

namespace OpenCIS.Web.Security;

/// <summary>
/// The API authenticates by the staff cookie, so a page on another site must not be able to make a signed-in
/// browser post to it. JSON bodies are safe by themselves (a foreign page cannot send application/json without
/// a preflight, which this host never grants); a form or an upload (multipart, url-encoded, text/plain) is not,
/// so such a request must carry the <c>X-Requested-With</c> header (which also needs a preflight), htmx's
/// <c>HX-Request</c>, or a valid antiforgery token. Any write whose Origin names another host is refused.
/// </summary>
public sealed class CrossSiteRequestFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public const string Header = "X-Requested-With";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        // A service account's key is sent by the calling system itself; no browser adds it to a forged request.
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || ApiKeyAuthentication.IsApiKey(context.HttpContext.User))
        {
            return await next(context);
        }

        if (request.Headers.Origin is [{ } origin] && !SameOrigin(origin, request))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: $"A request from {origin} is refused: the API takes writes only from its own pages and from clients that are not browsers.");
        }

        if (IsSimpleForm(request.ContentType) && !request.Headers.ContainsKey(Header) && !request.Headers.ContainsKey("HX-Request")
            && !await antiforgery.IsRequestValidAsync(context.HttpContext))
        {
            return DomainExceptionFilter.Problem(Header, $"An upload or form sent to the API needs the {Header} header (any value) or an antiforgery token, so another site's page cannot send it in a signed-in browser's name.");
        }

        return await next(context);
    }

    private static bool SameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    private static bool IsSimpleForm(string? contentType)
    {
        var type = (contentType ?? "").Split(';')[0].Trim();
        return type.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || type.Equals("text/plain", StringComparison.OrdinalIgnoreCase);
    }
}
