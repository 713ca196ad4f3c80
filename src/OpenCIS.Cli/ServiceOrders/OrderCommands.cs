using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.UseCases.ServiceOrders;
using Spectre.Console;

namespace OpenCIS.Cli.ServiceOrders;

/// <summary><c>opencis orders list|assign</c>: the open service orders (the overdue ones, one person's) and dispatching one to a field worker.</summary>
public static class OrderCommands
{
    public static void AddTo(CliHost host)
    {
        var orders = host.Group("orders", "Service orders: list the open ones, assign one to a field worker.");
        var overdueOption = new Option<bool>("--overdue") { Description = "Only the orders due before today" };
        var assignedOption = new Option<string?>("--assigned-to") { Description = "Only this person's orders" };
        var list = new Command("list", "List the open orders, soonest due first.") { overdueOption, assignedOption };
        list.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var open = await services.GetRequiredService<ServiceOrderQueries>().OpenAsync(parse.GetValue(overdueOption), parse.GetValue(assignedOption), cancellationToken);
            if (open.Count == 0)
            {
                host.Console.WriteLine(parse.GetValue(overdueOption) ? "No open order is overdue." : "No order is open.");
                return CliApp.Ok;
            }

            var table = new Table().AddColumns("Order", "Kind", "Status", "Due", "Account", "Address", "Assigned to");
            foreach (var o in open)
            {
                table.AddRow(o.Id.ToString(CultureInfo.InvariantCulture), o.KindName, o.Status.ToString(), o.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    o.AccountNumber ?? "", Markup.Escape(o.ServiceAddress), o.AssignedTo ?? "");
            }

            host.Console.Write(table);
            host.Console.WriteLine($"{open.Count} open {(open.Count == 1 ? "order" : "orders")}.");
            return CliApp.Ok;
        }));
        orders.Add(list);

        var orderOption = new Option<long>("--order") { Description = "The order's number", Required = true };
        var toOption = new Option<string>("--to") { Description = "The field worker to assign it to", Required = true };
        var assign = new Command("assign", "Dispatch an open order to a field worker (or move it to another); audited.") { orderOption, toOption };
        assign.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var outcome = await services.GetRequiredService<DispatchServiceOrder>().ExecuteAsync(parse.GetValue(orderOption), parse.GetValue(toOption)!, host.User, cancellationToken);
            host.Console.WriteLine(outcome.Message);
            return CliApp.Ok;
        }));
        orders.Add(assign);
    }
}
