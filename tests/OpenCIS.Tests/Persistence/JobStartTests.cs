using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage.Jobs;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.Tests.Persistence;

/// <summary>The same work is never queued or running twice at once, however many start it together, on either database.</summary>
public sealed class JobStartTests
{
    private const int StartersCount = 8;

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Starters_racing_for_the_same_work_make_one_job_and_the_others_are_told_which(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "job start race");
        await database.MigrateAsync();
        var queue = new RecordingQueue();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FixedClock(FixedClock.DemoToday));
        services.AddSingleton<IJobQueue>(queue);
        services.AddOpenCisUseCases(database.Configuration());
        await using var container = services.BuildServiceProvider();
        var request = new JobRequest("BillingRun", "billing-run:C1:2026-12-08", "Billing run for C1 on 2026-12-08", new JobArguments(new Dictionary<string, string> { ["cycle"] = "C1" }));

        var outcomes = await Task.WhenAll(Enumerable.Range(1, StartersCount).Select(i => Task.Run(async () =>
        {
            await using var scope = container.CreateAsyncScope();
            try
            {
                return (Job: await scope.ServiceProvider.GetRequiredService<StartJob>().ExecuteAsync(request, $"clerk{i}"), Refused: (JobAlreadyActiveException?)null);
            }
            catch (JobAlreadyActiveException refused)
            {
                return (Job: (JobView?)null, Refused: refused);
            }
        })));

        var started = Assert.Single(outcomes, o => o.Job is not null).Job!;
        Assert.All(outcomes.Where(o => o.Job is null), o =>
        {
            Assert.Equal(started.JobId, o.Refused!.Active.JobId);
            Assert.StartsWith($"Billing run for C1 on 2026-12-08 is already queued (started by {started.RequestedBy} at ", o.Refused.Message, StringComparison.Ordinal);
        });
        Assert.Equal([started.JobId], queue.Enqueued);
        await using var db = database.Context();
        Assert.Equal(1, await db.Jobs.CountAsync());

        // Once the job has finished, the same work can be started again.
        await db.Jobs.Where(j => j.Id == started.JobId).ExecuteUpdateAsync(set => set.SetProperty(j => j.Status, JobStatus.Completed));
        await using var again = container.CreateAsyncScope();
        var next = await again.ServiceProvider.GetRequiredService<StartJob>().ExecuteAsync(request, "clerk");
        Assert.NotEqual(started.JobId, next.JobId);
    }

    private sealed class RecordingQueue : IJobQueue
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<long> enqueued = new();

        public IReadOnlyList<long> Enqueued => [.. enqueued];

        public Task EnqueueAsync(ActiveJob job, CancellationToken cancellationToken = default)
        {
            enqueued.Enqueue(job.JobId);
            return Task.CompletedTask;
        }
    }
}
