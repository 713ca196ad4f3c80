using OpenCIS.Tests.Persistence;

namespace OpenCIS.Tests.Cli;

/// <summary>
/// `opencis bench crash` on a small demo city: a billing run, a lockbox import, an ACH return file and a collections
/// run, each killed with SIGKILL in a child process and run again, leave nothing posted twice, nothing lost and the
/// books tied out. The city is a copy of the seeded 100-account one (the harness seeds only an empty database), so the run
/// spends its time on the trials.
/// </summary>
public sealed class CrashCliTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Work_killed_at_random_moments_and_run_again_posts_nothing_twice_and_loses_nothing(TestProvider provider)
    {
        TestDatabases.Require(provider, "crash");
        var (database, _) = await TestDatabases.SeededCity100Async(provider);
        await using var owned = database;
        var run = await CliRun.ExecuteAsync(database.Configuration(), "bench", "crash", "--trials", "4", "--accounts", "100", "--seed", "11");

        Assert.Contains("RESULT trials=4 duplicates=0 losses=0 unbalanced=0", run.Output, StringComparison.Ordinal);
        Assert.Equal(0, run.ExitCode);
        // Every kind of work was tried.
        foreach (var work in new[] { "billing run", "lockbox import", "ACH return file", "collections run" })
        {
            Assert.Contains(work, run.Output, StringComparison.Ordinal);
        }

        await using var db = database.Context();
        Assert.Equal(1, db.BillingRuns.Count(r => r.StartedBy != "demo-seed"));
        Assert.Equal(1, db.ImportedFiles.Count(f => f.Kind == "lockbox-bai2"));
        Assert.Equal(2, db.AchReturns.Count());
        Assert.True(db.CollectionRuns.Count() >= 2, "the catch-up run and the trial's run");
    }
}
