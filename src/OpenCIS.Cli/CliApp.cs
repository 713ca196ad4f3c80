using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Demo;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;
using OpenCIS.UseCases.Metering.Import;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Reports;
using OpenCIS.Storage;
using Spectre.Console;
using OpenCIS.UseCases;

namespace OpenCIS.Cli;

/// <summary>
/// The <c>opencis</c> command line for batch work. Every command calls the same workflows as the
/// web host. Exit codes: 0 done, 1 bad input (nothing posted), 2 the books do not tie out.
/// </summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int BadInput = 1;
    public const int OutOfBalance = 2;

    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, IConfiguration? configuration = null, TimeProvider? clock = null)
    {
        configuration ??= new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var user = $"cli:{Environment.UserName}";

        ServiceProvider Services()
        {
            var services = new ServiceCollection();
            if (clock is not null)
            {
                services.AddSingleton(clock);
            }

            services.AddOpenCisUseCases(configuration);
            return services.BuildServiceProvider();
        }

        async Task<int> WithServices(Func<IServiceProvider, Task<int>> action)
        {
            await using var provider = Services();
            await using var scope = provider.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<SchemaMigrator>().MigrateAsync();
                return await action(scope.ServiceProvider);
            }
            catch (DomainException exception)
            {
                console.MarkupLineInterpolated($"[red]{exception.Message}[/]");
                return BadInput;
            }
        }

        var root = new RootCommand("OpenCIS batch work: database, demo data, billing runs, payment files and reports.");

        var db = new Command("db", "Database schema.");
        var migrate = new Command("migrate", "Create the database or upgrade it in place to the latest schema, keeping its data.");
        migrate.SetAction(async (_, cancellationToken) =>
        {
            await using var provider = Services();
            await using var scope = provider.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<SchemaMigrator>().MigrateAsync(null, cancellationToken);
            var settings = scope.ServiceProvider.GetRequiredService<DatabaseSettings>();
            console.MarkupLineInterpolated($"Database ({settings.Describe()}) at schema version [bold]{result.ToVersion}[/]; applied {result.Applied.Count} migration(s){(result.Applied.Count > 0 ? ": " + string.Join(", ", result.Applied.Select(m => $"{m.Version:D4} {m.Name}")) : ".")}");
            return Ok;
        });
        var providerOption = new Option<string>("--provider") { Description = "sqlite or postgres", DefaultValueFactory = _ => "sqlite" };
        providerOption.AcceptOnlyFromAmong("sqlite", "postgres");
        var script = new Command("script", "Print the CREATE script of the current EF model (an aid for writing a new migration by hand).") { providerOption };
        script.SetAction(parse =>
        {
            var settings = parse.GetValue(providerOption) == "postgres"
                ? DatabaseSettings.FromConnectionString("Host=localhost;Database=opencis_script")
                : DatabaseSettings.FromConnectionString("Data Source=:memory:");
            Console.Out.Write(settings.CreateScript());
            return Ok;
        });
        db.Add(migrate);
        db.Add(script);
        root.Add(db);

        var demo = new Command("demo", "The demo city.");
        var accountsOption = new Option<int>("--accounts") { Description = "How many accounts", DefaultValueFactory = _ => 2000 };
        var seed = new Command("seed", "Create the City of Riverbend: accounts, meters, a year of reads, bills and payments.") { accountsOption };
        seed.SetAction((parse, cancellationToken) => WithServices(async services =>
        {
            var count = parse.GetValue(accountsOption);
            DemoSeedOutcome? outcome = null;
            await console.Status().StartAsync("Seeding the demo city", async context =>
            {
                var progress = new Progress<string>(message => context.Status(message));
                outcome = await services.GetRequiredService<SeedDemoCity>().ExecuteAsync(count, progress, cancellationToken);
            });
            console.MarkupLineInterpolated($"Seeded {outcome!.Accounts:N0} accounts from {outcome.From:yyyy-MM-dd} through {outcome.Through:yyyy-MM-dd}: {outcome.BillingRuns} billing runs, {outcome.Bills:N0} bills, {outcome.Exceptions:N0} exceptions, {outcome.Payments:N0} payments in {outcome.Elapsed.TotalSeconds:N1} s.");
            return Ok;
        }));
        demo.Add(seed);
        root.Add(demo);

        var bill = new Command("bill", "Billing.");
        var cycleOption = new Option<string>("--cycle") { Description = "Billing cycle code, e.g. C1", Required = true };
        var dateOption = new Option<string>("--date") { Description = "Business date, YYYY-MM-DD", Required = true };
        var chunkOption = new Option<int>("--chunk-size") { Description = "Accounts per committed chunk (a crash loses at most one chunk's work, and a restart resumes after the last committed chunk)", DefaultValueFactory = _ => RunBilling.DefaultChunkSize };
        var workersOption = new Option<int>("--workers") { Description = "Lanes in this process, each billing one chunk at a time on its own connection; on PostgreSQL more processes may join the same run", DefaultValueFactory = _ => RunBilling.DefaultWorkers };
        var pauseOption = new Option<int>("--pause-ms") { Description = "Milliseconds each lane rests after each chunk, to leave the database room for online work", DefaultValueFactory = _ => 0 };
        var run = new Command("run", "Run billing for a cycle on a business date (again: nothing changes; after a crash: resumes; on PostgreSQL, run it in several processes to share the work).") { cycleOption, dateOption, chunkOption, workersOption, pauseOption };
        run.SetAction((parse, cancellationToken) => WithServices(async services =>
        {
            var date = ParseDate(parse.GetValue(dateOption)!, "--date");
            BillingRunOutcome? outcome = null;
            await console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"Billing cycle {parse.GetValue(cycleOption)} for {date:yyyy-MM-dd}", maxValue: 1);
                    var progress = new SynchronousProgress<BillingProgress>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                    });
                    var billing = services.GetRequiredService<RunBilling>();
                    billing.ChunkSize = parse.GetValue(chunkOption) is var size and > 0 ? size : throw new DomainException("--chunk-size must be at least 1.", "--chunk-size");
                    billing.Workers = parse.GetValue(workersOption) is var workers and > 0 ? workers : throw new DomainException("--workers must be at least 1.", "--workers");
                    billing.PauseBetweenChunks = TimeSpan.FromMilliseconds(parse.GetValue(pauseOption) is var pause and >= 0 ? pause : throw new DomainException("--pause-ms cannot be negative.", "--pause-ms"));
                    outcome = await billing.ExecuteAsync(parse.GetValue(cycleOption)!, date, user, progress, cancellationToken);
                    task.Value = task.MaxValue;
                });
            console.WriteLine(outcome!.Message);
            var exceptions = await services.GetRequiredService<BillingQueries>().ExceptionsAsync(outcome.RunId, cancellationToken);
            if (exceptions.Count > 0)
            {
                var table = new Table().AddColumns("Account", "Reason");
                foreach (var exception in exceptions.Take(50))
                {
                    table.AddRow(Markup.Escape(exception.AccountNumber), Markup.Escape(exception.Reason));
                }

                console.Write(table);
                if (exceptions.Count > 50)
                {
                    console.WriteLine($"... and {exceptions.Count - 50} more exceptions.");
                }
            }

            return Ok;
        }));
        bill.Add(run);
        BillDocumentCommands.AddTo(bill, console, WithServices);
        CorrectionCommands.AddTo(bill, root, console, WithServices, user);
        root.Add(bill);
        CycleCommands.AddTo(root, console, WithServices, user);
        LedgerCommands.AddTo(root, console, WithServices, user);
        ReceivablesCommands.AddTo(root, console, WithServices, user);

        var payments = new Command("payments", "Payments.");
        var fileOption = new Option<FileInfo>("--file") { Description = "CSV file: account,amount,date,tender,reference", Required = true };
        var post = new Command("post", "Post a CSV payment file; a bad file posts nothing, the same file twice posts once.") { fileOption };
        post.SetAction((parse, cancellationToken) => WithServices(async services =>
        {
            var file = parse.GetValue(fileOption)!;
            if (!file.Exists)
            {
                console.MarkupLineInterpolated($"[red]{file.FullName} does not exist.[/]");
                return BadInput;
            }

            var outcome = await services.GetRequiredService<PostPaymentFile>().ExecuteAsync(file.Name, await File.ReadAllBytesAsync(file.FullName, cancellationToken), user, cancellationToken);
            foreach (var error in outcome.Errors)
            {
                console.MarkupLineInterpolated($"[red]{error.ToString()}[/]");
            }

            console.WriteLine(outcome.Message);
            return outcome.Errors.Count > 0 ? BadInput : Ok;
        }));
        payments.Add(post);
        var lockboxFormatOption = new Option<string>("--format") { Description = "bai2 or csv", Required = true };
        var lockboxFileOption = new Option<FileInfo>("--file") { Description = "A lockbox file: BAI2, or CSV (account,amount,date,tender,reference)", Required = true };
        var lockboxChunkOption = new Option<int>("--chunk-size") { Description = "Payments posted per transaction", DefaultValueFactory = _ => ImportLockbox.DefaultChunkSize };
        var lockboxPauseOption = new Option<int>("--pause-ms") { Description = "Milliseconds to rest after each chunk, to leave the database room for online work", DefaultValueFactory = _ => 0 };
        var lockboxImport = new Command("import", "Import a lockbox file; a bad file posts nothing, unknown accounts go to suspense, the same file twice posts once, a re-run resumes.") { lockboxFormatOption, lockboxFileOption, lockboxChunkOption, lockboxPauseOption };
        lockboxImport.SetAction((parse, cancellationToken) => WithServices(async services =>
        {
            var file = parse.GetValue(lockboxFileOption)!;
            LockboxFormat? format = parse.GetValue(lockboxFormatOption)?.ToLowerInvariant() switch { "bai2" => LockboxFormat.Bai2, "csv" => LockboxFormat.Csv, _ => null };
            if (format is null)
            {
                console.MarkupLine("[red]--format is bai2 or csv.[/]");
                return BadInput;
            }

            if (!file.Exists)
            {
                console.MarkupLineInterpolated($"[red]{file.FullName} does not exist.[/]");
                return BadInput;
            }

            var lockbox = services.GetRequiredService<ImportLockbox>();
            lockbox.ChunkSize = parse.GetValue(lockboxChunkOption) is var size and >= 1 and <= 100_000 ? size : throw new DomainException("--chunk-size is 1 to 100,000.", "--chunk-size");
            lockbox.PauseBetweenChunks = TimeSpan.FromMilliseconds(parse.GetValue(lockboxPauseOption) is var pause and >= 0 ? pause : throw new DomainException("--pause-ms cannot be negative.", "--pause-ms"));
            var outcome = await lockbox.ExecuteAsync(format.Value, file.Name, await File.ReadAllBytesAsync(file.FullName, cancellationToken), user, cancellationToken);
            foreach (var error in outcome.Errors)
            {
                console.MarkupLineInterpolated($"[red]{error.ToString()}[/]");
            }

            console.WriteLine(outcome.Message);
            return outcome.Errors.Count > 0 ? BadInput : Ok;
        }));
        payments.Add(lockboxImport);
        PaymentReturnCommands.AddTo(payments, console, WithServices, user);
        root.Add(payments);
        AchCommands.AddTo(root, console, WithServices, user);

        var reads = new Command("reads", "Meter reads.");
        var formatOption = new Option<string>("--format") { Description = "csv or greenbutton", DefaultValueFactory = _ => "csv" };
        formatOption.AcceptOnlyFromAmong("csv", "greenbutton");
        var readFileOption = new Option<FileInfo>("--file") { Description = "The read file", Required = true };
        var import = new Command("import", "Import a read file: every line checked first, then validated; suspect and rejected reads go to the review queue.") { formatOption, readFileOption };
        import.SetAction((parse, cancellationToken) => WithServices(async services =>
        {
            var file = parse.GetValue(readFileOption)!;
            if (!file.Exists)
            {
                console.MarkupLineInterpolated($"[red]{file.FullName} does not exist.[/]");
                return BadInput;
            }

            var format = parse.GetValue(formatOption) == "greenbutton" ? ReadFileFormat.GreenButton : ReadFileFormat.Csv;
            var outcome = await services.GetRequiredService<ImportReads>().ExecuteAsync(file.Name, await File.ReadAllBytesAsync(file.FullName, cancellationToken), format, null, user, cancellationToken);
            foreach (var error in outcome.Errors.Take(200))
            {
                console.MarkupLineInterpolated($"[red]{error.ToString()}[/]");
            }

            if (outcome.Errors.Count > 200)
            {
                console.WriteLine($"... and {outcome.Errors.Count - 200} more errors.");
            }

            console.WriteLine(outcome.Message);
            return outcome.Errors.Count > 0 ? BadInput : Ok;
        }));
        var validateCycleOption = new Option<string>("--cycle") { Description = "Billing cycle code", Required = true };
        var validateDateOption = new Option<string>("--date") { Description = "Business date, YYYY-MM-DD", Required = true };
        var validate = new Command("validate", "Validate again the unreviewed reads of a cycle's read window for a business date.") { validateCycleOption, validateDateOption };
        validate.SetAction((parse, cancellationToken) => WithServices(async services =>
        {
            var outcome = await services.GetRequiredService<RevalidateReads>().ExecuteAsync(parse.GetValue(validateCycleOption)!, ParseDate(parse.GetValue(validateDateOption)!, "--date"), user, cancellationToken);
            console.WriteLine(outcome.Message);
            return Ok;
        }));
        var routeOption = new Option<string>("--route") { Description = "Route code, e.g. C1-R3", Required = true };
        var outOption = new Option<FileInfo?>("--out") { Description = "Write the sheet here (default: standard output)" };
        var export = new Command("export-route", "Export a route's read sheet in route order (CSV the import accepts back).") { routeOption, outOption };
        export.SetAction((parse, cancellationToken) => WithServices(async services =>
        {
            var stops = await services.GetRequiredService<RouteSheets>().StopsAsync(parse.GetValue(routeOption)!, null, cancellationToken);
            if (stops.Count == 0)
            {
                console.MarkupLineInterpolated($"[red]Route {parse.GetValue(routeOption)} has no active metered accounts.[/]");
                return BadInput;
            }

            var csv = RouteSheets.ToCsv(stops);
            if (parse.GetValue(outOption) is { } outFile)
            {
                await File.WriteAllTextAsync(outFile.FullName, csv, cancellationToken);
                console.WriteLine($"Wrote {stops.Count:N0} stops of route {parse.GetValue(routeOption)} to {outFile.FullName}.");
            }
            else
            {
                Console.Out.Write(csv);
            }

            return Ok;
        }));
        reads.Add(import);
        reads.Add(validate);
        reads.Add(export);
        root.Add(reads);

        root.Add(TariffCommands.Build(console, configuration, WithServices, user));

        var bench = new Command("bench", "Benchmarks that print their figures; the last line is RESULT ...");
        var readsCountOption = new Option<int>("--reads") { Description = "How many reads to generate and import", DefaultValueFactory = _ => 1_000_000 };
        var benchReads = new Command("reads", "Generate a read file for the demo city, import and validate it, and print reads per second and peak memory.") { readsCountOption };
        benchReads.SetAction((parse, cancellationToken) => WithServices(services => ReadBenchmark.RunAsync(services, console, parse.GetValue(readsCountOption), user, cancellationToken)));
        bench.Add(benchReads);
        var benchAccountsOption = new Option<int>("--accounts") { Description = "The size of the demo city to prepare when the database is empty", DefaultValueFactory = _ => 100_000 };
        var benchWorkersOption = new Option<int>("--workers") { Description = "Lanes billing chunks side by side", DefaultValueFactory = _ => RunBilling.DefaultWorkers };
        var benchChunkOption = new Option<int>("--chunk-size") { Description = "Accounts per chunk", DefaultValueFactory = _ => RunBilling.DefaultChunkSize };
        var benchBilling = new Command("billing", "Bill one cycle of the demo city end to end (preparing the city if the database is empty) and print bills per second and peak memory.") { benchAccountsOption, benchWorkersOption, benchChunkOption };
        benchBilling.SetAction((parse, cancellationToken) => WithServices(services =>
        {
            var billing = services.GetRequiredService<RunBilling>();
            billing.Workers = Math.Max(1, parse.GetValue(benchWorkersOption));
            billing.ChunkSize = Math.Max(1, parse.GetValue(benchChunkOption));
            return BillingBenchmark.RunAsync(services, console, parse.GetValue(benchAccountsOption), user, cancellationToken);
        }));
        bench.Add(benchBilling);
        var benchPaymentsOption = new Option<int>("--payments") { Description = "Checks in the generated lockbox file", DefaultValueFactory = _ => 200_000 };
        var benchCityOption = new Option<int>("--accounts") { Description = "The size of the demo city to prepare when the database is empty", DefaultValueFactory = _ => 2_000 };
        var benchPayments = new Command("payments", "Generate a BAI2 lockbox file paying the demo city's balances, import and post it, and print payments per second and peak memory.") { benchPaymentsOption, benchCityOption };
        benchPayments.SetAction((parse, cancellationToken) => WithServices(services =>
            PaymentBenchmark.RunAsync(services, console, parse.GetValue(benchPaymentsOption), parse.GetValue(benchCityOption), user, cancellationToken)));
        bench.Add(benchPayments);
        var benchAgingAsOfOption = new Option<string?>("--as-of") { Description = "Age as of this date (default: the business date), YYYY-MM-DD" };
        var benchAging = new Command("aging", "Time the aging report, summary and detail, on the database as it is (no seeding).") { benchAgingAsOfOption };
        benchAging.SetAction((parse, cancellationToken) => WithServices(services =>
            AgingBenchmark.RunAsync(services, console,
                parse.GetValue(benchAgingAsOfOption) is { } text ? ParseDate(text, "--as-of") : services.GetRequiredService<OpenCIS.UseCases.BusinessCalendar>().Today(),
                cancellationToken)));
        bench.Add(benchAging);
        root.Add(bench);

        var report = new Command("report", "Reports.");
        var asOfOption = new Option<string?>("--as-of") { Description = "Age as of this date (default today), YYYY-MM-DD" };
        var agingDetailOption = new Option<bool>("--detail") { Description = "One row per account with a balance" };
        var agingCsvOption = new Option<FileInfo?>("--csv") { Description = "Also write the report as CSV here" };
        var agingXlsxOption = new Option<FileInfo?>("--xlsx") { Description = "Also write a workbook (summary and detail sheets) here" };
        var aging = new Command("aging", "Aged receivables by days past due (current, 1-30, 31-60, 61-90, 90+) by account class, as of any date.") { asOfOption, agingDetailOption, agingCsvOption, agingXlsxOption };
        aging.SetAction((parse, cancellationToken) => WithServices(async services =>
        {
            var asOf = parse.GetValue(asOfOption) is { } text ? ParseDate(text, "--as-of") : services.GetRequiredService<OpenCIS.UseCases.BusinessCalendar>().Today();
            var detail = parse.GetValue(agingDetailOption);
            var xlsx = parse.GetValue(agingXlsxOption);
            var result = await services.GetRequiredService<ReceivablesAging>().RunAsync(asOf, detail || xlsx is not null, cancellationToken);
            var table = new Table().Title($"Aged receivables as of {asOf:yyyy-MM-dd}{(result.FromHistory ? " (rebuilt from postings)" : "")}").AddColumns("Class", "Accounts", "Current", "1-30", "31-60", "61-90", "90+", "Total");
            foreach (var column in table.Columns.Skip(1))
            {
                column.RightAligned();
            }

            foreach (var row in result.ByClass)
            {
                table.AddRow([row.Class, row.Accounts.ToString("N0", CultureInfo.InvariantCulture), .. Cells(row.Buckets)]);
            }

            table.AddRow(["[bold]Total[/]", result.AccountCount.ToString("N0", CultureInfo.InvariantCulture), .. Cells(result.Totals)]);
            console.Write(table);
            if (detail)
            {
                var accounts = new Table().AddColumns("Account", "Class", "Current", "1-30", "31-60", "61-90", "90+", "Total");
                foreach (var row in result.Accounts)
                {
                    accounts.AddRow([row.AccountNumber, row.Class, .. Cells(row.Buckets)]);
                }

                console.Write(accounts);
            }

            if (parse.GetValue(agingCsvOption) is { } csv)
            {
                await File.WriteAllTextAsync(csv.FullName, ReceivablesAging.Csv(detail ? result : result with { Accounts = [] }), cancellationToken);
                console.WriteLine($"Wrote {csv.FullName}.");
            }

            if (xlsx is not null)
            {
                await File.WriteAllBytesAsync(xlsx.FullName, ReportWorkbook.Aging(result), cancellationToken);
                console.WriteLine($"Wrote {xlsx.FullName}.");
            }

            return Ok;
        }));
        var throughOption = new Option<string?>("--through") { Description = "Include postings through this date, YYYY-MM-DD (default: all)" };
        var fromOption = new Option<string?>("--from") { Description = "First day of the period, YYYY-MM-DD: gives opening balances, debits, credits and closing balances" };
        var trialCsvOption = new Option<FileInfo?>("--csv") { Description = "Also write the period trial balance as CSV here" };
        var trialXlsxOption = new Option<FileInfo?>("--xlsx") { Description = "Also write the period trial balance as a workbook here" };
        var trialBalance = new Command("trial-balance", "Trial balance by GL account, tied to the customer sub-ledger.") { fromOption, throughOption, trialCsvOption, trialXlsxOption };
        trialBalance.SetAction((parse, cancellationToken) => WithServices(async services =>
        {
            if (parse.GetValue(fromOption) is { } fromText)
            {
                var periodThrough = parse.GetValue(throughOption) is { } last ? ParseDate(last, "--through") : throw new DomainException("--through is required with --from.", "--through");
                var period = await services.GetRequiredService<LedgerReports>().PeriodTrialBalanceAsync(ParseDate(fromText, "--from"), periodThrough, cancellationToken);
                var periodTable = new Table().Title($"Trial balance {period.From:yyyy-MM-dd} through {period.Through:yyyy-MM-dd}").AddColumns("GL account", "Name", "Fund", "Dept", "Opening", "Debits", "Credits", "Closing");
                foreach (var column in periodTable.Columns.Skip(4))
                {
                    column.RightAligned();
                }

                foreach (var row in period.Rows)
                {
                    periodTable.AddRow(row.GlAccount, Markup.Escape(row.Name), row.Fund, row.Department, row.Opening.ToString(), row.Debits.ToString(), row.Credits.ToString(), row.Closing.ToString());
                }

                periodTable.AddRow("", "[bold]Total[/]", "", "", period.TotalOpening.ToString(), period.TotalDebits.ToString(), period.TotalCredits.ToString(), period.TotalClosing.ToString());
                console.Write(periodTable);
                console.WriteLine($"Receivables closing (GL {Core.Ledger.GlAccounts.AccountsReceivable}): {period.ReceivableClosing}");
                console.WriteLine($"Customer sub-ledger at {period.Through:yyyy-MM-dd}:      {period.SubLedgerAtClose}");
                if (parse.GetValue(trialCsvOption) is { } periodCsv)
                {
                    await File.WriteAllTextAsync(periodCsv.FullName, LedgerReports.PeriodTrialBalanceCsv(period), cancellationToken);
                    console.WriteLine($"Wrote {periodCsv.FullName}.");
                }

                if (parse.GetValue(trialXlsxOption) is { } periodXlsx)
                {
                    await File.WriteAllBytesAsync(periodXlsx.FullName, ReportWorkbook.TrialBalance(period), cancellationToken);
                    console.WriteLine($"Wrote {periodXlsx.FullName}.");
                }

                var periodTied = period.Balances && period.TiesToSubLedger;
                console.MarkupLine(periodTied ? "[green]Debits equal credits and the receivable ties to the sub-ledger to the cent.[/]" : "[red]OUT OF BALANCE.[/]");
                return periodTied ? Ok : OutOfBalance;
            }

            var through = parse.GetValue(throughOption) is { } text ? ParseDate(text, "--through") : (DateOnly?)null;
            var result = await services.GetRequiredService<LedgerReports>().TrialBalanceAsync(through, cancellationToken);
            var table = new Table().Title(through is null ? "Trial balance" : $"Trial balance through {through:yyyy-MM-dd}").AddColumns("GL account", "Name", "Debits", "Credits", "Balance");
            table.Columns[2].RightAligned();
            table.Columns[3].RightAligned();
            table.Columns[4].RightAligned();
            foreach (var row in result.Rows)
            {
                table.AddRow(row.GlAccount, Markup.Escape(row.Name), row.Debits.ToString(), row.Credits.ToString(), row.Balance.ToString());
            }

            table.AddRow("", "[bold]Total[/]", result.TotalDebits.ToString(), result.TotalCredits.ToString(), (result.TotalDebits - result.TotalCredits).ToString());
            console.Write(table);
            console.WriteLine($"Receivables control (GL {Core.Ledger.GlAccounts.AccountsReceivable}): {result.ReceivableControl}");
            console.WriteLine($"Customer sub-ledger total:          {result.SubLedgerTotal}");
            var tied = result.Balances && result.TiesToSubLedger;
            console.MarkupLine(tied ? "[green]Debits equal credits and the control account ties to the sub-ledger to the cent.[/]" : "[red]OUT OF BALANCE.[/]");
            return tied ? Ok : OutOfBalance;
        }));
        var runOption = new Option<long>("--run") { Description = "The billing run's number", Required = true };
        var registerCsvOption = new Option<FileInfo?>("--csv") { Description = "Also write the run's bills as CSV here" };
        var billingRegister = new Command("billing-register", "A billing run's register: bills and amounts by service, postings by GL account.") { runOption, registerCsvOption };
        billingRegister.SetAction((parse, cancellationToken) => WithServices(async services =>
        {
            var register = await services.GetRequiredService<BillingReports>().RegisterAsync(parse.GetValue(runOption), cancellationToken)
                ?? throw new DomainException($"There is no billing run {parse.GetValue(runOption)}.", "--run");
            var byService = new Table().Title($"Billing run #{register.Run.RunId}, cycle {register.Run.CycleCode}, {register.Run.BusinessDate:yyyy-MM-dd}").AddColumns("Service", "Bills", "Billed");
            foreach (var service in register.ByService)
            {
                byService.AddRow(service.Service.ToString(), service.Bills.ToString("N0", CultureInfo.InvariantCulture), Money.FromCents(service.AmountCents).ToString());
            }

            byService.AddRow("[bold]Total[/]", register.Bills.Count.ToString("N0", CultureInfo.InvariantCulture), Money.FromCents(register.TotalCents).ToString());
            console.Write(byService);
            var byGl = new Table().AddColumns("GL account", "Name", "Debits", "Credits");
            foreach (var gl in register.ByGlAccount)
            {
                byGl.AddRow(gl.GlAccount, Markup.Escape(gl.Name), Money.FromCents(gl.DebitCents).ToString(), Money.FromCents(gl.CreditCents).ToString());
            }

            console.Write(byGl);
            if (parse.GetValue(registerCsvOption) is { } csv)
            {
                await File.WriteAllTextAsync(csv.FullName, BillingReports.RegisterCsv(register), cancellationToken);
                console.WriteLine($"Wrote {register.Bills.Count:N0} bills to {csv.FullName}.");
            }

            return Ok;
        }));
        var dayOption = new Option<string>("--date") { Description = "Business date, YYYY-MM-DD", Required = true };
        var billingDaily = new Command("billing-daily", "The daily billing report: every run of a business date and what was billed by service.") { dayOption };
        billingDaily.SetAction((parse, cancellationToken) => WithServices(async services =>
        {
            var daily = await services.GetRequiredService<BillingReports>().DailyAsync(ParseDate(parse.GetValue(dayOption)!, "--date"), cancellationToken);
            var table = new Table().Title($"Billing on {daily.Date:yyyy-MM-dd}").AddColumns("Run", "Cycle", "Status", "Bills", "Exceptions", "Billed");
            foreach (var run in daily.Runs)
            {
                table.AddRow($"#{run.RunId}", run.CycleCode, run.Status, run.BillsCreated.ToString("N0", CultureInfo.InvariantCulture), run.ExceptionCount.ToString("N0", CultureInfo.InvariantCulture), Money.FromCents(run.TotalBilledCents).ToString());
            }

            table.AddRow("[bold]Total[/]", "", "", daily.Bills.ToString("N0", CultureInfo.InvariantCulture), daily.Exceptions.ToString("N0", CultureInfo.InvariantCulture), Money.FromCents(daily.TotalCents).ToString());
            console.Write(table);
            return Ok;
        }));
        var exportFromOption = new Option<string>("--from") { Description = "First day, YYYY-MM-DD", Required = true };
        var exportThroughOption = new Option<string>("--through") { Description = "Last day, YYYY-MM-DD", Required = true };
        var exportFormatOption = new Option<string>("--format") { Description = "csv or fixed (docs/gl-export.md)", DefaultValueFactory = _ => "csv" };
        var exportOutOption = new Option<FileInfo>("--out") { Description = "The file to write", Required = true };
        var glExport = new Command("gl-export", "The GL journal for the city's ERP: one line per day, fund and GL account, balanced per fund.") { exportFromOption, exportThroughOption, exportFormatOption, exportOutOption };
        glExport.SetAction((parse, cancellationToken) => WithServices(async services =>
        {
            var format = parse.GetValue(exportFormatOption);
            if (format is not ("csv" or "fixed"))
            {
                throw new DomainException($"--format: '{format}' is not csv or fixed.", "--format");
            }

            var journal = await services.GetRequiredService<LedgerReports>().GlJournalAsync(
                ParseDate(parse.GetValue(exportFromOption)!, "--from"), ParseDate(parse.GetValue(exportThroughOption)!, "--through"), cancellationToken);
            var unbalanced = Core.Ledger.GlJournalExport.NetByFund(journal).Where(f => !f.Value.IsZero).ToList();
            if (unbalanced.Count > 0)
            {
                console.MarkupLine($"[red]OUT OF BALANCE: {Markup.Escape(string.Join(", ", unbalanced.Select(f => $"{f.Key} {f.Value}")))}; nothing written.[/]");
                return OutOfBalance;
            }

            var output = parse.GetValue(exportOutOption)!;
            await File.WriteAllTextAsync(output.FullName, format == "csv" ? Core.Ledger.GlJournalExport.ToCsv(journal) : Core.Ledger.GlJournalExport.ToFixedWidth(journal), cancellationToken);
            console.WriteLine($"Wrote {journal.Length:N0} journal lines to {output.FullName}; every fund balances.");
            return Ok;
        }));
        var receiptsFromOption = new Option<string>("--from") { Description = "First day, YYYY-MM-DD", Required = true };
        var receiptsThroughOption = new Option<string>("--through") { Description = "Last day, YYYY-MM-DD", Required = true };
        var receiptsCsvOption = new Option<FileInfo?>("--csv") { Description = "Also write the report as CSV here" };
        var cashReceipts = new Command("cash-receipts", "Payments received by day, cashier and tender.") { receiptsFromOption, receiptsThroughOption, receiptsCsvOption };
        cashReceipts.SetAction((parse, cancellationToken) => WithServices(async services =>
        {
            var result = await services.GetRequiredService<AccountingReports>().CashReceiptsAsync(
                ParseDate(parse.GetValue(receiptsFromOption)!, "--from"), ParseDate(parse.GetValue(receiptsThroughOption)!, "--through"), cancellationToken);
            var table = new Table().Title($"Cash receipts {result.From:yyyy-MM-dd} through {result.Through:yyyy-MM-dd}").AddColumns("Date", "Cashier", "Tender", "Payments", "Amount");
            table.Columns[3].RightAligned();
            table.Columns[4].RightAligned();
            foreach (var row in result.Rows)
            {
                table.AddRow($"{row.ReceivedOn:yyyy-MM-dd}", Markup.Escape(row.Cashier), row.Tender, row.Payments.ToString("N0", CultureInfo.InvariantCulture), row.Amount.ToString());
            }

            table.AddRow("[bold]Total[/]", "", "", result.Payments.ToString("N0", CultureInfo.InvariantCulture), result.Total.ToString());
            console.Write(table);
            if (parse.GetValue(receiptsCsvOption) is { } csv)
            {
                await File.WriteAllTextAsync(csv.FullName, AccountingReports.Csv(result), cancellationToken);
                console.WriteLine($"Wrote {csv.FullName}.");
            }

            return Ok;
        }));
        var monthOption = new Option<string>("--month") { Description = "The month, YYYY-MM", Required = true };
        var monthlyCsvOption = new Option<FileInfo?>("--csv") { Description = "Also write the report as CSV here" };
        var monthly = new Command("monthly", "The monthly accounting report: revenue by GL account and service, receipts by tender.") { monthOption, monthlyCsvOption };
        monthly.SetAction((parse, cancellationToken) => WithServices(async services =>
        {
            var text = parse.GetValue(monthOption)!;
            if (!DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
            {
                throw new DomainException($"--month: '{text}' is not a month in the form YYYY-MM.", "--month");
            }

            var result = await services.GetRequiredService<AccountingReports>().MonthlyAsync(first.Year, first.Month, cancellationToken);
            var revenue = new Table().Title($"Accounting report {first:yyyy-MM}: revenue").AddColumns("GL account", "Name", "Service", "Fund", "Billed");
            revenue.Columns[4].RightAligned();
            foreach (var row in result.Revenue)
            {
                revenue.AddRow(row.GlAccount, Markup.Escape(row.Name), row.Service, row.Fund.ToString(), row.Billed.ToString());
            }

            revenue.AddRow("", "[bold]Total[/]", "", "", result.TotalRevenue.ToString());
            console.Write(revenue);
            var receipts = new Table().Title("Receipts").AddColumns("Tender", "Payments", "Amount");
            receipts.Columns[1].RightAligned();
            receipts.Columns[2].RightAligned();
            foreach (var row in result.Receipts)
            {
                receipts.AddRow(row.Tender, row.Payments.ToString("N0", CultureInfo.InvariantCulture), row.Amount.ToString());
            }

            receipts.AddRow("[bold]Total[/]", result.Receipts.Sum(r => r.Payments).ToString("N0", CultureInfo.InvariantCulture), result.TotalReceipts.ToString());
            console.Write(receipts);
            console.WriteLine($"Debits to cash (GL {Core.Ledger.GlAccounts.Cash}): {result.CashDebits}");
            if (parse.GetValue(monthlyCsvOption) is { } csv)
            {
                await File.WriteAllTextAsync(csv.FullName, AccountingReports.Csv(result), cancellationToken);
                console.WriteLine($"Wrote {csv.FullName}.");
            }

            return Ok;
        }));
        report.Add(cashReceipts);
        report.Add(monthly);
        report.Add(aging);
        report.Add(glExport);
        report.Add(trialBalance);
        report.Add(billingRegister);
        report.Add(billingDaily);
        DepositCommands.AddTo(root, report, console, WithServices, user);
        root.Add(report);

        return await root.Parse(args).InvokeAsync();
    }

    private static string[] Cells(Core.Ledger.PastDueBuckets buckets) =>
        [buckets.Current.ToString(), buckets.Days1To30.ToString(), buckets.Days31To60.ToString(), buckets.Days61To90.ToString(), buckets.Over90.ToString(), buckets.Total.ToString()];

    /// <summary>A YYYY-MM-DD option, or the error naming it; every command reads dates through here.</summary>
    internal static DateOnly ParseDate(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new DomainException($"{option}: '{text}' is not a date in the form YYYY-MM-DD.", option);

    /// <summary>Reports progress on the caller's thread, so the bar moves in step with the work.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
