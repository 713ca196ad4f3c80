using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Metering;
using OpenCIS.Storage.Payments;
using OpenCIS.Storage;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Metering.Import;
using OpenCIS.UseCases.Metering;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Reports;
using OpenCIS.UseCases;
using Spectre.Console;
using System.CommandLine;
using System.Globalization;
using static OpenCIS.Cli.CliApp;

namespace OpenCIS.Cli.Benchmarks;

/// <summary>`opencis bench`: the read, billing, payment, aging, collections and search benchmarks, and the fuzzing and crash harnesses.</summary>
public static class BenchmarkCommands
{
    public static void AddTo(CliHost host)
    {
        var console = host.Console;
        var user = host.User;
        var bench = host.Group("bench", "Benchmarks that print their figures; the last line is RESULT ...");
        var readsCountOption = new Option<int>("--reads") { Description = "How many reads to generate and import", DefaultValueFactory = _ => 1_000_000 };
        var benchReads = new Command("reads", "Generate a read file for the demo city, import and validate it, and print reads per second and peak memory.") { readsCountOption };
        benchReads.SetAction((parse, cancellationToken) => host.WithDemoServices(services => ReadBenchmark.RunAsync(services, console, parse.GetValue(readsCountOption), user, cancellationToken)));
        bench.Add(benchReads);
        var benchAccountsOption = new Option<int>("--accounts") { Description = "The size of the demo city to prepare when the database is empty", DefaultValueFactory = _ => 100_000 };
        var benchWorkersOption = new Option<int>("--workers") { Description = "Lanes billing chunks side by side", DefaultValueFactory = _ => RunBilling.DefaultWorkers };
        var benchChunkOption = new Option<int>("--chunk-size") { Description = "Accounts per chunk", DefaultValueFactory = _ => RunBilling.DefaultChunkSize };
        var benchWriteLimitOption = new Option<bool>("--write-limit")
        {
            Description = "Then write the run's rows again by the writers alone into scratch copies of the tables, and print that limit and the run's ratio to it",
            DefaultValueFactory = _ => true,
        };
        var benchBilling = new Command("billing", "Bill one cycle of the demo city end to end (preparing the city if the database is empty) and print bills per second, the write limit and peak memory.")
        {
            benchAccountsOption, benchWorkersOption, benchChunkOption, benchWriteLimitOption,
        };
        benchBilling.SetAction((parse, cancellationToken) => host.WithDemoServices(services =>
        {
            var billing = services.GetRequiredService<RunBilling>();
            billing.Workers = Math.Max(1, parse.GetValue(benchWorkersOption));
            billing.ChunkSize = Math.Max(1, parse.GetValue(benchChunkOption));
            return BillingBenchmark.RunAsync(services, console, parse.GetValue(benchAccountsOption), parse.GetValue(benchWriteLimitOption), user, cancellationToken);
        }));
        bench.Add(benchBilling);
        var benchPaymentsOption = new Option<int>("--payments") { Description = "Checks in the generated lockbox file", DefaultValueFactory = _ => 200_000 };
        var benchCityOption = new Option<int>("--accounts") { Description = "The size of the demo city to prepare when the database is empty", DefaultValueFactory = _ => 2_000 };
        var benchPayments = new Command("payments", "Generate a BAI2 lockbox file paying the demo city's balances, import and post it, and print payments per second and peak memory.") { benchPaymentsOption, benchCityOption };
        benchPayments.SetAction((parse, cancellationToken) => host.WithDemoServices(services =>
            PaymentBenchmark.RunAsync(services, console, parse.GetValue(benchPaymentsOption), parse.GetValue(benchCityOption), user, cancellationToken)));
        bench.Add(benchPayments);
        var benchAgingAsOfOption = new Option<string?>("--as-of") { Description = "Age as of this date (default: the business date), YYYY-MM-DD" };
        var benchAging = new Command("aging", "Time the aging report, summary and detail, on the database as it is (no seeding).") { benchAgingAsOfOption };
        benchAging.SetAction((parse, cancellationToken) => host.WithDemoServices(services =>
            AgingBenchmark.RunAsync(services, console,
                parse.GetValue(benchAgingAsOfOption) is { } text ? ParseDate(text, "--as-of") : services.GetRequiredService<OpenCIS.UseCases.BusinessCalendar>().Today(),
                cancellationToken)));
        bench.Add(benchAging);
        var collectionsAccountsOption = new Option<int>("--accounts") { Description = "The size of the demo city to prepare when the database is empty", DefaultValueFactory = _ => 100_000 };
        var collectionsWorkersOption = new Option<int>("--workers") { Description = "Lanes deciding chunks side by side", DefaultValueFactory = _ => RunCollections.DefaultWorkers };
        var collectionsChunkOption = new Option<int>("--chunk-size") { Description = "Accounts looked at per chunk", DefaultValueFactory = _ => RunCollections.DefaultChunkSize };
        var benchCollections = new Command("collections", "Run the daily collections run over the demo city (preparing it if the database is empty) and print accounts per second and peak memory.")
        {
            collectionsAccountsOption, collectionsWorkersOption, collectionsChunkOption,
        };
        benchCollections.SetAction((parse, cancellationToken) => host.WithDemoServices(services =>
            CollectionsBenchmark.RunAsync(services, console, parse.GetValue(collectionsAccountsOption), user, cancellationToken,
                Math.Max(1, parse.GetValue(collectionsWorkersOption)), Math.Max(1, parse.GetValue(collectionsChunkOption)))));
        bench.Add(benchCollections);
        var searchAccountsOption = new Option<int>("--accounts") { Description = "The size of the demo city to prepare when the database is empty", DefaultValueFactory = _ => 100_000 };
        var searchSamplesOption = new Option<int>("--samples") { Description = "Accounts to take search terms from (five searches each)", DefaultValueFactory = _ => 400 };
        var benchSearch = new Command("search", "Time account search by name, address, phone, parcel and meter over the demo city (preparing it if the database is empty) and print the p99 in milliseconds.")
        {
            searchAccountsOption, searchSamplesOption,
        };
        benchSearch.SetAction((parse, cancellationToken) => host.WithDemoServices(services =>
            SearchBenchmark.RunAsync(services, console, parse.GetValue(searchAccountsOption), Math.Max(1, parse.GetValue(searchSamplesOption)), cancellationToken)));
        bench.Add(benchSearch);
        var debtAccountsOption = new Option<int>("--accounts") { Description = "The size of the demo city to prepare when the database is empty", DefaultValueFactory = _ => 100_000 };
        var debtInvoicesOption = new Option<int>("--invoices") { Description = "Invoices the city should have, across the eight types (imported when it has fewer)", DefaultValueFactory = _ => 20_000 };
        var debtRateOption = new Option<int>("--rate") { Description = "Checks started each second", DefaultValueFactory = _ => 200 };
        var debtSecondsOption = new Option<int>("--seconds") { Description = "How long to keep checking", DefaultValueFactory = _ => 15 };
        var debtWorkersOption = new Option<int>("--workers") { Description = "Concurrent callers (the permit and licensing counters)", DefaultValueFactory = _ => 8 };
        var benchDebtCheck = new Command("debt-check", "Check debts by name, tax id and parcel at a steady rate over the demo city and its invoices (preparing both if missing) and print the p99 in milliseconds and the checks per second.")
        {
            debtAccountsOption, debtInvoicesOption, debtRateOption, debtSecondsOption, debtWorkersOption,
        };
        benchDebtCheck.SetAction((parse, cancellationToken) => host.WithDemoServices(services =>
            DebtCheckBenchmark.RunAsync(services, console, parse.GetValue(debtAccountsOption), Math.Max(0, parse.GetValue(debtInvoicesOption)), Math.Max(1, parse.GetValue(debtRateOption)),
                Math.Max(1, parse.GetValue(debtSecondsOption)), Math.Max(1, parse.GetValue(debtWorkersOption)), cancellationToken)));
        bench.Add(benchDebtCheck);
        var portalUrlOption = new Option<string>("--url") { Description = "The running host to load (on this same database)", DefaultValueFactory = _ => "http://localhost:5080" };
        var portalAccountsOption = new Option<int>("--accounts") { Description = "The size of the demo city to prepare when the database is empty", DefaultValueFactory = _ => 100_000 };
        var portalUsersOption = new Option<int>("--users") { Description = "Portal customers to sign in (made once)", DefaultValueFactory = _ => 1_000 };
        var portalRateOption = new Option<int>("--rate") { Description = "Page requests started each second", DefaultValueFactory = _ => 200 };
        var portalSecondsOption = new Option<int>("--seconds") { Description = "How long to keep loading pages", DefaultValueFactory = _ => 30 };
        var portalWorkersOption = new Option<int>("--workers") { Description = "Concurrent callers", DefaultValueFactory = _ => 32 };
        var benchPortal = new Command("portal", "Sign in portal customers at a running host and load their account and bill pages at a steady rate; print the p99 in milliseconds and the errors.")
        {
            portalUrlOption, portalAccountsOption, portalUsersOption, portalRateOption, portalSecondsOption, portalWorkersOption,
        };
        benchPortal.SetAction((parse, cancellationToken) => host.WithDemoServices(services =>
        {
            if (!Uri.TryCreate(parse.GetValue(portalUrlOption), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                console.WriteLine($"--url '{parse.GetValue(portalUrlOption)}' is not an http or https address.");
                return Task.FromResult(CliApp.BadInput);
            }

            return PortalBenchmark.RunAsync(services, console, url, parse.GetValue(portalAccountsOption), Math.Max(1, parse.GetValue(portalUsersOption)), Math.Max(1, parse.GetValue(portalRateOption)),
                Math.Max(1, parse.GetValue(portalSecondsOption)), Math.Max(1, parse.GetValue(portalWorkersOption)), cancellationToken);
        }));
        bench.Add(benchPortal);
        var apiUrlOption = new Option<string>("--url") { Description = "The running host to load (on this same database, a loopback address)", DefaultValueFactory = _ => "http://localhost:5080" };
        var apiAccountsOption = new Option<int>("--accounts") { Description = "The size of the demo city to prepare when the database is empty", DefaultValueFactory = _ => 100_000 };
        var apiRateOption = new Option<int>("--rps") { Description = "Requests started each second", DefaultValueFactory = _ => 500 };
        var apiSecondsOption = new Option<int>("--seconds") { Description = "How long to keep the load on", DefaultValueFactory = _ => 30 };
        var apiWorkersOption = new Option<int>("--workers") { Description = "Concurrent callers", DefaultValueFactory = _ => 64 };
        var apiBillingOption = new Option<bool>("--billing") { Description = "Bill the next month in another process meanwhile (--billing false: the API alone)", DefaultValueFactory = _ => true };
        var benchApi = new Command("api", "Load a running host's API with payment posts (with Idempotency-Keys), account pages and searches at a steady rate while a billing run runs in another process; print RESULT p50_ms= p99_ms= errors= rps=.")
        {
            apiUrlOption, apiAccountsOption, apiRateOption, apiSecondsOption, apiWorkersOption, apiBillingOption,
        };
        benchApi.SetAction((parse, cancellationToken) => host.WithDemoServices(services =>
        {
            if (!Uri.TryCreate(parse.GetValue(apiUrlOption), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                console.WriteLine($"--url '{parse.GetValue(apiUrlOption)}' is not an http or https address.");
                return Task.FromResult(CliApp.BadInput);
            }

            return ApiBenchmark.RunAsync(services, host.Configuration, console, url, parse.GetValue(apiAccountsOption), Math.Max(1, parse.GetValue(apiRateOption)),
                Math.Max(1, parse.GetValue(apiSecondsOption)), Math.Max(1, parse.GetValue(apiWorkersOption)), parse.GetValue(apiBillingOption), user, cancellationToken);
        }));
        bench.Add(benchApi);
        var fuzzFilesOption = new Option<int>("--files") { Description = "How many mutated files to import", DefaultValueFactory = _ => 1_000 };
        var fuzzSeedOption = new Option<int>("--seed") { Description = "The random seed (the same seed mutates the same way)", DefaultValueFactory = _ => 20261204 };
        var fuzzAccountsOption = new Option<int>("--accounts") { Description = "The size of the demo city to prepare when the database is empty", DefaultValueFactory = _ => 200 };
        var benchFuzz = new Command("fuzz", "Import mutated files of every format OpenCIS reads and check each is posted whole or refused naming a line, with the ledger unchanged after a refusal; prints RESULT files= crashes= partial_posts= unclear_errors=.")
        {
            fuzzFilesOption, fuzzSeedOption, fuzzAccountsOption,
        };
        benchFuzz.SetAction((parse, cancellationToken) => host.WithDemoServices(services =>
            FuzzBenchmark.RunAsync(services, console, Math.Max(1, parse.GetValue(fuzzFilesOption)), parse.GetValue(fuzzSeedOption), Math.Max(10, parse.GetValue(fuzzAccountsOption)), user, cancellationToken)));
        bench.Add(benchFuzz);
        var crashTrialsOption = new Option<int>("--trials") { Description = "How many pieces of work to kill and run again", DefaultValueFactory = _ => 100 };
        var crashSeedOption = new Option<int>("--seed") { Description = "The random seed (when to kill, which accounts pay)", DefaultValueFactory = _ => 20261205 };
        var crashAccountsOption = new Option<int>("--accounts") { Description = "The size of the demo city to prepare when the database is empty", DefaultValueFactory = _ => 200 };
        var benchCrash = new Command("crash", "Kill a billing run, a lockbox import, an ACH return file and a collections run in a child process at random moments (SIGKILL), run each again, and check for duplicate and lost postings and a balanced, tied ledger; prints RESULT trials= duplicates= losses= unbalanced=.")
        {
            crashTrialsOption, crashSeedOption, crashAccountsOption,
        };
        benchCrash.SetAction((parse, cancellationToken) => host.WithDemoServices(services =>
            CrashBenchmark.RunAsync(services, host.Configuration, console, Math.Max(1, parse.GetValue(crashTrialsOption)), parse.GetValue(crashSeedOption), Math.Max(10, parse.GetValue(crashAccountsOption)), user, cancellationToken)));
        bench.Add(benchCrash);
    }
}
