using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace OpenCIS.Web.Security;

/// <summary>
/// When the database cannot be reached or written (a read-only or full disk, a lost connection, a server shutting
/// down), the answer is 503 with a problem detail "Storage unavailable" and Retry-After, not a bare 500: the request
/// did nothing, and trying again later is the right move. Every other unhandled exception stays a 500.
/// </summary>
public sealed class StorageUnavailableHandler(IProblemDetailsService problems, ILogger<StorageUnavailableHandler> logger) : IExceptionHandler
{
    public const string Title = "Storage unavailable";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (Cause(exception) is not { } cause)
        {
            return false;
        }

        logger.LogError(exception, "Storage unavailable: {Cause}", cause);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "30";
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = Title,
            Detail = $"The database cannot be used just now ({cause}); nothing was saved. Try again in a minute; if it persists, tell the administrator.",
        };
        if (!httpContext.Request.Path.StartsWithSegments("/api") && httpContext.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            await httpContext.Response.WriteAsync(
                $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{Title} - OpenCIS</title><link rel=\"stylesheet\" href=\"/lib/bootstrap/bootstrap.min.css\"></head>" +
                $"<body><main class=\"container py-4\"><h1 class=\"h3\">{Title}</h1><p>{System.Net.WebUtility.HtmlEncode(problem.Detail)}</p><p><a href=\"/\">Back to accounts</a></p></main></body></html>",
                cancellationToken);
            return true;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>What about the storage failed, or null when the exception is not a storage failure.</summary>
    public static string? Cause(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case Microsoft.Data.Sqlite.SqliteException sqlite when sqlite.SqliteErrorCode is 5 or 6 or 8 or 10 or 13 or 14 or 26:
                    return sqlite.SqliteErrorCode switch
                    {
                        5 or 6 => "the database is busy",
                        8 => "the database is read-only",
                        13 => "the disk is full",
                        14 => "the database file cannot be opened",
                        26 => "the database file is not a database",
                        _ => "the disk failed to read or write",
                    };
                case Npgsql.PostgresException postgres when postgres.SqlState.StartsWith("53", StringComparison.Ordinal):
                    return "the database server is out of resources (disk, memory or connections)";
                case Npgsql.PostgresException postgres when postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) || postgres.SqlState.StartsWith("08", StringComparison.Ordinal):
                    return "the database server is shutting down or not accepting connections";
                case Npgsql.PostgresException postgres when postgres.SqlState == "25006":
                    return "the database is read-only";
                case Npgsql.NpgsqlException npgsql when npgsql is not Npgsql.PostgresException:
                    return "the database server cannot be reached";
                case IOException io when (io.HResult & 0xFFFF) is 0x27 or 0x70 || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase):
                    return "the disk is full";
                case DbException when current.Message.Contains("read-only", StringComparison.OrdinalIgnoreCase):
                    return "the database is read-only";
            }
        }

        return null;
    }
}
