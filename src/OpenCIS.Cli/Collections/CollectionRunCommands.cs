using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Collections;
using Spectre.Console;
using static OpenCIS.Cli.CliApp;

namespace OpenCIS.Cli.Collections;

/// <summary>
/// <c>opencis collections run --date D</c>: the daily collections run with its progress; <c>opencis collections
/// disconnect-list</c>: the list by route, as a table or CSV.
/// </summary>
public static class CollectionRunCommands
{
    public static void AddTo(CliHost host)
    {
        var collections = host.Group("collections", "Collections: late charges, notices, protections and the disconnect list.");
        collections.Add(Run(host));
        collections.Add(DisconnectList(host));
    }

    private static Command Run(CliHost host)
    {
        var console = host.Console;
        var dateOption = new Option<string>("--date") { Description = "Business date, YYYY-MM-DD", Required = true };
        var chunkOption = new Option<int>("--chunk-size") { Description = "Accounts per committed chunk (a killed run resumes after the last committed chunk)", DefaultValueFactory = _ => RunCollections.DefaultChunkSize };
        var workersOption = new Option<int>("--workers") { Description = "Lanes in this process, each deciding one chunk at a time on its own connection", DefaultValueFactory = _ => RunCollections.DefaultWorkers };
        var pauseOption = new Option<int>("--pause-ms") { Description = "Milliseconds each lane rests after each chunk, to leave the database room for online work", DefaultValueFactory = _ => 0 };
        var run = new Command("run", "The daily collections run for a business date: late charges, notices, door hangers, the disconnect list, then the final-bill pursuit (again: nothing changes; killed: resumes).")
        {
            dateOption, chunkOption, workersOption, pauseOption,
        };
        run.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var date = ParseDate(parse.GetValue(dateOption)!, "--date");
            var collections = services.GetRequiredService<RunCollections>();
            collections.ChunkSize = parse.GetValue(chunkOption) is var size and > 0 ? size : throw new DomainException("--chunk-size must be at least 1.", "--chunk-size");
            collections.Workers = parse.GetValue(workersOption) is var workers and > 0 ? workers : throw new DomainException("--workers must be at least 1.", "--workers");
            collections.PauseBetweenChunks = TimeSpan.FromMilliseconds(parse.GetValue(pauseOption) is var pause and >= 0 ? pause : throw new DomainException("--pause-ms cannot be negative.", "--pause-ms"));
            CollectionRunOutcome? outcome = null;
            await console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"Collections for {date:yyyy-MM-dd}", maxValue: 1);
                    var progress = new SynchronousProgress<CollectionProgress>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                    });
                    outcome = await collections.ExecuteAsync(date, host.User, progress, cancellationToken);
                    task.Value = task.MaxValue;
                });
            console.WriteLine(outcome!.Message);
            if (await services.GetRequiredService<ProduceNotices>().AfterRunAsync(date, host.User, cancellationToken) is { } notices)
            {
                console.WriteLine(notices.Message);
                console.WriteLine((await services.GetRequiredService<OpenCIS.UseCases.Invoices.InvoiceStatements>().ProduceAsync(date, host.User, cancellationToken)).Message);
                console.WriteLine((await services.GetRequiredService<OpenCIS.UseCases.Liens.RunLiens>().ExecuteAsync(date, host.User, cancellationToken)).Message);
                console.WriteLine((await services.GetRequiredService<OpenCIS.UseCases.Pursuit.PursueFinalBills>().ExecuteAsync(date, host.User, cancellationToken)).Message);
                console.WriteLine($"Queued {await services.GetRequiredService<OpenCIS.UseCases.Portal.DueDateReminders>().QueueAsync(date, cancellationToken):N0} due-date reminders.");
            }

            return Ok;
        }));
        return run;
    }

    private static Command DisconnectList(CliHost host)
    {
        var console = host.Console;
        var csvOption = new Option<bool>("--csv") { Description = "Print the list as CSV (route, sequence, account, customer, address, class, days past due, past due, on list, listed on, reason)" };
        var heldOption = new Option<bool>("--with-protected") { Description = "Add the accounts a protection keeps off the list, with the protection named" };
        var list = new Command("disconnect-list", "The disconnect list as of the last run, by route, each entry with its reason.") { csvOption, heldOption };
        list.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var disconnects = await services.GetRequiredService<CollectionQueries>().DisconnectListAsync(parse.GetValue(heldOption), cancellationToken);
            if (parse.GetValue(csvOption))
            {
                console.Profile.Out.Writer.Write(CollectionQueries.Csv(disconnects));
                return Ok;
            }

            var table = new Table().Title($"Disconnect list{(disconnects.AsOf is { } asOf ? $" as of {asOf:yyyy-MM-dd}" : "")}")
                .AddColumns("Route", "Seq", "Account", "Customer", "Address", "Days", "Past due", "On list", "Reason");
            table.Columns[6].RightAligned();
            foreach (var e in disconnects.Entries)
            {
                table.AddRow(Markup.Escape(e.Route), e.RouteSequence.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(e.AccountNumber), Markup.Escape(e.CustomerName),
                    Markup.Escape(e.ServiceAddress), e.DaysPastDue.ToString(System.Globalization.CultureInfo.InvariantCulture), e.PastDue.ToString(), e.OnList ? "yes" : "held", Markup.Escape(e.Reason));
            }

            console.Write(table);
            console.WriteLine($"{disconnects.Entries.Count(e => e.OnList)} on the list{(parse.GetValue(heldOption) ? $", {disconnects.Entries.Count(e => !e.OnList)} held by a protection" : "")}.");
            return Ok;
        }));
        return list;
    }
}
