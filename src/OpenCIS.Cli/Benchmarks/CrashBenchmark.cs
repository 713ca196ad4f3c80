using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Core.Payments.Ach;
using OpenCIS.Storage;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Metering.Import;
using OpenCIS.UseCases.Payments.Ach;
using OpenCIS.UseCases.Reports;
using Spectre.Console;

namespace OpenCIS.Cli.Benchmarks;

/// <summary>
/// <c>opencis bench crash --trials N</c>: each trial gives one piece of batch work to this same program in a child
/// process, in turn a billing run, a BAI2 lockbox import, an ACH return file and the daily collections run, and kills
/// the child with SIGKILL at a random moment. It then runs the same command again to the end, and once more (which
/// must change nothing), and checks that nothing was posted twice, nothing was lost, and the ledger balances and ties
/// to the sub-ledger. The work is small-chunked with short rests so a kill can land inside it. The last line is
/// <c>RESULT trials=N duplicates=N losses=N unbalanced=N</c>; the target is all zeros.
/// </summary>
public static class CrashBenchmark
{
    private enum Work
    {
        Billing,
        Lockbox,
        AchReturns,
        Collections,
    }

    /// <summary>A trial's work: the command that does it, what it is, and how to check what it left.</summary>
    private sealed record Trial(Work Work, string Label, string[] Arguments, Func<CrashAudit, CancellationToken, Task<WorkCheck>> Check);

    private sealed record ChildRun(int ExitCode, string Output, TimeSpan Elapsed, bool Killed);

    private const int LockboxItems = 40;
    private const int AchReturnsPerFile = 2;
    private static readonly TimeSpan ChildTimeLimit = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(IServiceProvider services, IConfiguration configuration, IAnsiConsole console, int trials, int seed, int accounts, string user, CancellationToken cancellationToken)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            var city = scope.ServiceProvider.GetRequiredService<BenchmarkCity>();
            await BenchmarkPreparation.PrepareCityAsync(city, console, accounts, cancellationToken);
            if (await city.EnsureCollectionPolicyAsync(user, cancellationToken) is { } imported)
            {
                console.WriteLine(imported);
            }

