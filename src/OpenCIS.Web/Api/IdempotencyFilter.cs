using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenCIS.Storage;

namespace OpenCIS.Web.Api;

/// <summary>
/// <c>Idempotency-Key</c> for API writes whose workflow has no key of its own: a decision, a final or
/// average bill, a suspense resolution, a drawer close. A key is its sender's own: the first successful
/// answer is stored under the user and the key with the request's fingerprint (method, route, user and
/// bound arguments: route values and body), and that user's retry with the same key and fingerprint gets
/// it again (header <c>Idempotent-Replayed: true</c>) without running the workflow; their key on a
/// different request is refused with 422 naming <c>Idempotency-Key</c>, as the workflows that keep keys
/// on their own rows refuse it; another user's request under the same key runs as a request of its own.
/// Each of these workflows is itself once-only (a decided adjustment, a final account, a resolved item
/// cannot be done again), so a retry racing the first request, or arriving after a crash between the
/// workflow's commit and this record, is refused rather than posted twice. Payments, drawer payments,
/// adjustments, cancel-rebill and the receivables, deposit and returned-payment writes keep their keys
/// on their own rows, in the same transaction as their postings (Storage's <c>Idempotency</c>).
/// </summary>
public sealed class IdempotencyFilter : IEndpointFilter
{
    public const string Header = "Idempotency-Key";

    /// <summary>The problem with a key longer than the store keeps, or null: what every endpoint taking a key checks first.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem? KeyProblem(string? key) =>
        key is { Length: > IdempotentRequests.KeyLengthMax }
            ? (Microsoft.AspNetCore.Http.HttpResults.ValidationProblem)DomainExceptionFilter.Problem(Header, $"The idempotency key can be at most {IdempotentRequests.KeyLengthMax} characters.")
            : null;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        if (key.Length == 0)
        {
            return await next(context);
        }

        if (KeyProblem(key) is { } tooLong)
        {
            return tooLong;
        }

        var store = http.RequestServices.GetRequiredService<IdempotentRequests>();
        var json = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var user = ApiUser.Name(http);
        var fingerprint = Fingerprint(http.Request.Method, http.Request.Path, user, context.Arguments, json);
        if (await store.FindAsync(new RequestKey(user, key), http.RequestAborted) is { } earlier)
        {
            return earlier.Fingerprint == fingerprint
                ? Replay(http, earlier)
                : IdempotencyKeyFilter.Refusal($"Idempotency key '{key}' was already used for a different request ({earlier.Method} {earlier.Path} at {earlier.CreatedAt:yyyy-MM-dd HH:mm} UTC).");
        }

        var result = await next(context);
        var answer = result;
        while (answer is INestedHttpResult nested)
        {
            // Results<Ok<T>, ValidationProblem> and the like wrap the result the endpoint chose.
            answer = nested.Result;
        }

        if (answer is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } success and IValueHttpResult value)
        {
            var clock = http.RequestServices.GetRequiredService<TimeProvider>();
            await store.RecordAsync(new IdempotentRequest
            {
                Key = key,
                Fingerprint = fingerprint,
                Method = http.Request.Method,
                Path = http.Request.Path.ToString(),
                UserName = user,
                StatusCode = success.StatusCode ?? StatusCodes.Status200OK,
                ResponseBody = JsonSerializer.Serialize(value.Value, json),
                CreatedAt = clock.GetUtcNow(),
            }, http.RequestAborted);
        }

        return result;
    }

    private static IResult Replay(HttpContext http, IdempotentRequest earlier)
    {
        http.Response.Headers["Idempotent-Replayed"] = "true";
        return Results.Text(earlier.ResponseBody, "application/json", Encoding.UTF8, earlier.StatusCode);
    }

    /// <summary>What makes two requests the same: method, path, user, and every bound argument that is data (not a service).</summary>
    private static string Fingerprint(string method, PathString path, string user, IList<object?> arguments, JsonSerializerOptions json)
    {
        var text = new StringBuilder().Append(method).Append(' ').Append(path.ToString()).Append('\n').Append(user);
        foreach (var argument in arguments)
        {
            if (argument is null or string or ValueType || argument.GetType().Namespace == typeof(IdempotencyFilter).Namespace)
            {
                if (argument is CancellationToken)
                {
                    continue;
                }

                text.Append('\n').Append(JsonSerializer.Serialize(argument, json));
            }
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>
/// For the workflows that keep a request's key on their own rows (payments, drawer payments, adjustments,
/// cancel-rebill, deposits, refunds, transfers, write-offs, returned payments): the user's key already used
/// for a different request answers 422 (the request cannot be processed as sent), naming <c>Idempotency-Key</c>.
/// </summary>
public sealed class IdempotencyKeyFilter : IEndpointFilter
{
    /// <summary>The one answer to a key reused for a different request, from this filter and from <see cref="IdempotencyFilter"/>.</summary>
    public static IResult Refusal(string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [IdempotencyFilter.Header] = [message] })
        {
            Title = message,
            Status = StatusCodes.Status422UnprocessableEntity,
        });

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (OpenCIS.Core.Common.DomainException exception) when (exception.Field == IdempotencyFilter.Header)
        {
            return Refusal(exception.Message);
        }
    }
}
