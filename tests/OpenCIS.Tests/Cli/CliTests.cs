using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using OpenCIS.Cli;
using OpenCIS.Core.Customers;
using OpenCIS.Tests.Persistence;
using Spectre.Console;

namespace OpenCIS.Tests.Cli;

/// <summary>
/// One SQLite database for the class: migrated and seeded with 20 accounts through the CLI itself. The city is seeded once
/// per test run (<see cref="Template"/>) and each class gets a copy of its file, with what those two commands printed.
/// </summary>
public sealed class CliCityFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public CliRun Migrate { get; private set; } = null!;
    public CliRun Seed { get; private set; } = null!;

    private static readonly Lazy<Task<(string File, CliRun Migrate, CliRun Seed)>> Template = new(async () =>
    {
        // The template's own file, kept for the run and deleted when the test process ends.
        var template = await TestDatabases.CreateAsync(TestProvider.Sqlite, "CLI city template");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => template.DisposeAsync().AsTask().GetAwaiter().GetResult();
        var migrate = await CliRun.ExecuteAsync(template.Configuration(), "db", "migrate");
        var seed = await CliRun.ExecuteAsync(template.Configuration(), "demo", "seed", "--accounts", "20");
        return (new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(template.ConnectionString).DataSource, migrate, seed);
    });

    public async Task InitializeAsync()
    {
        Database = await TestDatabases.CreateAsync(TestProvider.Sqlite, "CLI tests");
        var (file, migrate, seed) = await Template.Value;
        var copy = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(Database.ConnectionString).DataSource;
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            if (File.Exists(file + suffix))
            {
                File.Copy(file + suffix, copy + suffix);
            }
        }

        (Migrate, Seed) = (migrate, seed);
    }

    public Task<CliRun> RunAsync(params string[] args) => CliRun.ExecuteAsync(Database.Configuration(), args);

    public async Task DisposeAsync() => await Database.DisposeAsync();
}

public sealed record CliRun(int ExitCode, string Output)
{
    public static async Task<CliRun> ExecuteAsync(IConfiguration configuration, params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 200;
        var exitCode = await CliApp.RunAsync(args, console, configuration, new FixedClock(FixedClock.DemoToday));
        return new CliRun(exitCode, writer.ToString());
    }
}

