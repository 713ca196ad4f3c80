using System.Net;
using System.Text;
using OpenCIS.UseCases.Jobs;
using OpenCIS.UseCases.Metering.Import;

namespace OpenCIS.Tests.Web;

/// <summary>A read file sent to the API is imported by a job: 202 and the job to follow, the import's outcome its result.</summary>
public sealed class ReadImportApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static MultipartFormDataContent Form(string csv, string name)
    {
        var form = new MultipartFormDataContent();
#pragma warning disable CA2000 // the form owns its part and disposes it with itself
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", name);
#pragma warning restore CA2000
        return form;
    }

    [Fact]
    public async Task A_clerk_sends_a_read_file_and_follows_its_job_to_the_outcome()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var cashier = await factory.SignedInClientAsync("Cashier");

        using (var refused = Form("meter,read,read_time\nW0000001,1,2026-11-21\n", "refused.csv"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await cashier.PostAsync(new Uri("/api/reads/imports", UriKind.Relative), refused)).StatusCode);
        }

        using (var wrongFormat = Form("meter,read,read_time\n", "x.csv"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await clerk.PostAsync(new Uri("/api/reads/imports?format=xml", UriKind.Relative), wrongFormat)).StatusCode);
        }

        // An unknown meter on line 3: the job completes, nothing is imported, and the error names line and field.
        using var bad = Form("meter,read,read_time\nW0000001,999999,2026-11-21T06:00:00Z\nZ9999999,10,2026-11-21T06:00:00Z\n", "ami-bad.csv");
        var badJob = await JobPolling.FinishedAsync(clerk, await clerk.PostAsync(new Uri("/api/reads/imports", UriKind.Relative), bad));
        var badOutcome = badJob.ResultAs<ReadImportOutcome>()!;
        Assert.Equal(("Completed", false, 0), (badJob.Status, badOutcome.Posted, badOutcome.Total));
        var error = Assert.Single(badOutcome.Errors);
        Assert.Equal(("ami-bad.csv", 3, "meter"), (error.FileName, error.Line, error.Field));
        Assert.Equal("Read import of ami-bad.csv", badJob.Description);

        using var good = Form("meter,read,read_time\nW0000001,999999,2026-11-21T06:00:00Z\n", "ami-good.csv");
        var outcome = await JobPolling.ResultAsync<ReadImportOutcome>(clerk, await clerk.PostAsync(new Uri("/api/reads/imports", UriKind.Relative), good));
        Assert.True(outcome.Posted, outcome.Message);
        Assert.Equal(1, outcome.Total);

        // The cashier, who may not import reads, may not follow the clerk's import either.
        Assert.Equal(HttpStatusCode.Forbidden, (await cashier.GetAsync(new Uri($"/api/jobs/{badJob.JobId}", UriKind.Relative))).StatusCode);
        var page = await cashier.GetAsync(new Uri($"/Jobs/{badJob.JobId}", UriKind.Relative));
        Assert.Equal((HttpStatusCode.Found, "/AccessDenied"), (page.StatusCode, page.Headers.Location?.AbsolutePath));
        var own = await clerk.GetStringAsync(new Uri($"/Jobs/{badJob.JobId}", UriKind.Relative));
        Assert.Contains("id=\"job-errors\"", own, StringComparison.Ordinal);
        Assert.Contains("Z9999999", own, StringComparison.Ordinal);
    }
}
