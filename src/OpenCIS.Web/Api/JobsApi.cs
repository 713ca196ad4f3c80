using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Jobs;
using OpenCIS.Web.Capabilities;
using OpenCIS.Web.Jobs;

namespace OpenCIS.Web.Api;

/// <summary>
/// Long work started as jobs (billing runs, file imports, the ACH file) and the schedules that start them:
/// what is going on, how far it got, how it ended. A user sees the jobs whose kind's view permission they hold.
/// </summary>
public static class JobsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapGet("/", async (JobQueries queries, JobAccess access, HttpContext context, CancellationToken cancellationToken, int? limit) =>
            {
                var viewable = await access.ViewableKindsAsync(context.User);
                return TypedResults.Ok(await queries.RecentAsync(limit ?? 30, viewable, cancellationToken));
            })
            .RequireAuthorization()
            .WithSummary("The jobs queued or running, then the most recent ones, newest first: those of the kinds you may follow.");

        jobs.MapGet("/{jobId:long}", async Task<Results<Ok<JobView>, NotFound, ForbidHttpResult>> (long jobId, JobQueries queries, JobAccess access, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (await queries.JobAsync(jobId, cancellationToken) is not { } job)
                {
                    return TypedResults.NotFound();
                }

                return await access.CanViewAsync(context.User, job.Kind) ? TypedResults.Ok(job) : TypedResults.Forbid();
            })
            .RequireAuthorization()
            .WithSummary("One job: its status (Queued, Running, Completed, Failed), progress, attempts and how it ended; once finished, its outcome in full under result (an import's counts and its errors by line and field). A start's status URL.");

        jobs.MapGet("/schedules", async (ScheduleQueries queries, CancellationToken cancellationToken) => TypedResults.Ok(await queries.SchedulesAsync(cancellationToken)))
            .RequireAuthorization()
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
