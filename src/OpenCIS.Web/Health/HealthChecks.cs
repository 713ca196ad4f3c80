using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenCIS.UseCases.Health;
using Quartz;

namespace OpenCIS.Web.Health;

/// <summary>
/// <c>/health</c>: the database, the jobs (and this host's scheduler) and the data disk, as JSON. 200 when every part
/// is healthy or degraded, 503 when any is unhealthy, so a load balancer takes an unhealthy host out. Anonymous, and
/// served over plain HTTP too, for the proxy's probe; it shows states and counts, nothing about any account.
/// </summary>
public static class HealthChecks
{
    public static IServiceCollection AddOpenCisHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", timeout: TimeSpan.FromSeconds(5))
            .AddCheck<JobsCheck>("jobs", timeout: TimeSpan.FromSeconds(5))
            .AddCheck<DiskCheck>("disk");
        return services;
    }

    public static IEndpointConventionBuilder MapOpenCisHealth(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).AllowAnonymous();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            totalMilliseconds = (long)report.TotalDuration.TotalMilliseconds,
            parts = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        }, Json));
    }

    internal static HealthCheckResult Result(HealthReading reading) => reading.State switch
    {
        HealthState.Healthy => HealthCheckResult.Healthy(reading.Description, reading.Data),
        HealthState.Degraded => HealthCheckResult.Degraded(reading.Description, data: reading.Data),
        _ => HealthCheckResult.Unhealthy(reading.Description, data: reading.Data),
    };

    private sealed class DatabaseCheck(SystemHealth health) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Result(await health.DatabaseAsync(cancellationToken));
    }

    private sealed class JobsCheck(SystemHealth health, ISchedulerFactory schedulers) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var reading = await health.JobsAsync(cancellationToken);
            var scheduler = await schedulers.GetScheduler(cancellationToken);
            var status = (await scheduler.GetMetadata(cancellationToken)).Status;
            if (status != SchedulerStatus.Running)
            {
                return HealthCheckResult.Unhealthy($"This host's job scheduler is {status}, not running: no job will start here.", data: reading.Data);
            }

            return Result(reading);
        }
    }

    private sealed class DiskCheck(SystemHealth health) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(Result(health.Disk()));
    }
}
