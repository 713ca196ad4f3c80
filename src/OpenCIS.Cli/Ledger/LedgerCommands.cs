using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage;
using Spectre.Console;

namespace OpenCIS.Cli.Ledger;

/// <summary><c>gl list</c>, <c>gl set</c>, <c>gl priorities</c> and <c>gl priority</c>: the chart of accounts and the allocation order, through the same workflow as the chart screen and API.</summary>
public static class LedgerCommands
{
    public static void AddTo(CliHost host)
    {
        var root = host.Root;
        var console = host.Console;
        Func<Func<IServiceProvider, Task<int>>, Task<int>> withServices = host.WithServices;
        var user = host.User;
        var list = new Command("list", "The chart of accounts by fund and department.");
        list.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var chart = await services.GetRequiredService<LedgerQueries>().ChartAsync(cancellationToken);
            var table = new Table().Title("Chart of accounts").AddColumns("Fund", "Fund name", "Department", "GL account", "Name", "ERP string");
            foreach (var a in chart.Accounts.OrderBy(a => a.FundCode, StringComparer.Ordinal).ThenBy(a => a.Department, StringComparer.Ordinal).ThenBy(a => a.Code, StringComparer.Ordinal))
            {
                table.AddRow(a.FundCode, Markup.Escape(a.FundName), a.Department, a.Code, Markup.Escape(a.Name), a.FullCode);
            }

            console.Write(table);
            return CliApp.Ok;
        }));

        var codeArgument = new Argument<string>("code") { Description = "GL account, one to six digits" };
        var nameOption = new Option<string?>("--name") { Description = "The account's name (default: unchanged)" };
        var fundOption = new Option<string?>("--fund") { Description = "Fund code, two digits (default: unchanged)" };
        var fundNameOption = new Option<string?>("--fund-name") { Description = "The fund's name; renames it on all its accounts (default: unchanged)" };
        var departmentOption = new Option<string?>("--department") { Description = "Department, four digits (default: unchanged)" };
        var set = new Command("set", "Add a GL account to the chart, or rename one or move it to another fund or department. Audited.") { codeArgument, nameOption, fundOption, fundNameOption, departmentOption };
        set.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var code = parse.GetValue(codeArgument)!;
            var chart = await services.GetRequiredService<LedgerQueries>().ChartAsync(cancellationToken);
            var current = chart.Contains(code) ? chart[code] : new GlAccountDefinition(code, "", "", "", "");
            var definition = new GlAccountDefinition(code,
                parse.GetValue(nameOption) ?? current.Name,
                parse.GetValue(fundOption) ?? current.FundCode,
                parse.GetValue(fundNameOption) ?? (parse.GetValue(fundOption) is { } fund && chart.Funds.FirstOrDefault(f => f.Code == fund) is { Name: { } known } ? known : current.FundName),
                parse.GetValue(departmentOption) ?? current.Department);
            var saved = await services.GetRequiredService<ConfigureLedger>().SaveAccountAsync(definition, user, cancellationToken);
            console.MarkupLineInterpolated($"GL account {saved.FullCode} {saved.Name} ({saved.FundName}) saved.");
            return CliApp.Ok;
        }));

        var priorities = new Command("priorities", "Which charge types credits pay first (lower first; then the oldest due date).");
        priorities.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var current = await services.GetRequiredService<LedgerQueries>().PrioritiesAsync(cancellationToken);
            var table = new Table().Title("Allocation order").AddColumns("Charge type", "Priority");
            foreach (var type in Enum.GetValues<FinancialTransactionType>().OrderBy(current.For).ThenBy(t => t.ToString(), StringComparer.Ordinal))
            {
                table.AddRow(type.ToString(), current.For(type).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            console.Write(table);
            return CliApp.Ok;
        }));

        var typeArgument = new Argument<string>("type") { Description = "Charge type, e.g. DepositCharge or ReturnedPaymentFee" };
        var priorityArgument = new Argument<int>("priority") { Description = $"1 to 999, lower paid first; {AllocationPriorities.Standard} is the standard" };
        var priority = new Command("priority", "Set a charge type's allocation priority; charges posted from now on take it. Audited.") { typeArgument, priorityArgument };
        priority.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var type = ConfigureLedger.ParseType(parse.GetValue(typeArgument)!);
            var value = parse.GetValue(priorityArgument);
            await services.GetRequiredService<ConfigureLedger>().SetPriorityAsync(type, value, user, cancellationToken);
            console.MarkupLineInterpolated($"{type} charges now have priority {value}.");
            return CliApp.Ok;
        }));

        root.Add(new Command("gl", "The chart of accounts and the allocation order.") { list, set, priorities, priority });
    }
}
