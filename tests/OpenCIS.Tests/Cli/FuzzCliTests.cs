using OpenCIS.Tests.Persistence;

namespace OpenCIS.Tests.Cli;

/// <summary>
/// `opencis bench fuzz` on a small demo city: mutated files of every format are posted whole or refused naming a line, and a
/// refusal leaves the ledger as it was. The city is a copy of the seeded 100-account one (the harness seeds only an empty
/// database), so the run spends its time on the files.
/// </summary>
public sealed class FuzzCliTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Mutated_files_of_every_format_crash_nothing_post_nothing_partially_and_name_their_fault(TestProvider provider)
    {
        TestDatabases.Require(provider, "fuzz");
        var (database, _) = await TestDatabases.SeededCity100Async(provider);
        await using var owned = database;
        var run = await CliRun.ExecuteAsync(database.Configuration(), "bench", "fuzz", "--files", "96", "--accounts", "100", "--seed", "7");
        Assert.Contains("over 8 formats", run.Output, StringComparison.Ordinal);
        Assert.Contains("RESULT files=96 crashes=0 partial_posts=0 unclear_errors=0", run.Output, StringComparison.Ordinal);
        Assert.Equal(0, run.ExitCode);
    }
}
