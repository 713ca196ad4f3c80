using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Jobs;
using OpenCIS.Web.Api;

namespace OpenCIS.Web.Jobs;

/// <summary>
/// Starting long work from a screen or the API, the same way for every kind: the upload is kept with the
/// job, the API answers 202 with the job and its status URL (409 naming the job when the same work is
/// already going), and a screen goes to the job's page, which follows it.
/// </summary>
public static class JobStarts
{
    /// <summary>An upload read whole, to be kept with its job.</summary>
    public static async Task<JobFile> ReadAsync(IFormFile file, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        return new JobFile(file.FileName, buffer.ToArray());
    }

    /// <summary>The API's answer to a start: 202 and the job, or 409 naming the job already doing that work (a bad request is the endpoint's own 400).</summary>
    public static async Task<Results<Accepted<JobView>, Conflict<ProblemDetails>, ValidationProblem>> AcceptAsync(StartJob start, JobRequest request, string user, CancellationToken cancellationToken)
    {
        try
        {
            var job = await start.ExecuteAsync(request, user, cancellationToken);
            return TypedResults.Accepted(job.StatusUrl, job);
        }
        catch (JobAlreadyActiveException already)
        {
            return TypedResults.Conflict(JobsApi.AlreadyActiveProblem(already));
        }
    }

    /// <summary>Where a screen goes after a start: the job's page, or, when the same work is already going, that job's page saying so.</summary>
    public static async Task<string> FollowAsync(StartJob start, JobRequest request, string user, CancellationToken cancellationToken)
    {
        try
        {
            return PageOf(await start.ExecuteAsync(request, user, cancellationToken));
        }
        catch (JobAlreadyActiveException already)
        {
            return PageOf(already);
        }
    }

    public static string PageOf(JobView job) => $"/Jobs/{job.JobId}";

    public static string PageOf(JobAlreadyActiveException already) => $"/Jobs/{already.Active.JobId}?message={Uri.EscapeDataString(already.Message)}";
}
