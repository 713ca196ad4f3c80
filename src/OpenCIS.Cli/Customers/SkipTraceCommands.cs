using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.UseCases.Customers;
using Spectre.Console;

namespace OpenCIS.Cli.Customers;

/// <summary>
/// Skip tracing from the command line, through the use cases the screens and the API call:
/// <c>contacts show|fail|add|returned-mail|stopped</c>.
/// </summary>
public static class SkipTraceCommands
{
    public static void AddTo(CliHost host)
    {
        var contacts = host.Group("contacts", "Skip tracing: the account holder's failed address, phone or e-mail, alternate contacts, and the returned-mail file.");
        contacts.Add(Show(host));
        contacts.Add(Fail(host));
        contacts.Add(Add(host));
        contacts.Add(ReturnedMail(host));
        contacts.Add(Stopped(host));
    }

    private static Command Show(CliHost host)
    {
        var accountArgument = new Argument<string>("account") { Description = "The account number" };
        var show = new Command("show", "The holder's address, phone and e-mail with what has failed, how notices go now, the alternate contacts and the mail that came back.") { accountArgument };
        show.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var view = await services.GetRequiredService<SkipTrace>().ForAccountAsync(parse.GetValue(accountArgument)!, cancellationToken);
            var onFile = new Table().AddColumns("Channel", "On file", "Standing");
            foreach (var channel in view.OnFile)
            {
                onFile.AddRow(SkipTrace.Words(channel.Channel), Markup.Escape(channel.Value ?? "none"), Markup.Escape(channel.Failure?.Describe() ?? (channel.Value is null ? "" : "works")));
            }

            host.Console.WriteLine($"{view.AccountNumber} {view.CustomerName}");
            host.Console.Write(onFile);
            host.Console.WriteLine($"Notices and letters: {view.NoticesGoByText}.");
            if (view.Alternates.Count > 0)
            {
                var alternates = new Table().AddColumns("Id", "Channel", "Contact", "Source", "Added", "Standing");
                foreach (var a in view.Alternates)
                {
                    alternates.AddRow(a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), SkipTrace.Words(a.Channel), Markup.Escape(a.Display), Markup.Escape(a.Source),
                        a.AddedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(a.Status + (a.FailedReason is { } why ? $": {why}" : "")));
                }

                host.Console.Write(alternates);
            }

            foreach (var returned in view.ReturnedMail)
            {
                host.Console.WriteLine($"Mail returned {returned.ReturnedOn:yyyy-MM-dd} from {returned.Address}: {returned.Reason} ({returned.FileName} line {returned.Line})");
            }

            return CliApp.Ok;
        }));
        return show;
    }

    private static Command Fail(CliHost host)
    {
        var accountArgument = new Argument<string>("account") { Description = "The account number" };
        var channelOption = new Option<string>("--channel") { Description = "address, phone or email", Required = true };
        var reasonOption = new Option<string>("--reason") { Description = "What came back or what was said", Required = true };
        var fail = new Command("fail", "Mark the holder's address (mail stops), phone or e-mail on file as failed.") { accountArgument, channelOption, reasonOption };
        fail.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var channel = SkipTrace.ParseChannel(parse.GetValue(channelOption));
            var view = await services.GetRequiredService<SkipTrace>().MarkFailedAsync(parse.GetValue(accountArgument)!, channel, parse.GetValue(reasonOption), host.User, cancellationToken);
            host.Console.WriteLine($"The {SkipTrace.Words(channel)} on file of {view.AccountNumber} is marked failed. Notices and letters: {view.NoticesGoByText}.");
            return CliApp.Ok;
        }));
        return fail;
    }

    private static Command Add(CliHost host)
    {
        var accountArgument = new Argument<string>("account") { Description = "The account number" };
        var channelOption = new Option<string>("--channel") { Description = "address, phone or email", Required = true };
        var valueOption = new Option<string>("--value") { Description = "The phone, the e-mail address or the street address", Required = true };
        var sourceOption = new Option<string>("--source") { Description = "Where it came from (credit bureau, neighbor, employer)", Required = true };
        var cityOption = new Option<string?>("--city") { Description = "An address's city" };
        var stateOption = new Option<string?>("--state") { Description = "An address's state (two letters)" };
        var zipOption = new Option<string?>("--zip") { Description = "An address's ZIP code" };
        var noteOption = new Option<string?>("--note") { Description = "A note" };
        var add = new Command("add", "Record an alternate contact found by skip tracing.") { accountArgument, channelOption, valueOption, sourceOption, cityOption, stateOption, zipOption, noteOption };
        add.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var request = new AlternateContactRequest(SkipTrace.ParseChannel(parse.GetValue(channelOption)), parse.GetValue(valueOption), parse.GetValue(cityOption),
                parse.GetValue(stateOption), parse.GetValue(zipOption), parse.GetValue(sourceOption), parse.GetValue(noteOption));
            var added = await services.GetRequiredService<SkipTrace>().AddAlternateAsync(parse.GetValue(accountArgument)!, request, host.User, cancellationToken);
            host.Console.WriteLine($"Added alternate contact {added.Id}: {added.Display} ({added.Source}).");
            return CliApp.Ok;
        }));
        return add;
    }

    private static Command ReturnedMail(CliHost host)
    {
        var fileOption = new Option<FileInfo>("--file") { Description = "The mail room's CSV: account_number,returned_on,reason", Required = true };
        var import = new Command("returned-mail", "Import the returned-mail file: each line stops mail to the account holder's address; any bad line and nothing is marked.") { fileOption };
        import.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var file = parse.GetValue(fileOption)!;
            if (!file.Exists)
            {
                throw new DomainException($"--file: there is no file {file.FullName}.", "--file");
            }

            var outcome = await services.GetRequiredService<ImportReturnedMail>().ExecuteAsync(file.Name, await File.ReadAllBytesAsync(file.FullName, cancellationToken), host.User, cancellationToken);
            return CliApp.Imported(host.Console, outcome.Errors, outcome.Message);
        }));
        return import;
    }

    private static Command Stopped(CliHost host)
    {
        var stopped = new Command("stopped", "The accounts whose mail is stopped because it came back, oldest first.");
        stopped.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var rows = await services.GetRequiredService<SkipTrace>().MailStoppedAsync(cancellationToken: cancellationToken);
            var table = new Table().AddColumns("Account", "Holder", "Address", "Returned", "Reason", "Notices");
            foreach (var r in rows)
            {
                table.AddRow(r.AccountNumber, Markup.Escape(r.CustomerName), Markup.Escape(r.Address), r.ReturnedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(r.Reason), r.NoticesGoBy == ReachBy.Held ? "held" : "e-mailed");
            }

            host.Console.Write(table);
            host.Console.WriteLine($"{rows.Count} account{(rows.Count == 1 ? "" : "s")} with mail stopped.");
            return CliApp.Ok;
        }));
        return stopped;
    }
}
