using System.Diagnostics;
using OpenCIS.UseCases.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace OpenCIS.Web.Observability;

/// <summary>
/// What an operator sees of the host. Logs: the console, as JSON lines with <c>OPENCIS_LOG_FORMAT=json</c> (scopes
/// included), every request's lines carrying its correlation id. Metrics: OpenTelemetry, with ASP.NET Core's request
/// metrics and OpenCIS's own (jobs, imports: <see cref="OpenCisMetrics"/>), exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard OpenTelemetry variables apply).
/// </summary>
public static class Observability
{
    public const string CorrelationHeader = "X-Correlation-Id";

    public static WebApplicationBuilder AddOpenCisObservability(this WebApplicationBuilder builder)
    {
        if (string.Equals(builder.Configuration["OPENCIS_LOG_FORMAT"], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(options => options.IncludeScopes = true);
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("opencis"))
            .WithMetrics(meters =>
            {
                meters.AddMeter(OpenCisMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics");
                if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
                {
                    meters.AddOtlpExporter();
                }
            });
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.HttpContext.Items[CorrelationHeader] is string id)
            {
                context.ProblemDetails.Extensions["correlationId"] = id;
            }
        });
        return builder;
    }

    /// <summary>
    /// Each request gets a correlation id: the caller's <c>X-Correlation-Id</c> when it is a sane token (so a proxy's or
    /// client's id follows the request through), else the trace id. It is echoed on the response, named in every log
    /// line written while the request runs, and in every problem detail.
    /// </summary>
    public static IApplicationBuilder UseCorrelationId(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("OpenCIS.Requests");
        return app.Use(async (context, next) =>
        {
            var given = context.Request.Headers[CorrelationHeader].ToString();
            var id = given.Length is > 0 and <= 64 && given.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
                ? given
                : Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
            context.Items[CorrelationHeader] = id;
            context.Response.Headers[CorrelationHeader] = id;
            using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id, ["User"] = context.User.Identity?.Name ?? "" }))
            {
                await next(context);
            }
        });
    }
}
