using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Metering;
using OpenCIS.Storage.Payments;
using OpenCIS.Storage;
using OpenCIS.UseCases.Billing;
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

namespace OpenCIS.Cli.Demo;

/// <summary>`opencis demo seed`: the City of Riverbend.</summary>
public static class DemoCommands
{
    public static void AddTo(CliHost host)
    {
        var console = host.Console;
        var root = host.Root;
        var demo = new Command("demo", "The demo city.");
        var accountsOption = new Option<int>("--accounts") { Description = "How many accounts", DefaultValueFactory = _ => 2000 };
        var monthsOption = new Option<int>("--months")
        {
            Description = "How many months of history: a full year (12) plants the demo's cases and its year of collections; fewer make a plain city for scale",
            DefaultValueFactory = _ => SeedDemoCity.FullYear,
        };
        var seed = new Command("seed", "Create the City of Riverbend: accounts, meters, a year of reads, bills and payments.") { accountsOption, monthsOption };
        seed.SetAction((parse, cancellationToken) => host.WithDemoServices(async services =>
        {
            var count = parse.GetValue(accountsOption);
            var months = parse.GetValue(monthsOption);
            DemoSeedOutcome? outcome = null;
            await console.Status().StartAsync("Seeding the demo city", async context =>
            {
                var progress = new Progress<string>(message => context.Status(message));
                outcome = await services.GetRequiredService<SeedDemoCity>().ExecuteAsync(count, months, progress, cancellationToken);
            });
            var peak = Benchmarks.BenchmarkPreparation.PeakMemoryMegabytes();
            console.MarkupLineInterpolated($"Seeded {outcome!.Accounts:N0} accounts from {outcome.From:yyyy-MM-dd} through {outcome.Through:yyyy-MM-dd}: {outcome.BillingRuns} billing runs, {outcome.Bills:N0} bills, {outcome.Exceptions:N0} exceptions, {outcome.Payments:N0} payments in {outcome.Elapsed.TotalSeconds:N1} s (peak memory {peak:N0} MB).");
            console.MarkupLineInterpolated($"Where the time went: {string.Join(", ", outcome.Phases.Select(p => $"{p.Phase} {p.Elapsed.TotalSeconds:N1} s"))}.");
            return Ok;
        }));
        demo.Add(seed);
        root.Add(demo);
    }
}
