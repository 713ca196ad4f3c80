using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Jobs;
using OpenCIS.Web.Capabilities;
using OpenCIS.Web.Jobs;

namespace OpenCIS.Web.Api;

/// <summary>Long work started as jobs (billing runs, the ACH file) and the schedules that start them: what is going on, how far it got, how it ended.</summary>
public static class JobsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapGet("/", async (JobQueries queries, CancellationToken cancellationToken, int? limit) => TypedResults.Ok(await queries.RecentAsync(limit ?? 30, cancellationToken)))
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("The jobs queued or running, then the most recent ones, newest first.");

        jobs.MapGet("/{jobId:long}", async Task<Results<Ok<JobView>, NotFound>> (long jobId, JobQueries queries, CancellationToken cancellationToken) =>
                await queries.JobAsync(jobId, cancellationToken) is { } job ? TypedResults.Ok(job) : TypedResults.NotFound())
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("One job: its status (Queued, Running, Completed, Failed), progress, attempts and how it ended. A start's status URL.");

        jobs.MapGet("/schedules", async (ScheduleQueries queries, CancellationToken cancellationToken) => TypedResults.Ok(await queries.SchedulesAsync(cancellationToken)))
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("The schedules that start jobs, as configured: when each fires next and, for billing, each cycle's next bill date.");
    }

    /// <summary>409: the same work is already queued or running; the problem names that job and where to follow it.</summary>
    public static ProblemDetails AlreadyActiveProblem(JobAlreadyActiveException already) => new()
    {
        Status = StatusCodes.Status409Conflict,
        Title = already.Message,
        Detail = already.Message,
        Extensions =
        {
            ["jobId"] = already.Active.JobId,
            ["statusUrl"] = already.Active.StatusUrl,
        },
    };
}
