using OpenCIS.Core.Common;

namespace OpenCIS.Web.Api;

/// <summary>
/// Turns a <see cref="DomainException"/> into an RFC 9457 validation problem naming the field at
/// fault, so every endpoint reports bad requests the same way.
/// </summary>
public sealed class DomainExceptionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (DomainException exception)
        {
            return Problem(exception.Field ?? "request", exception.Message);
        }
    }

    public static IResult Problem(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: message);
}

public static class ApiUser
{
    public static string Name(HttpContext context) => context.User.Identity?.Name ?? "unknown";
}

/// <summary>How the API reads dates and writes amounts: ISO dates (YYYY-MM-DD), dollars with two decimals.</summary>
public static class ApiText
{
    public static bool TryDate(string? text, out DateOnly date) =>
        IsoDate.TryParse(text, out date);

    public static string Dollars(long cents) => Money.FromCents(cents).ToPlainString();
}