            if (await city.NextCollectionsDateAsync(cancellationToken) is null)
            {
                await CollectionsBenchmark.CatchUpAsync(services, console, scope.ServiceProvider.GetRequiredService<BusinessCalendar>().Today().AddDays(-1), user, cancellationToken);
            }
        }

        var folder = Directory.CreateTempSubdirectory("opencis-crash-");
        var environment = ChildProcesses.Environment(services, configuration);
        var random = new Random(seed);
        // A stamp of this invocation, so the files it makes differ from an earlier one's with the same seed.
        var stamp = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        // When to kill: past most of the child's start-up (learnt from the runs that had nothing left to do), at a
        // uniformly random moment before the whole work usually ends (learnt from the runs that did it all).
        var fullRuns = Enum.GetValues<Work>().ToDictionary(w => w, _ => new List<TimeSpan>());
        var startups = Enum.GetValues<Work>().ToDictionary(w => w, _ => TimeSpan.Zero);
        int duplicates = 0, losses = 0, unbalanced = 0;
        // Where each kill landed, by work: mid-work, before the work changed anything, or after the child finished.
        var landed = Enum.GetValues<Work>().ToDictionary(w => w, _ => new int[3]);
        var notes = new List<string>();
        console.WriteLine($"Crash trials: {trials:N0} (seed {seed}), a billing run, a lockbox file, an ACH return file and a collections run in turn, each killed at a random moment in a child process.");
        try
        {
            await console.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask("trials", maxValue: trials);
                for (var i = 0; i < trials; i++)
                {
                    var work = (Work)(i % 4);
                    Trial trial;
                    await using (var scope = services.CreateAsyncScope())
                    {
                        trial = await PrepareAsync(scope.ServiceProvider, work, i, stamp, folder.FullName, random, user, cancellationToken);
                    }

                    var before = await ProgressAsync(services, cancellationToken);
                    var lead = startups[work] * 0.9;
                    var window = Window(fullRuns[work]);
                    var delay = lead + ((Max(window, lead) - lead) * random.NextDouble());
                    var first = await RunChildAsync(trial.Arguments, environment, delay, cancellationToken);
                    var killedBeforeChange = false;
                    if (!first.Killed)
                    {
                        landed[work][2]++;
                        fullRuns[work].Add(first.Elapsed);
                    }
                    else if (await ProgressAsync(services, cancellationToken) == before)
                    {
                        landed[work][1]++;
                        killedBeforeChange = true;
                    }
                    else
                    {
                        landed[work][0]++;
                    }

                    var second = await RunChildAsync(trial.Arguments, environment, null, cancellationToken);
                    if (killedBeforeChange)
                    {
                        // Nothing was done before the kill: this run did the whole work.
                        fullRuns[work].Add(second.Elapsed);
                    }

                    if (second.ExitCode != 0)
                    {
                        losses++;
                        Note(notes, $"trial {i + 1} ({trial.Label}): the run after the kill failed ({second.ExitCode}): {Last(second.Output)}");
                    }

                    await using (var scope = services.CreateAsyncScope())
                    {
                        var check = await trial.Check(scope.ServiceProvider.GetRequiredService<CrashAudit>(), cancellationToken);
                        duplicates += check.Duplicates;
                        losses += check.Losses + (check.Completed ? 0 : 1);
                        if (!check.Clean)
                        {
                            Note(notes, $"trial {i + 1} ({trial.Label}, killed after {delay.TotalMilliseconds:N0} ms): {check.Detail}; {check.Duplicates} duplicates, {check.Losses} losses{(check.Completed ? "" : ", not completed")}");
                        }
                    }

                    // The same work asked for once more, finished: nothing changes.
                    var finished = await FingerprintAsync(services, cancellationToken);
                    var third = await RunChildAsync(trial.Arguments, environment, null, cancellationToken);
                    startups[work] = startups[work] == TimeSpan.Zero || third.Elapsed < startups[work] ? third.Elapsed : startups[work];
                    if (await FingerprintAsync(services, cancellationToken) != finished)
                    {
                        duplicates++;
                        Note(notes, $"trial {i + 1} ({trial.Label}): running the finished work again changed the books: {Last(third.Output)}");
                    }

                    await using (var scope = services.CreateAsyncScope())
                    {
                        var summary = await scope.ServiceProvider.GetRequiredService<DatabaseSummary>().ExecuteAsync(cancellationToken);
                        if (!summary.Balances || !summary.TiesOut)
                        {
                            unbalanced++;
                            Note(notes, $"trial {i + 1} ({trial.Label}): the trial balance {(summary.Balances ? "balances" : "does not balance")} and {(summary.TiesOut ? "ties" : "does not tie")} to the sub-ledger");
                        }
                    }

                    task.Increment(1);
                }
            });
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        foreach (var note in notes)
        {
            console.WriteLine(note);
        }

        var table = new Table().AddColumns("work", "killed mid-work", "killed before any change", "finished before the kill");
        foreach (var (work, counts) in landed)
        {
            table.AddRow(Words(work), counts[0].ToString("N0", CultureInfo.InvariantCulture), counts[1].ToString("N0", CultureInfo.InvariantCulture), counts[2].ToString("N0", CultureInfo.InvariantCulture));
        }

        console.Write(table);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT trials={trials} duplicates={duplicates} losses={losses} unbalanced={unbalanced}"));
        return duplicates + losses + unbalanced == 0 ? CliApp.Ok : CliApp.OutOfBalance;
    }

    private static async Task<Trial> PrepareAsync(IServiceProvider services, Work work, int index, string stamp, string folder, Random random, string user, CancellationToken cancellationToken)
    {
        var audit = services.GetRequiredService<CrashAudit>();
        var city = services.GetRequiredService<BenchmarkCity>();
        var today = services.GetRequiredService<BusinessCalendar>().Today();
        switch (work)
        {
            case Work.Billing:
            {
                // The cycles in turn, each billed for the month after its last run, its meters given that month's reads.
                var cycles = await audit.BilledCyclesAsync(cancellationToken);
                if (cycles.Count == 0)
                {
                    throw new DomainException("The demo city has never been billed; prepare it with `demo seed` first.", "cycle");
                }

                var (cycle, lastRun) = cycles[index / 4 % cycles.Count];
                var businessDate = lastRun.AddMonths(1);
                var reads = await city.NextMonthReadsAsync(cycle, businessDate.AddDays(-1), cancellationToken);
                var imported = await services.GetRequiredService<ImportReads>().ExecuteAsync($"crash-{stamp}-{cycle}-{businessDate:yyyyMMdd}.csv", reads, ReadFileFormat.Csv, null, user, cancellationToken);
                if (!imported.Posted && !imported.AlreadyPosted)
                {
                    throw new DomainException($"The reads for cycle {cycle} were refused: {imported.Message}", "reads");
                }

                return new Trial(work, $"billing cycle {cycle} for {businessDate:yyyy-MM-dd}",
                    ["bill", "run", "--cycle", cycle, "--date", Iso(businessDate), "--chunk-size", "2", "--workers", "1", "--pause-ms", "30"],
                    (a, ct) => a.BillingRunAsync(cycle, businessDate, ct));
            }

            case Work.Lockbox:
            {
                var payers = (await city.PayersAsync(cancellationToken)).Where(p => p.OpenCents > 0).OrderBy(_ => random.Next()).Take(LockboxItems).ToList();
                var references = payers.Select((_, i) => $"CR{stamp}T{index:D4}N{i:D3}").ToList();
                var items = payers.Select((p, i) => new Bai2Item(Money.FromCents(Math.Clamp(p.OpenCents, 100, 20_000) - random.Next(0, 100)), p.AccountNumber, references[i])).ToList();
                var text = Bai2Writer.Write("121000248", "RIVERBEND", today.ToDateTime(new TimeOnly(6, 0)), $"{stamp}{index}", today, [new Bai2Account("5550001", items)]);
                var bytes = Encoding.ASCII.GetBytes(text);
                var path = Path.Combine(folder, $"lockbox-{index:D4}.bai");
                await File.WriteAllBytesAsync(path, bytes, cancellationToken);
                var sha256 = Convert.ToHexString(SHA256.HashData(bytes));
                return new Trial(work, $"lockbox file of {items.Count} checks",
                    ["payments", "import", "--format", "bai2", "--file", path, "--chunk-size", "2", "--pause-ms", "30"],
                    (a, ct) => a.LockboxFileAsync(sha256, references, ct));
            }

            case Work.AchReturns:
            {
                // Debits not yet returned; when the files on hand are used up, the next ACH file the bills call for.
                var returnable = await audit.ReturnableAchAsync(AchReturnsPerFile, cancellationToken);
                var from = today.AddDays(1);
                while (returnable is null)
                {
                    var last = await audit.LastAchSettlementAsync(cancellationToken);
                    from = last is { } settled && settled >= from ? settled.AddDays(1) : from;
                    var due = await city.NextAchDueDateAsync(from, cancellationToken)
                        ?? throw new DomainException("No bill of an account paying by ACH is coming due: nothing to debit and return.", "ach");
                    await services.GetRequiredService<GenerateAchFile>().ExecuteAsync(due, user, cancellationToken);
                    from = due.AddDays(1);
                    returnable = await audit.ReturnableAchAsync(AchReturnsPerFile, cancellationToken);
                }

                var debits = NachaReader.Read(returnable.DebitFile).File
                    ?? throw new DomainException("The ACH debit file on record does not read back.", "ach");
                var traces = returnable.TraceNumbers;
                var returnDate = returnable.SettlementDate > today ? returnable.SettlementDate : today;
                var path = Path.Combine(folder, $"returns-{index:D4}.ach");
                await File.WriteAllTextAsync(path, NachaWriter.Write(AchReturnFile.For(debits, [.. traces.Select(t => (t, "R01"))], returnDate)), Encoding.ASCII, cancellationToken);
                return new Trial(work, $"ACH return file of {traces.Count} debits",
                    ["ach", "returns", "--file", path],
                    (a, ct) => a.AchReturnsAsync(traces, ct));
            }

            default:
            {
                var businessDate = await audit.NextCollectionsDateAsync(cancellationToken) ?? today;
                return new Trial(work, $"collections run for {businessDate:yyyy-MM-dd}",
                    ["collections", "run", "--date", Iso(businessDate), "--chunk-size", "4", "--workers", "1", "--pause-ms", "30"],
                    (a, ct) => a.CollectionRunAsync(businessDate, ct));
            }
        }
    }

    /// <summary>
    /// Runs this program with <paramref name="arguments"/> in a child process; with a <paramref name="killAfter"/>, kills
    /// it (SIGKILL, the whole tree) if it is still running then.
    /// </summary>
    private static async Task<ChildRun> RunChildAsync(string[] arguments, IReadOnlyDictionary<string, string> environment, TimeSpan? killAfter, CancellationToken cancellationToken)
    {
        var start = ChildProcesses.StartInfo(arguments, environment);

        var clock = Stopwatch.StartNew();
        using var child = Process.Start(start) ?? throw new InvalidOperationException("The child process did not start.");
        var output = child.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = child.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(killAfter ?? ChildTimeLimit);
        var killed = false;
        try
        {
            await child.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                child.Kill(entireProcessTree: true);
                killed = true;
            }
            catch (InvalidOperationException)
            {
                // It ended on its own at that very moment: not a kill.
            }

            await child.WaitForExitAsync(CancellationToken.None);
        }

        var elapsed = clock.Elapsed;
        var text = await output + await errors;
        if (killed && killAfter is null)
        {
            return new ChildRun(-1, $"still running after {ChildTimeLimit.TotalMinutes:N0} minutes: {text}", elapsed, Killed: true);
        }

        return new ChildRun(killed ? -1 : child.ExitCode, text, elapsed, killed);
    }

    private static async Task<string> FingerprintAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CrashAudit>().FingerprintAsync(cancellationToken);
    }

    private static string Words(Work work) => work switch
    {
        Work.Billing => "billing run",
        Work.Lockbox => "lockbox import",
        Work.AchReturns => "ACH return file",
        _ => "collections run",
    };

    private static async Task<string> ProgressAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CrashAudit>().ProgressAsync(cancellationToken);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>How long the whole work usually takes, a little over the median of the runs that did it all (3 s before any has).</summary>
    private static TimeSpan Window(List<TimeSpan> fullRuns) =>
        fullRuns.Count == 0 ? TimeSpan.FromSeconds(3) : fullRuns.Order().ElementAt(fullRuns.Count / 2) * 1.1;

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The child's last lines (where its errors and outcome are), on one line.</summary>
    private static string Last(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } lines
            ? string.Join(" | ", lines.TakeLast(4))
            : "(no output)";

    private static void Note(List<string> notes, string text)
    {
        if (notes.Count < 20)
        {
            notes.Add(text);
        }
    }
}
