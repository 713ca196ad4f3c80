using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Campaigns;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Campaigns;
using OpenCIS.UseCases.Collections;
using Spectre.Console;

namespace OpenCIS.Cli.Campaigns;

/// <summary>Calling campaigns from the command line, through the use cases the screens and the API call: <c>campaigns create|list|show|call|close|export</c>.</summary>
public static class CampaignCommands
{
    public static void AddTo(CliHost host)
    {
        var campaigns = host.Group("campaigns", "Calling campaigns: lists built by criteria and dealt to collectors, calls with outcomes and promises, results and exports.");
        campaigns.Add(Create(host));
        campaigns.Add(List(host));
        campaigns.Add(Show(host));
        campaigns.Add(Call(host));
        campaigns.Add(Close(host));
        campaigns.Add(Export(host));
    }

    private static Command Create(CliHost host)
    {
        var nameOption = new Option<string>("--name") { Description = "The campaign's name", Required = true };
        var fromOption = new Option<int>("--days-from") { Description = "Fewest days past due (the aging bucket's start)", DefaultValueFactory = _ => 1 };
        var toOption = new Option<int?>("--days-to") { Description = "Most days past due (the aging bucket's end; none for no limit)" };
        var minOption = new Option<string?>("--min") { Description = "Owing at least, e.g. 50.00" };
        var maxOption = new Option<string?>("--max") { Description = "Owing at most" };
        var debtOption = new Option<string>("--debt") { Description = "any, utility or invoice", DefaultValueFactory = _ => "any" };
        var finalOption = new Option<bool>("--final-only") { Description = "Final accounts only" };
        var brokenOption = new Option<bool>("--broken-promises") { Description = "Only accounts with a promise broken in the last 90 days" };
        var collectorsOption = new Option<string>("--collectors") { Description = "The collectors' user names, comma-separated", Required = true };
        var scriptOption = new Option<FileInfo?>("--script") { Description = "A text file with the call script" };
        var outcomesOption = new Option<string?>("--outcomes") { Description = "The outcome codes a call may end with, comma-separated (default: the usual ones)" };
        var create = new Command("create", "Build a campaign: every account matching the criteria, dealt to the collectors.")
            { nameOption, fromOption, toOption, minOption, maxOption, debtOption, finalOption, brokenOption, collectorsOption, scriptOption, outcomesOption };
        create.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var debtText = parse.GetValue(debtOption)!.Trim();
            var debt = Enum.TryParse<CampaignDebt>(debtText, true, out var parsed) && Enum.IsDefined(parsed) ? parsed : throw new DomainException($"--debt: '{debtText}' is not any, utility or invoice.", "--debt");
            var min = parse.GetValue(minOption) is { } minText ? Money.ParseField(minText, "--min") : Money.Zero;
            Money? max = parse.GetValue(maxOption) is { } maxText ? Money.ParseField(maxText, "--max") : null;
            var script = parse.GetValue(scriptOption) is { } file ? await File.ReadAllTextAsync(file.FullName, cancellationToken) : null;
            var criteria = new CampaignCriteria(parse.GetValue(fromOption), parse.GetValue(toOption), min, max, debt, parse.GetValue(finalOption), parse.GetValue(brokenOption));
            var campaign = await services.GetRequiredService<CallingCampaignBook>().CreateAsync(new CampaignRequest(parse.GetValue(nameOption)!, criteria, script,
                parse.GetValue(outcomesOption)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                parse.GetValue(collectorsOption)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)), host.User, cancellationToken);
            host.Console.WriteLine($"Campaign {campaign.Id} \"{campaign.Name}\" built: {campaign.Targets.Count} account{(campaign.Targets.Count == 1 ? "" : "s")} owing {campaign.Owed} ({criteria.Describe()}), dealt to {string.Join(", ", campaign.Collectors)}.");
            return CliApp.Ok;
        }));
        return create;
    }

    private static Command List(CliHost host)
    {
        var list = new Command("list", "The campaigns, newest first.");
        list.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var campaigns = await services.GetRequiredService<CallingCampaignBook>().ListAsync(cancellationToken);
            var table = new Table().AddColumns("Id", "Name", "Who", "Built", "Status", "Accounts", "To call", "Owed");
            foreach (var c in campaigns)
            {
                table.AddRow(c.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(c.Name), Markup.Escape(c.Criteria), c.CreatedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    c.Status.ToString().ToLowerInvariant(), c.Targets.ToString(CultureInfo.InvariantCulture), c.Open.ToString(CultureInfo.InvariantCulture), c.Owed.ToString());
            }

            host.Console.Write(table);
            host.Console.WriteLine($"{campaigns.Count} campaign{(campaigns.Count == 1 ? "" : "s")}.");
            return CliApp.Ok;
        }));
        return list;
    }

    private static Command Show(CliHost host)
    {
        var idArgument = new Argument<long>("campaign") { Description = "The campaign's number" };
        var collectorOption = new Option<string?>("--collector") { Description = "Only this collector's list" };
        var show = new Command("show", "A campaign's list and each collector's results.") { idArgument, collectorOption };
        show.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var c = await services.GetRequiredService<CallingCampaignBook>().FindAsync(parse.GetValue(idArgument), parse.GetValue(collectorOption), cancellationToken);
            host.Console.WriteLine($"Campaign {c.Id} \"{c.Name}\" ({c.Status.ToString().ToLowerInvariant()}): {c.Criteria.Describe()}.");
            var targets = new Table().AddColumns("Target", "Account", "Customer", "Phone", "Collector", "Owed", "Days", "Status", "Last outcome");
            foreach (var t in c.Targets)
            {
                targets.AddRow(t.Id.ToString(CultureInfo.InvariantCulture), t.AccountNumber, Markup.Escape(t.CustomerName), Markup.Escape(t.Phone ?? ""), t.Collector, t.Balance.ToString(),
                    t.DaysPastDue.ToString(CultureInfo.InvariantCulture), t.Status == TargetStatus.Done ? "done" : "to call", Markup.Escape(t.LastOutcome ?? ""));
            }

            host.Console.Write(targets);
            var results = new Table().AddColumns("Collector", "Accounts", "Calls", "Right party", "Promises", "Promised", "Collected");
            foreach (var r in c.Results)
            {
                results.AddRow(r.Collector, r.Targets.ToString(CultureInfo.InvariantCulture), r.Calls.ToString(CultureInfo.InvariantCulture), r.RightPartyContacts.ToString(CultureInfo.InvariantCulture),
                    r.Promises.ToString(CultureInfo.InvariantCulture), r.Promised.ToString(), r.Collected.ToString());
            }

            host.Console.Write(results);
            return CliApp.Ok;
        }));
        return show;
    }

    private static Command Call(CliHost host)
    {
        var idArgument = new Argument<long>("campaign") { Description = "The campaign's number" };
        var accountOption = new Option<string>("--account") { Description = "The account called (on the campaign's list)", Required = true };
        var outcomeOption = new Option<string>("--outcome") { Description = "The call's outcome code", Required = true };
        var noteOption = new Option<string?>("--note") { Description = "A note" };
        var amountOption = new Option<string?>("--promise-amount") { Description = "For promise-to-pay: the amount promised" };
        var dateOption = new Option<string?>("--promise-date") { Description = "For promise-to-pay: the date promised, yyyy-MM-dd" };
        var call = new Command("call", "Log a call on an account of the campaign's list, with its outcome and any promise.") { idArgument, accountOption, outcomeOption, noteOption, amountOption, dateOption };
        call.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var book = services.GetRequiredService<CallingCampaignBook>();
            var id = parse.GetValue(idArgument);
            var number = parse.GetValue(accountOption)!.Trim();
            var target = (await book.FindAsync(id, cancellationToken: cancellationToken)).Targets.FirstOrDefault(t => t.AccountNumber == number)
                ?? throw new DomainException($"--account: {number} is not on campaign {id}'s list.", "--account");
            PromiseTerms? promise = null;
            if (parse.GetValue(amountOption) is { } amount)
            {
                promise = new PromiseTerms(CliApp.ParseDate(parse.GetValue(dateOption) ?? throw new DomainException("--promise-date: give the date promised.", "--promise-date"), "--promise-date"),
                    Money.ParseField(amount, "--promise-amount"));
            }

            // The command line is the operator's: it logs a call on any collector's list, as a Supervisor may.
            var outcome = await book.LogCallAsync(id, new CampaignCallRequest(target.Id, parse.GetValue(outcomeOption)!, parse.GetValue(noteOption), promise), host.User, cancellationToken, anyList: true);
            host.Console.WriteLine(outcome.Message);
            return CliApp.Ok;
        }));
        return call;
    }

    private static Command Close(CliHost host)
    {
        var idArgument = new Argument<long>("campaign") { Description = "The campaign's number" };
        var close = new Command("close", "Close a campaign: no more calls; its list and results stay.") { idArgument };
        close.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var campaign = await services.GetRequiredService<CallingCampaignBook>().CloseAsync(parse.GetValue(idArgument), host.User, cancellationToken);
            host.Console.WriteLine($"Campaign {campaign.Id} \"{campaign.Name}\" closed on {campaign.ClosedOn:yyyy-MM-dd}.");
            return CliApp.Ok;
        }));
        return close;
    }

    private static Command Export(CliHost host)
    {
        var idArgument = new Argument<long>("campaign") { Description = "The campaign's number" };
        var outOption = new Option<FileInfo>("--out") { Description = "Where to write it: a .csv or .xlsx file", Required = true };
        var export = new Command("export", "Export a campaign's list (and, in XLSX, each collector's results) for finance's spreadsheets.") { idArgument, outOption };
        export.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var path = parse.GetValue(outOption)!.FullName;
            var exporter = services.GetRequiredService<CampaignExport>();
            var file = path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)
                ? await exporter.XlsxAsync(parse.GetValue(idArgument), cancellationToken)
                : path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
                    ? await exporter.CsvAsync(parse.GetValue(idArgument), cancellationToken)
                    : throw new DomainException("--out: name a .csv or .xlsx file.", "--out");
            await File.WriteAllBytesAsync(path, file.Content, cancellationToken);
            host.Console.WriteLine($"Wrote {path} ({file.Content.Length:N0} bytes).");
            return CliApp.Ok;
        }));
        return export;
    }
}
