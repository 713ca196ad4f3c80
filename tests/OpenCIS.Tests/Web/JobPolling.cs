using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.Tests.Web;

/// <summary>Follows a job an API call started: 202 and the job, then its status URL until it has finished.</summary>
internal static class JobPolling
{
    public static readonly TimeSpan WaitMax = TimeSpan.FromSeconds(90);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The job's outcome in full, once it has finished; fails if the start was not accepted or the job failed.</summary>
    public static async Task<T> ResultAsync<T>(HttpClient client, HttpResponseMessage accepted)
        where T : class
    {
        var job = await FinishedAsync(client, accepted);
        Assert.True(job.Status == "Completed", $"job {job.JobId} {job.Status}: {job.Message}");
        return job.ResultAs<T>() ?? throw new InvalidOperationException($"Job {job.JobId} finished without a result.");
    }

    public static async Task<JobView> FinishedAsync(HttpClient client, HttpResponseMessage accepted)
    {
        var text = await accepted.Content.ReadAsStringAsync();
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, $"{(int)accepted.StatusCode}: {text}");
        var job = JsonSerializer.Deserialize<JobView>(text, Json)!;
        Assert.Equal(job.StatusUrl, accepted.Headers.Location?.ToString());
        return await FinishedAsync(client, job.JobId);
    }

    public static async Task<JobView> FinishedAsync(HttpClient client, long jobId)
    {
        var deadline = DateTime.UtcNow + WaitMax;
        while (true)
        {
            var status = (await client.GetFromJsonAsync<JobView>($"/api/jobs/{jobId}", Json))!;
            if (status.Finished)
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {jobId} is still {status.Status} ({status.ProgressDone} of {status.ProgressTotal}) after {WaitMax.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}