public sealed class CliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    [Fact]
    public void Db_migrate_reports_the_schema_version_and_the_migrations_applied()
    {
        Assert.Equal(0, city.Migrate.ExitCode);
        var all = OpenCIS.Storage.SchemaMigrator.All;
        Assert.Contains($"Database (sqlite) at schema version {all[^1].Version}; applied {all.Count} migration(s): 0001 initial, 0002 audit_trail, 0003 metering, 0004 billing_chunks, 0005 corrections, 0006 cycle_schedules, 0007 ach, 0008 suspense, 0009 drawers, 0010 deposits, 0011 refunds_transfers_writeoffs, 0012 mail_batches, 0013 chart_of_accounts, 0014 idempotent_requests, 0015 allocation_dates, 0016 ach_refunds, 0017 one_ach_enrollment, 0018 allocation_priority_type_length, 0019 idempotency_keys_by_user, 0020 jobs", System.Text.RegularExpressions.Regex.Replace(city.Migrate.Output, @"\s+", " "), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Db_migrate_again_applies_nothing()
    {
        var again = await city.RunAsync("db", "migrate");

        Assert.Equal(0, again.ExitCode);
        Assert.Contains($"at schema version {OpenCIS.Storage.SchemaMigrator.LatestVersion}; applied 0 migration(s).", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tariff_export_then_compare_a_proposed_increase_reports_by_class_and_service_and_posts_nothing()
    {
        var exported = await city.RunAsync("tariff", "export", "--code", "W-RES");
        Assert.Equal(0, exported.ExitCode);
        Assert.Contains("code: W-RES", exported.Output, StringComparison.Ordinal);

        // The proposal: the same schedule with the first tier's price (3.286 a thousand gallons since the June increase)
        // raised by a dollar, effective next year: every residential bill with any use costs more under it.
        Assert.Contains("price: 3.286", exported.Output, StringComparison.Ordinal);
        var proposed = TariffYamlFor(exported.Output).Replace("price: 3.286", "price: 4.286", StringComparison.Ordinal);
        proposed = System.Text.RegularExpressions.Regex.Replace(proposed, "effective: .*", "effective: 2027-07-01");
        var path = Path.Combine(Path.GetTempPath(), $"proposed-{Guid.NewGuid():N}.yaml");
        var csv = Path.ChangeExtension(path, ".csv");
        await File.WriteAllTextAsync(path, proposed);
        try
        {
            var billsBefore = await CountAsync("bills");
            var compare = await city.RunAsync("tariff", "compare", "--proposed", path, "--csv", csv);
            Assert.True(compare.ExitCode == 0, compare.Output);
            Assert.Contains("Residential", compare.Output, StringComparison.Ordinal);
            Assert.Contains("bills compared", compare.Output, StringComparison.Ordinal);
            var lines = await File.ReadAllLinesAsync(csv);
            Assert.StartsWith("class,service,bills,average_current,average_proposed,average_change,change_percent", lines[0], StringComparison.Ordinal);
            var residential = lines.Single(l => l.StartsWith("Residential,Water,", StringComparison.Ordinal)).Split(',');
            decimal Field(int index) => decimal.Parse(residential[index], System.Globalization.CultureInfo.InvariantCulture);
            // At most $5.00 more (the first 5,000 gallons), and more on average: the report read the proposal, not the schedule in force.
            Assert.True(Field(5) > 0m && Field(5) <= 5.00m, string.Join(",", residential));
            Assert.Equal(Field(4) - Field(3), Field(5));
            Assert.Equal(billsBefore, await CountAsync("bills"));
        }
        finally
        {
            File.Delete(path);
            File.Delete(csv);
        }
    }

    private static string TariffYamlFor(string output) => output[output.IndexOf("code: W-RES", StringComparison.Ordinal)..];

    private async Task<long> CountAsync(string table)
    {
        await using var db = city.Database.Context();
        return table == "bills" ? await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.LongCountAsync(db.Bills) : 0;
    }

    [Fact]
    public async Task The_billing_register_of_a_run_and_the_days_billing_report_print_their_totals()
    {
        var register = await city.RunAsync("report", "billing-register", "--run", "1");
        Assert.True(register.ExitCode == 0, register.Output);
        Assert.Contains("Billing run #1, cycle C1", register.Output, StringComparison.Ordinal);
        Assert.Contains("Accounts receivable", register.Output, StringComparison.Ordinal);

        var missing = await city.RunAsync("report", "billing-register", "--run", "999999");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("There is no billing run 999999.", missing.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_billing_bills_the_next_month_of_a_cycle_and_ends_with_its_result_line()
    {
        var bench = await city.RunAsync("bench", "billing", "--accounts", "20");
        Assert.True(bench.ExitCode == 0, bench.Output);
        Assert.Matches(@"RESULT bills_per_second=\d+ write_limit_bills_per_second=\d+ ratio=\d+\.\d\d accounts=20 peak_memory_mb=\d+ database=sqlite", bench.Output.Trim().Split('\n')[^1]);
        Assert.Contains("Billed cycle C1 for 2026-12-05:", bench.Output, StringComparison.Ordinal);
        // The month before the run: the last bills paid, the reads imported, the review queue worked.
        Assert.Matches(@"The month's payments on the last bills: [1-9][\d,]* posted", Regex.Replace(bench.Output, @"\s+", " "));
        Assert.Matches(@"The review queue: [\d,]+ suspect reads accepted, [\d,]+ rejected reads estimated", Regex.Replace(bench.Output, @"\s+", " "));
        // The run's one chunk (20 accounts) is written again over one lane.
        Assert.Matches(@"Write limit: the run's [\d,]+ bills and their postings, written again by the same writer over 1 lane into empty copies", Regex.Replace(bench.Output, @"\s+", " "));
        Assert.Matches(@"keeping the indexes costs [\d,]+ µs a bill", Regex.Replace(bench.Output, @"\s+", " "));
    }

    [Fact]
    public void Demo_seed_reports_what_it_created()
    {
        Assert.Equal(0, city.Seed.ExitCode);
        Assert.Contains("Seeded 20 accounts from 2025-11-23 through 2026-11-22: 24 billing runs", city.Seed.Output, StringComparison.Ordinal);
        Assert.Matches(@"in [\d.,]+ s \(peak memory [\d,]+ MB\)\.", city.Seed.Output);
        Assert.Matches(@"Where the time went: accounts [\d.,]+ s, reads [\d.,]+ s, billing [\d.,]+ s, payments [\d.,]+ s, collections [\d.,]+ s, the rest -?[\d.,]+ s\.", city.Seed.Output);
    }

    [Fact]
    public async Task Demo_seed_refuses_a_database_that_already_has_accounts()
    {
        var again = await city.RunAsync("demo", "seed", "--accounts", "5");

        Assert.Equal(CliApp.BadInput, again.ExitCode);
        // The 20 utility accounts and the 10 receivables accounts of the demo's invoiced parties.
        Assert.Contains("already has 30 accounts", again.Output, StringComparison.Ordinal);

        // A history past a year is refused before anything is looked at.
        var longer = await city.RunAsync("demo", "seed", "--accounts", "5", "--months", "13");
        Assert.Equal(CliApp.BadInput, longer.ExitCode);
        Assert.Contains("between 1 and 12 months of history", longer.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adjust_posts_a_small_credit_at_once_and_a_large_one_waits_for_someone_else_to_approve()
    {
        var account = AccountNumbers.Create(5);
        var small = await city.RunAsync("adjust", "--account", account, "--reason-code", "courtesy", "--amount", "10.00", "--note", "Missed pickup");
        var large = await city.RunAsync("adjust", "--account", account, "--reason-code", "BILLING-ERROR", "--amount", "500.00", "--debit", "--note", "Unbilled commercial use");
        var pending = await city.RunAsync("adjustments", "pending");
        var id = System.Text.RegularExpressions.Regex.Match(large.Output, @"Adjustment (\d+)").Groups[1].Value;
        var selfApproval = await city.RunAsync("adjustments", "approve", "--id", id);
        var badRead = await city.RunAsync("bill", "cancel-rebill", "--bill", "1", "--reason", "x", "--read", "W1");

        Assert.Equal(0, small.ExitCode);
        Assert.Contains("posted", small.Output, StringComparison.Ordinal);
        Assert.Equal(0, large.ExitCode);
        Assert.Contains("waits for a Supervisor's approval", large.Output, StringComparison.Ordinal);
        Assert.Contains("BILLING-ERROR", pending.Output, StringComparison.Ordinal);
        Assert.Equal(CliApp.BadInput, selfApproval.ExitCode);
        Assert.Contains("another supervisor", selfApproval.Output, StringComparison.Ordinal);
        Assert.Equal(CliApp.BadInput, badRead.ExitCode);
        Assert.Contains("SERIAL=READING", badRead.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trial_balance_exits_0_and_prints_the_tie_out()
    {
        var run = await city.RunAsync("report", "trial-balance");

        Assert.Equal(CliApp.Ok, run.ExitCode);
        Assert.Contains("Debits equal credits and the control account ties to the sub-ledger to the cent.", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("OUT OF BALANCE", run.Output, StringComparison.Ordinal);
        Assert.Contains("Accounts receivable - utility customers", run.Output, StringComparison.Ordinal);
        Assert.Contains("Water sales", run.Output, StringComparison.Ordinal);
        // The control line and the sub-ledger line print the same amount.
        var control = run.Output.Split('\n').Single(l => l.StartsWith("Receivables control", StringComparison.Ordinal)).Split(':')[1].Trim();
        var subLedger = run.Output.Split('\n').Single(l => l.StartsWith("Customer sub-ledger total", StringComparison.Ordinal)).Split(':')[1].Trim();
        Assert.Equal(control, subLedger);
    }

    [Fact]
    public async Task A_period_trial_balance_writes_csv_and_the_gl_export_writes_both_layouts_balanced()
    {
        var folder = Directory.CreateTempSubdirectory("opencis-reports-cli").FullName;
        try
        {
            var csv = Path.Combine(folder, "tb.csv");
            var xlsx = Path.Combine(folder, "tb.xlsx");
            var trial = await city.RunAsync("report", "trial-balance", "--from", "2026-10-01", "--through", "2026-10-31", "--csv", csv, "--xlsx", xlsx);
            var csvExport = Path.Combine(folder, "gl.csv");
            var glCsv = await city.RunAsync("report", "gl-export", "--from", "2026-10-01", "--through", "2026-10-31", "--format", "csv", "--out", csvExport);
            var fixedExport = Path.Combine(folder, "gl.txt");
            var glFixed = await city.RunAsync("report", "gl-export", "--from", "2026-10-01", "--through", "2026-10-31", "--format", "fixed", "--out", fixedExport);
            var badFormat = await city.RunAsync("report", "gl-export", "--from", "2026-10-01", "--through", "2026-10-31", "--format", "xml", "--out", fixedExport + ".x");
            var noThrough = await city.RunAsync("report", "trial-balance", "--from", "2026-10-01");
            var receipts = await city.RunAsync("report", "cash-receipts", "--from", "2026-10-01", "--through", "2026-10-31");
            var monthly = await city.RunAsync("report", "monthly", "--month", "2026-10");
            var badMonth = await city.RunAsync("report", "monthly", "--month", "2026-13");

            Assert.True(trial.ExitCode == CliApp.Ok, trial.Output);
            Assert.Contains("Trial balance 2026-10-01 through 2026-10-31", trial.Output, StringComparison.Ordinal);
            Assert.Contains("the receivable ties to the sub-ledger", trial.Output, StringComparison.Ordinal);
            var total = (await File.ReadAllLinesAsync(csv))[^1].Split(',');
            Assert.Equal("total", total[0]);
            Assert.Equal(total[5], total[6]); // debits equal credits
            await using (var workbook = File.OpenRead(xlsx))
            {
                var sheet = OpenCIS.UseCases.Reports.ReportWorkbook.Read(workbook, "Trial balance 2026-10");
                Assert.Equal(decimal.Parse(total[5], System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(sheet[^2][5], System.Globalization.CultureInfo.InvariantCulture));
            }

            Assert.True(glCsv.ExitCode == CliApp.Ok, glCsv.Output);
            var lines = (await File.ReadAllLinesAsync(csvExport)).Skip(1).Select(l => l.Split(',')).ToList();
            Assert.NotEmpty(lines);
            Assert.All(lines.GroupBy(l => l[1]), fund => Assert.Equal(fund.Sum(l => decimal.Parse(l[^2], System.Globalization.CultureInfo.InvariantCulture)), fund.Sum(l => decimal.Parse(l[^1], System.Globalization.CultureInfo.InvariantCulture))));
            Assert.True(glFixed.ExitCode == CliApp.Ok, glFixed.Output);
            var records = await File.ReadAllLinesAsync(fixedExport);
            Assert.Equal(lines.Count, records.Length);
            Assert.All(records, r => Assert.Equal(80, r.Length));
            Assert.Equal(CliApp.BadInput, badFormat.ExitCode);
            Assert.Contains("--format", badFormat.Output, StringComparison.Ordinal);
            Assert.Equal(CliApp.BadInput, noThrough.ExitCode);
            Assert.True(receipts.ExitCode == CliApp.Ok, receipts.Output);
            Assert.Contains("Cash receipts 2026-10-01 through 2026-10-31", receipts.Output, StringComparison.Ordinal);
            Assert.True(monthly.ExitCode == CliApp.Ok, monthly.Output);
            Assert.Contains("Water sales", monthly.Output, StringComparison.Ordinal);
            Assert.Equal(CliApp.BadInput, badMonth.ExitCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Gl_set_adds_an_account_to_the_chart_and_gl_priority_puts_a_charge_type_first()
    {
        var added = await city.RunAsync("gl", "set", "4920", "--name", "Reconnection fees", "--fund", "10", "--department", "1510");
        var list = await city.RunAsync("gl", "list");
        var priority = await city.RunAsync("gl", "priority", "DepositCharge", "10");
        var order = await city.RunAsync("gl", "priorities");
        var bad = await city.RunAsync("gl", "set", "4921", "--name", "Nothing", "--fund", "1", "--department", "1510");

        Assert.True(added.ExitCode == CliApp.Ok, added.Output);
        Assert.Contains("10-1510-4920 Reconnection fees (General)", added.Output, StringComparison.Ordinal);
        Assert.Contains("Reconnection fees", list.Output, StringComparison.Ordinal);
        Assert.True(priority.ExitCode == CliApp.Ok, priority.Output);
        Assert.True(order.Output.IndexOf("DepositCharge", StringComparison.Ordinal) < order.Output.IndexOf("Bill ", StringComparison.Ordinal), order.Output);
        Assert.Equal(CliApp.BadInput, bad.ExitCode);
        Assert.Contains("Fund code", bad.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aging_prints_a_total_row()
    {
        var run = await city.RunAsync("report", "aging", "--as-of", "2026-11-22");

        Assert.Equal(CliApp.Ok, run.ExitCode);
        Assert.Contains("Aged receivables as of 2026-11-22", run.Output, StringComparison.Ordinal);
        Assert.Contains("Total", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aging_as_of_a_past_date_writes_detail_csv_and_a_workbook_and_the_benchmark_prints_its_result()
    {
        var folder = Directory.CreateTempSubdirectory("opencis-aging-cli").FullName;
        try
        {
            var csv = Path.Combine(folder, "aging.csv");
            var xlsx = Path.Combine(folder, "aging.xlsx");
            var run = await city.RunAsync("report", "aging", "--as-of", "2026-09-30", "--detail", "--csv", csv, "--xlsx", xlsx);
            var bench = await city.RunAsync("bench", "aging");

            Assert.True(run.ExitCode == CliApp.Ok, run.Output);
            Assert.Contains("Aged receivables as of 2026-09-30 (rebuilt from postings)", run.Output, StringComparison.Ordinal);
            var lines = await File.ReadAllLinesAsync(csv);
            Assert.Equal("account,class,current,days_1_30,days_31_60,days_61_90,over_90,total", lines[0]);
            var total = lines[^1].Split(',');
            Assert.Equal(lines.Skip(1).SkipLast(1).Sum(l => decimal.Parse(l.Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture)), decimal.Parse(total[^1], System.Globalization.CultureInfo.InvariantCulture));
            await using var workbook = File.OpenRead(xlsx);
            var summary = OpenCIS.UseCases.Reports.ReportWorkbook.Read(workbook, "Summary");
            Assert.Equal(total[^1], decimal.Parse(summary[^1][7], System.Globalization.CultureInfo.InvariantCulture).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(bench.ExitCode == CliApp.Ok, bench.Output);
            Assert.Matches(@"RESULT aging_ms=\d+ accounts=20 database=", bench.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Payments_post_with_a_bad_file_exits_1_and_names_line_and_field()
    {
        var path = Path.Combine(Path.GetTempPath(), $"opencis-bad-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, string.Join("\n",
            "account,amount,date,tender,reference",
            $"{AccountNumbers.Create(1)},10.00,2026-11-20,cash,",
            $"{AccountNumbers.Create(2)},ten dollars,2026-11-20,cash,",
            $"{AccountNumbers.Create(3)},10.00,2026-11-20,bitcoin,") + "\n");
        try
        {
            var run = await city.RunAsync("payments", "post", "--file", path);

            Assert.Equal(CliApp.BadInput, run.ExitCode);
            Assert.Contains("line 3, field amount", run.Output, StringComparison.Ordinal);
            Assert.Contains("line 4, field tender", run.Output, StringComparison.Ordinal);
            Assert.Contains("nothing was posted", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Payments_post_with_a_missing_file_exits_1()
    {
        var run = await city.RunAsync("payments", "post", "--file", "/nonexistent/payments.csv");

        Assert.Equal(CliApp.BadInput, run.ExitCode);
        Assert.Contains("does not exist", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bill_run_for_a_completed_run_says_already_completed()
    {
        // Cycle C1 reads on the 5th; the seed billed it on 2026-11-05.
        var run = await city.RunAsync("bill", "run", "--cycle", "C1", "--date", "2026-11-05");

        Assert.Equal(CliApp.Ok, run.ExitCode);
        Assert.Contains("for cycle C1 on 2026-11-05 already completed", run.Output, StringComparison.Ordinal);
        Assert.Contains("nothing was billed again", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bill_run_with_a_bad_date_exits_1_and_says_which_option()
    {
        var run = await city.RunAsync("bill", "run", "--cycle", "C1", "--date", "2026-13-05");

        Assert.Equal(CliApp.BadInput, run.ExitCode);
        Assert.Contains("--date: '2026-13-05' is not a date in the form YYYY-MM-DD.", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bill_run_for_an_unknown_cycle_exits_1()
    {
        var run = await city.RunAsync("bill", "run", "--cycle", "C9", "--date", "2026-11-05");

        Assert.Equal(CliApp.BadInput, run.ExitCode);
        Assert.Contains("There is no billing cycle 'C9'.", run.Output, StringComparison.Ordinal);
    }
}
