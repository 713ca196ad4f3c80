using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Tests.Persistence;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Jobs;
using OpenCIS.UseCases.Metering.Import;
using OpenCIS.UseCases.Reports;
using OpenCIS.Web.Api;
using OpenCIS.Web.Jobs;
using Quartz;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Billing runs as jobs, through the API of a real host on SQLite and PostgreSQL: 202 and a status URL,
/// progress then completion, a second start refused naming the running job, a host stopped in the middle
/// and a new one on the same database finishing the run with every account billed once, and the schedule
/// starting a cycle's run on its bill date. Each test's database is a copy of the seeded city the hosts start from.
/// </summary>
public sealed class BillingJobTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan WaitMax = TimeSpan.FromSeconds(180);

    /// <summary>C1 reads on the 5th; in December 2026 that is a Saturday, so it is read Monday the 7th and billed Tuesday the 8th.</summary>
    private static readonly DateOnly BillDate = new(2026, 12, 8);

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_run_starts_as_a_job_shows_its_progress_refuses_a_second_start_and_completes(TestProvider provider)
    {
        TestDatabases.Require(provider, "billing jobs through the API");
        var (database, key) = await OpenCisWebFactory.SeededDatabaseAsync(provider, "billing job");
        await using var owned = database;
        await using var factory = new OpenCisWebFactory(new WebHostData(database.ConnectionString, key, Paced(chunkSize: 2, pauseMilliseconds: 300)));
        await ReadCycleAsync(factory);
        var clerk = await factory.SignedInClientAsync("Clerk");
        var supervisor = await factory.SignedInClientAsync("Supervisor");

        var response = await clerk.PostAsJsonAsync("/api/billing/runs", new StartBillingRunRequest("C1", "2026-12-08"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = (await response.Content.ReadFromJsonAsync<JobView>(Json))!;
        Assert.Equal($"/api/jobs/{job.JobId}", response.Headers.Location?.ToString());
        Assert.Equal(job.StatusUrl, response.Headers.Location?.ToString());
        Assert.Equal("Billing run for C1 on 2026-12-08", job.Description);
        Assert.Equal("clerk", job.RequestedBy);

        // While it runs, the same run is refused to anyone, naming the job that has it.
        var second = await supervisor.PostAsJsonAsync("/api/billing/runs", new StartBillingRunRequest("C1", "2026-12-08"));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        using (var problem = JsonDocument.Parse(await second.Content.ReadAsStringAsync()))
        {
            var title = problem.RootElement.GetProperty("title").GetString()!;
            Assert.StartsWith("Billing run for C1 on 2026-12-08 is already", title, StringComparison.Ordinal);
            Assert.Contains("started by clerk at 2026-", title, StringComparison.Ordinal);
            Assert.Equal(job.JobId, problem.RootElement.GetProperty("jobId").GetInt64());
            Assert.Equal(job.StatusUrl, problem.RootElement.GetProperty("statusUrl").GetString());
        }

        var seen = await FollowAsync(clerk, job.JobId);
        var done = seen[^1];
        Assert.Equal(nameof(Storage.Jobs.JobStatus.Completed), done.Status);
        Assert.Contains(seen, s => s.Status == "Running" && s.ProgressDone > 0 && s.ProgressDone < s.ProgressTotal);
        Assert.Equal(done.ProgressTotal, done.ProgressDone);
        Assert.Contains("completed", done.Message, StringComparison.Ordinal);
        var run = await clerk.GetFromJsonAsync<BillingRunResponse>($"/api/billing/runs/{done.ResultId}", Json);
        Assert.Equal(("C1", new DateOnly(2026, 12, 8), "Completed", "clerk"), (run!.Run.CycleCode, run.Run.BusinessDate, run.Run.Status, run.Run.StartedBy));
        Assert.Equal(done.ProgressTotal, run.Run.AccountsSelected);
        Assert.True(run.Run.BillsCreated > run.Run.ExceptionCount, $"the cycle's new reads are billed: {run.Run.BillsCreated} bills; {string.Join("; ", run.Exceptions.Select(x => x.Reason).Distinct())}");

        // Asked again once done, the run is reported, not repeated, and no job is made.
        var again = await clerk.PostAsJsonAsync("/api/billing/runs", new StartBillingRunRequest("C1", "2026-12-08"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var completed = await again.Content.ReadFromJsonAsync<BillingRunResponse>(Json);
        Assert.True(completed!.AlreadyCompleted);
        Assert.Contains("nothing was billed again", completed.Message, StringComparison.Ordinal);
        var jobs = await clerk.GetFromJsonAsync<List<JobView>>("/api/jobs", Json);
        Assert.Equal(job.JobId, Assert.Single(jobs!, j => j.Kind == OpenCIS.UseCases.Billing.RunBillingJob.JobKind).JobId);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_host_stopped_in_the_middle_of_a_run_is_followed_by_one_that_finishes_it_billing_every_account_once(TestProvider provider)
    {
        TestDatabases.Require(provider, "a billing job across a host restart");
        var (database, key) = await OpenCisWebFactory.SeededDatabaseAsync(provider, "billing job restart");
        await using var owned = database;
        var settings = Paced(chunkSize: 1, pauseMilliseconds: 400);
        var clock = new StoppedClock(OpenCisWebFactory.Today);
        long jobId;
        await using (var first = new OpenCisWebFactory(new WebHostData(database.ConnectionString, key, settings), clock))
        {
            await ReadCycleAsync(first);
            var clerk = await first.SignedInClientAsync("Clerk");
            var response = await clerk.PostAsJsonAsync("/api/billing/runs", new StartBillingRunRequest("C1", "2026-12-08"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            jobId = (await response.Content.ReadFromJsonAsync<JobView>(Json))!.JobId;
            await FollowAsync(clerk, jobId, until: s => s.ProgressDone > 0);
        }

        // The host is gone in the middle: some chunks committed, the rest not.
        await using (var db = database.Context())
        {
            var run = await db.BillingRuns.AsNoTracking().SingleAsync(r => r.CycleCode == "C1" && r.BusinessDate == BillDate);
            Assert.Equal(BillingRunStatus.Running, run.Status);
            var chunks = await db.BillingRunChunks.AsNoTracking().Where(c => c.BillingRunId == run.Id).ToListAsync();
            Assert.Contains(chunks, c => c.Status == BillingChunkStatus.Done);
            Assert.Contains(chunks, c => c.Status == BillingChunkStatus.Pending);
            Assert.Equal(Storage.Jobs.JobStatus.Running, (await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId)).Status);
        }

        await using (var second = new OpenCisWebFactory(new WebHostData(database.ConnectionString, key, settings), clock))
        {
            var clerk = await second.SignedInClientAsync("Clerk");
            var seen = await FollowAsync(clerk, jobId);
            Assert.Equal("Completed", seen[^1].Status);
            Assert.True(seen[^1].Attempts >= 2, $"the job was taken up again after the restart (attempts {seen[^1].Attempts})");
        }

        await AssertBilledExactlyOnceAsync(database, "C1", BillDate);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_schedule_starts_a_cycles_run_on_its_bill_date_with_the_date_from_the_cycle_schedule(TestProvider provider)
    {
        TestDatabases.Require(provider, "the billing schedule");
        var december = BillingSchedule.For(new CycleRules(5, 1, 21, 10), HolidayCalendar.Named(HolidayCalendar.UsFederalName, []), 2026, 12);
        Assert.Equal(BillDate, december.Bill.Date);
        var (database, key) = await OpenCisWebFactory.SeededDatabaseAsync(provider, "billing schedule");
        await using var owned = database;
        await using var factory = new OpenCisWebFactory(new WebHostData(database.ConnectionString, key, Paced(chunkSize: 10, pauseMilliseconds: 0)));
        await ReadCycleAsync(factory);
        var supervisor = await factory.SignedInClientAsync("Supervisor");

        var schedules = await supervisor.GetFromJsonAsync<List<ScheduleView>>("/api/jobs/schedules", Json);
        var billing = schedules!.Single(s => s.Setting == JobSchedules.BillingSetting);
        Assert.Contains(billing.NextBillDates, c => c.Cycle == "C1" && c.BillDate == BillDate);
        // The schedules are anyone's to see (a cashier posts the ACH file); a job only its kind's viewers'.
        var cashier = await factory.SignedInClientAsync("Cashier");
        Assert.Equal(HttpStatusCode.OK, (await cashier.GetAsync(new Uri("/api/jobs/schedules", UriKind.Relative))).StatusCode);

        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.TriggerJob(BillingScheduleJob.Key);

        // (A paperless account's e-bill may start the mail sender too; the billing runs are what the schedule started.)
        var started = await WaitForAsync(async () => (await supervisor.GetFromJsonAsync<List<JobView>>("/api/jobs", Json))!.SingleOrDefault(j => j.Finished && j.Kind == OpenCIS.UseCases.Billing.RunBillingJob.JobKind));
        Assert.Equal(("Billing run for C1 on 2026-12-08", "schedule", "Completed"), (started.Description, started.RequestedBy, started.Status));
        var run = await supervisor.GetFromJsonAsync<BillingRunResponse>($"/api/billing/runs/{started.ResultId}", Json);
        Assert.Equal(("C1", BillDate, "schedule"), (run!.Run.CycleCode, run.Run.BusinessDate, run.Run.StartedBy));
        // C2 reads on the 20th: the 8th is not its bill date, so the schedule started nothing else.
        Assert.Single((await supervisor.GetFromJsonAsync<List<JobView>>("/api/jobs", Json))!, j => j.Kind == OpenCIS.UseCases.Billing.RunBillingJob.JobKind);
        Assert.Empty((await cashier.GetFromJsonAsync<List<JobView>>("/api/jobs", Json))!);
        Assert.Equal(HttpStatusCode.Forbidden, (await cashier.GetAsync(new Uri($"/api/jobs/{started.JobId}", UriKind.Relative))).StatusCode);

        // The ACH schedule on a banking day (Tuesday the 8th) makes the file for the next one's settlement.
        await scheduler.TriggerJob(AchScheduleJob.Key);
        var ach = await WaitForAsync(async () => (await supervisor.GetFromJsonAsync<List<JobView>>("/api/jobs", Json))!.SingleOrDefault(j => j.Kind == "AchFile" && j.Finished));
        Assert.Equal(("ACH file for settlement on 2026-12-09", "schedule", "Completed"), (ach.Description, ach.RequestedBy, ach.Status));
    }

    internal static Dictionary<string, string> Paced(int chunkSize, int pauseMilliseconds) => new()
    {
        ["OPENCIS_BILLING_CHUNK_SIZE"] = chunkSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OPENCIS_BILLING_WORKERS"] = "1",
        ["OPENCIS_BILLING_PAUSE_MS"] = pauseMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Starts the host (the demo city is seeded through 2026-11-22), then moves its clock to C1's December bill date and imports the cycle's reads of the day before.</summary>
    internal static async Task ReadCycleAsync(OpenCisWebFactory factory)
    {
        var services = factory.Services;
        factory.Clock.Now = new DateTimeOffset(BillDate.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero);
        await using var scope = services.CreateAsyncScope();
        var file = await DemoReads.NextMonthAsync(scope.ServiceProvider.GetRequiredService<OpenCisDbContext>(), "C1", BillDate.AddDays(-1));
        var imported = await scope.ServiceProvider.GetRequiredService<ImportReads>().ExecuteAsync("c1-december.csv", file, ReadFileFormat.Csv, null, "clerk");
        Assert.True(imported.Posted, imported.Message);
    }

    /// <summary>Polls a job's status URL until <paramref name="until"/> holds (by default: the job finished); returns every status seen.</summary>
    private static async Task<List<JobView>> FollowAsync(HttpClient client, long jobId, Func<JobView, bool>? until = null)
    {
        until ??= s => s.Finished;
        var seen = new List<JobView>();
        var deadline = DateTime.UtcNow + WaitMax;
        while (true)
        {
            var status = (await client.GetFromJsonAsync<JobView>($"/api/jobs/{jobId}", Json))!;
            seen.Add(status);
            if (until(status))
            {
                return seen;
            }

            Assert.True(!status.Finished, $"job {jobId} finished as {status.Status}: {status.Message}");
            Assert.True(DateTime.UtcNow < deadline, $"job {jobId} is still {status.Status} ({status.ProgressDone} of {status.ProgressTotal}) after {WaitMax.TotalSeconds} s");
            await Task.Delay(100);
        }
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow + WaitMax;
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"nothing after {WaitMax.TotalSeconds} s");
            await Task.Delay(200);
        }
    }

    /// <summary>The run completed; each active account of the cycle has one bill or one exception in it; the books tie out.</summary>
    private static async Task AssertBilledExactlyOnceAsync(TestDatabase database, string cycle, DateOnly businessDate)
    {
        await using var db = database.Context();
        var run = await db.BillingRuns.AsNoTracking().SingleAsync(r => r.CycleCode == cycle && r.BusinessDate == businessDate);
        Assert.Equal(BillingRunStatus.Completed, run.Status);
        var accounts = await db.Accounts.AsNoTracking().Where(a => a.CycleCode == cycle && a.Status == Storage.Customers.AccountStatus.Active).Select(a => a.Id).ToListAsync();
        var billed = await db.Bills.AsNoTracking().Where(b => b.BillingRunId == run.Id).Select(b => b.AccountId).ToListAsync();
        var excepted = await db.BillingExceptions.AsNoTracking().Where(x => x.BillingRunId == run.Id).Select(x => x.AccountId).ToListAsync();
        Assert.Equal(billed.Count, billed.Distinct().Count());
        Assert.Equal(excepted.Count, excepted.Distinct().Count());
        Assert.Empty(billed.Intersect(excepted));
        Assert.Equal(accounts.Order().ToArray(), billed.Concat(excepted).Order().ToArray());
        Assert.Equal((run.BillsCreated, run.ExceptionCount), (billed.Count, excepted.Count));
        Assert.True(billed.Count > excepted.Count, $"most accounts bill: {billed.Count} bills, {excepted.Count} exceptions");
        var trial = await new LedgerReports(db).TrialBalanceAsync(null, CancellationToken.None);
        Assert.True(trial.Balances && trial.TiesToSubLedger, "the books tie out after the run");
    }
}
