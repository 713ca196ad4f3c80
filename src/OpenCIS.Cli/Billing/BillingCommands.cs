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

namespace OpenCIS.Cli.Billing;

/// <summary>`opencis bill run`: a billing run with its progress and exceptions.</summary>
public static class BillingCommands
{
    public static void AddTo(CliHost host)
    {
        var console = host.Console;
        var user = host.User;
        var root = host.Root;
        var bill = host.Group("bill", "Billing.");
        var cycleOption = new Option<string>("--cycle") { Description = "Billing cycle code, e.g. C1", Required = true };
        var dateOption = new Option<string>("--date") { Description = "Business date, YYYY-MM-DD", Required = true };
        var chunkOption = new Option<int>("--chunk-size") { Description = "Accounts per committed chunk (a crash loses at most one chunk's work, and a restart resumes after the last committed chunk)", DefaultValueFactory = _ => RunBilling.DefaultChunkSize };
        var workersOption = new Option<int>("--workers") { Description = "Lanes in this process, each billing one chunk at a time on its own connection; on PostgreSQL more processes may join the same run", DefaultValueFactory = _ => RunBilling.DefaultWorkers };
        var pauseOption = new Option<int>("--pause-ms") { Description = "Milliseconds each lane rests after each chunk, to leave the database room for online work", DefaultValueFactory = _ => 0 };
        var run = new Command("run", "Run billing for a cycle on a business date (again: nothing changes; after a crash: resumes; on PostgreSQL, run it in several processes to share the work).") { cycleOption, dateOption, chunkOption, workersOption, pauseOption };
        run.SetAction((parse, cancellationToken) => host.WithServices(async services =>
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
    }
}
