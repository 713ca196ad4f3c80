using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;
using OpenCIS.Storage.Jobs;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Jobs;
using OpenCIS.UseCases.Metering.Import;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// A file import started as a job, on either database: the upload waits with its job, the same file is
/// never imported twice at once, the job keeps the import's outcome (errors by line and field) and lets
/// the file go when it ends, and running it again (a restart's recovery) does nothing more.
/// </summary>
public sealed class FileJobTests
{
    private static byte[] Csv(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\n", ["account,service_point,meter,register,read_method,read,unit,read_time,tamper_flag", .. lines]) + "\n");

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_read_file_job_imports_once_keeps_its_outcome_and_lets_its_file_go(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "read file job");
        await database.MigrateAsync();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FixedClock(FixedClock.DemoToday));
        services.AddSingleton<IJobQueue, NoJobQueue>();
        services.AddOpenCisUseCases(database.Configuration());
        await using var container = services.BuildServiceProvider();
        await using var scope = container.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 2);
        var start = scope.ServiceProvider.GetRequiredService<StartJob>();
        var good = new JobFile("uploads/cycle1.csv", Csv(
            $"{accounts[0].AccountNumber},,T0000001,1,AMI,6000,gal,2026-10-04T07:15:00Z,0",
            $"{accounts[1].AccountNumber},,T0000002,1,AMI,5000,gal,2026-10-04T07:16:00Z,1"));

        var job = await start.ExecuteAsync(ImportReadsJob.Request(good, ReadFileFormat.Csv), "clerk");
        Assert.Equal(("ReadImport", "Read import of cycle1.csv", "Queued"), (job.Kind, job.Description, job.Status));
        var copy = new JobFile("cycle1-copy.csv", good.Content);
        var refused = await Assert.ThrowsAsync<JobAlreadyActiveException>(() => start.ExecuteAsync(ImportReadsJob.Request(copy, ReadFileFormat.Csv), "clerk2"));
        Assert.Equal(job.JobId, refused.Active.JobId);
        Assert.Equal(1, await db.JobFiles.CountAsync());
        Assert.Equal(0, await db.Reads.CountAsync(r => r.ReadOn == new DateOnly(2026, 10, 4)));

        var run = scope.ServiceProvider.GetRequiredService<RunJob>();
        Assert.Equal(JobRunOutcome.Completed, await run.ExecuteAsync(job.JobId));
        var done = (await scope.ServiceProvider.GetRequiredService<JobQueries>().JobAsync(job.JobId))!;
        var outcome = done.ResultAs<ReadImportOutcome>()!;
        Assert.Equal(("Completed", true, 1, 1, 0), (done.Status, outcome.Posted, outcome.Valid, outcome.Suspect, outcome.Rejected));
        var row = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == job.JobId);
        Assert.Equal((2, 2, 1), (row.ProgressDone, row.ProgressTotal, row.Attempts));
        Assert.Equal((2, 2), (done.ProgressDone, done.ProgressTotal));
        Assert.Equal(outcome.Message, done.Message);
        Assert.Equal(0, await db.JobFiles.CountAsync());
        Assert.Equal(2, await db.Reads.CountAsync(r => r.ReadOn == new DateOnly(2026, 10, 4)));

        // Fired again, as a recovery after a restart would: the finished job does nothing.
        Assert.Equal(JobRunOutcome.AlreadyFinished, await run.ExecuteAsync(job.JobId));
        Assert.Equal(2, await db.Reads.CountAsync(r => r.ReadOn == new DateOnly(2026, 10, 4)));

        // A bad file: the job completes, posts nothing, and its outcome names line and field.
        var bad = new JobFile("bad.csv", Csv(
            $"{accounts[0].AccountNumber},,T0000001,1,AMI,6100,gal,2026-10-05T07:15:00Z,0",
            $"{accounts[1].AccountNumber},,T0000002,1,AMI,lots,gal,2026-10-05T07:16:00Z,0"));
        var badJob = await start.ExecuteAsync(ImportReadsJob.Request(bad, ReadFileFormat.Csv), "clerk");
        Assert.Equal(JobRunOutcome.Completed, await run.ExecuteAsync(badJob.JobId));
        var badDone = (await scope.ServiceProvider.GetRequiredService<JobQueries>().JobAsync(badJob.JobId))!;
        var badOutcome = badDone.ResultAs<ReadImportOutcome>()!;
        Assert.False(badOutcome.Posted);
        var error = Assert.Single(badOutcome.Errors);
        Assert.Equal(("bad.csv", 3, "read"), (error.FileName, error.Line, error.Field));
        Assert.Equal(JsonValueKind.Array, badDone.Result!.Value.GetProperty("errors").ValueKind);
        Assert.Equal(0, await db.Reads.CountAsync(r => r.ReadOn == new DateOnly(2026, 10, 5)));
        Assert.Equal(0, await db.JobFiles.CountAsync());

        // Once the first job has finished, the same file may be started again: the import recognises it.
        var repeat = await start.ExecuteAsync(ImportReadsJob.Request(copy, ReadFileFormat.Csv), "clerk2");
        Assert.Equal(JobRunOutcome.Completed, await run.ExecuteAsync(repeat.JobId));
        Assert.True((await scope.ServiceProvider.GetRequiredService<JobQueries>().JobAsync(repeat.JobId))!.ResultAs<ReadImportOutcome>()!.AlreadyPosted);
        Assert.Equal(3, await db.Jobs.CountAsync(j => j.Status == JobStatus.Completed));
    }
}
