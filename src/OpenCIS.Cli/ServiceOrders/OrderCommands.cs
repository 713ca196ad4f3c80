using OpenCIS.Core.Common;
using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.UseCases.ServiceOrders;
using Spectre.Console;

namespace OpenCIS.Cli.ServiceOrders;

/// <summary>
/// <c>opencis orders create|list|assign|complete</c>: create an order on an account (or a premise), the open orders (the
/// overdue ones, one person's), dispatching one to a field worker, and completing one with its read, meter and result.
/// </summary>
public static class OrderCommands
{
    public static void AddTo(CliHost host)
    {
        var orders = host.Group("orders", "Service orders: create one, list the open ones, assign one to a field worker, complete one.");
        AddCreate(host, orders);
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
        AddComplete(host, orders);
    }

    private static void AddCreate(CliHost host, Command orders)
    {
        var kindOption = new Option<string>("--kind") { Description = $"The order type: {string.Join(", ", OrderTypes.All.Where(t => t.OfficeCreates).Select(t => t.Key))}", Required = true };
        var accountOption = new Option<string?>("--account") { Description = "The account number" };
        var premiseOption = new Option<long?>("--premise") { Description = "The premise, for work at one with no account (a meter set at new construction)" };
        var dueOption = new Option<string?>("--due") { Description = "The due day, YYYY-MM-DD (default: the type's days from today)" };
        var priorityOption = new Option<int?>("--priority") { Description = "1 (most urgent) to 5; default 3" };
        var windowOption = new Option<string?>("--window") { Description = "The appointment window on the due day, such as 08:00-12:00" };
        var queueOption = new Option<string?>("--queue") { Description = "The department queue (default: the type's, Field service or Meter shop)" };
        var noteOption = new Option<string?>("--note") { Description = "What the field should know" };
        var assignOption = new Option<string?>("--assign-to") { Description = "Dispatch it at once to this field worker" };
        var create = new Command("create", "Create a service order; audited.") { kindOption, accountOption, premiseOption, dueOption, priorityOption, windowOption, queueOption, noteOption, assignOption };
        create.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var (windowStart, windowEnd) = OrderTypes.ParseWindow(parse.GetValue(windowOption));
            var due = parse.GetValue(dueOption) is { Length: > 0 } text
                ? IsoDate.TryParse(text, out var day) ? day : throw new OpenCIS.Core.Common.DomainException($"'{text}' is not a date in the form YYYY-MM-DD.", "due")
                : (DateOnly?)null;
            var outcome = await services.GetRequiredService<CreateServiceOrder>().ExecuteAsync(new ServiceOrderRequest(parse.GetValue(kindOption)!, parse.GetValue(accountOption),
                parse.GetValue(premiseOption), null, parse.GetValue(priorityOption), due, windowStart, windowEnd, parse.GetValue(queueOption), parse.GetValue(noteOption), parse.GetValue(assignOption)), host.User, cancellationToken);
            host.Console.WriteLine(outcome.Message);
            return CliApp.Ok;
        }));
        orders.Add(create);
    }

    private static void AddComplete(CliHost host, Command orders)
    {
        var orderOption = new Option<long>("--order") { Description = "The order's number", Required = true };
        var resultOption = new Option<string>("--result") { Description = "done, no-access, passed, failed, leak-found, no-leak-found (disconnects and reconnects: disconnected, reconnected...)", Required = true };
        var readingOption = new Option<long?>("--reading") { Description = "The meter read taken (a removed or exchanged meter's final read)" };
        var newMeterOption = new Option<string?>("--new-meter") { Description = "The serial of the meter set (a meter set or exchange)" };
        var newReadingOption = new Option<long?>("--new-reading") { Description = "The initial read of the meter set" };
        var noteOption = new Option<string?>("--note") { Description = "What the field found" };
        var complete = new Command("complete", "Complete an order with its result, posting its read, meter work and fee; an order completes once.") { orderOption, resultOption, readingOption, newMeterOption, newReadingOption, noteOption };
        complete.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var completion = new OpenCIS.UseCases.Collections.FieldCompletion(OrderTypes.ParseResult(parse.GetValue(resultOption)), parse.GetValue(readingOption), Note: parse.GetValue(noteOption),
                NewMeterSerial: parse.GetValue(newMeterOption), NewMeterReading: parse.GetValue(newReadingOption));
            var outcome = await services.GetRequiredService<OpenCIS.UseCases.Collections.CompleteFieldOrder>().ExecuteAsync(parse.GetValue(orderOption), completion, host.User, cancellationToken);
            host.Console.WriteLine(outcome.Message);
            return CliApp.Ok;
        }));
        orders.Add(complete);
    }
}
