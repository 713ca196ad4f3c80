using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Billing;
using Spectre.Console;

namespace OpenCIS.Cli.Billing;

/// <summary>
/// <c>opencis bill messages list|add|end</c>: the messages printed on bills, through the same use case as the screen and
/// the API (<see cref="BillMessageBook"/>).
/// </summary>
public static class BillMessageCommands
{
    public static void AddTo(CliHost host)
    {
        var messages = new Command("messages", "The messages printed on bills by cycle, class, route or program for a date range.");
        messages.Add(List(host));
        messages.Add(Add(host));
        messages.Add(End(host));
        host.Group("bill", "Billing.").Add(messages);
    }

    private static Command List(CliHost host)
    {
        var standingOption = new Option<string?>("--standing") { Description = "Only current, upcoming or past messages" };
        var list = new Command("list", "Every message with its audience and bill dates: current, then upcoming, then past.") { standingOption };
        list.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            BillMessageStanding? standing = null;
            if (parse.GetValue(standingOption) is { Length: > 0 } text)
            {
                standing = Enum.TryParse<BillMessageStanding>(text.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(text, out _)
                    ? parsed
                    : throw new DomainException($"--standing: '{text}' is not current, upcoming or past.", "--standing");
            }

            var listed = await services.GetRequiredService<BillMessageBook>().ListAsync(standing, cancellationToken);
            var table = new Table().AddColumns("Id", "Message", "Audience", "First bill date", "Last bill date", "Standing");
            foreach (var m in listed)
            {
                table.AddRow(m.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(m.Text), Markup.Escape(m.Audience), Day(m.StartsOn), Day(m.EndsOn), m.Standing.ToString().ToLowerInvariant());
            }

            host.Console.Write(table);
            host.Console.WriteLine($"{listed.Count:N0} message{(listed.Count == 1 ? "" : "s")}.");
            return CliApp.Ok;
        }));
        return list;
    }

    private static Command Add(CliHost host)
    {
        var textArgument = new Argument<string>("text") { Description = "The message, one paragraph of at most 500 characters" };
        var fromOption = new Option<string>("--from") { Description = "The first bill date it prints on, YYYY-MM-DD", Required = true };
        var toOption = new Option<string>("--to") { Description = "The last bill date it prints on, YYYY-MM-DD", Required = true };
        var cycleOption = new Option<string?>("--cycle") { Description = "Only bills of this cycle" };
        var classOption = new Option<string?>("--class") { Description = "Only bills of this class of account: residential, commercial, industrial, municipal" };
        var routeOption = new Option<string?>("--route") { Description = "Only bills of accounts on this route" };
        var programOption = new Option<string?>("--program") { Description = "Only bills of accounts enrolled in this program" };
        var add = new Command("add", "Add a message printed on the bills of its audience (every bill when none is named) dated --from through --to.")
            { textArgument, fromOption, toOption, cycleOption, classOption, routeOption, programOption };
        add.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var request = new BillMessageRequest(parse.GetValue(textArgument), CliApp.ParseDate(parse.GetValue(fromOption)!, "--from"), CliApp.ParseDate(parse.GetValue(toOption)!, "--to"),
                parse.GetValue(cycleOption), parse.GetValue(classOption), parse.GetValue(routeOption), parse.GetValue(programOption));
            try
            {
                var added = await services.GetRequiredService<BillMessageBook>().AddAsync(request, host.User, cancellationToken);
                host.Console.WriteLine($"Message {added.Id} added: on bills of {added.Audience} dated {Day(added.StartsOn)} to {Day(added.EndsOn)}.");
                return CliApp.Ok;
            }
            catch (DomainException exception)
            {
                throw CliApp.NamingOption(exception, ("startsOn", "--from"), ("endsOn", "--to"), ("cycleCode", "--cycle"), ("accountClass", "--class"),
                    ("routeCode", "--route"), ("programCode", "--program"));
            }
        }));
        return add;
    }

    private static Command End(CliHost host)
    {
        var idArgument = new Argument<long>("id") { Description = "The message's number, as listed" };
        var end = new Command("end", "End a current message early: today is the last bill date it prints on.") { idArgument };
        end.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var ended = await services.GetRequiredService<BillMessageBook>().EndAsync(parse.GetValue(idArgument), host.User, cancellationToken);
            host.Console.WriteLine($"Message {ended.Id} ends {Day(ended.EndsOn)}: no bill dated after it prints it.");
            return CliApp.Ok;
        }));
        return end;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
