using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Rating;
using Spectre.Console;

namespace OpenCIS.Cli.Rating;

/// <summary>
/// <c>opencis tariff values list|set|import</c>: the dated values tariffs name (each rider's price per unit, the
/// heating value), by hand or from a CSV (<c>name,effective_from,value</c>) checked whole.
/// </summary>
public static class RateValueCommands
{
    public static Command Build(CliHost host)
    {
        var values = new Command("values", "The dated values tariffs name: riders' prices per unit and heating_value (therms per CCF).");
        values.Add(List(host));
        values.Add(Set(host));
        values.Add(Import(host));
        return values;
    }

    private static Command List(CliHost host)
    {
        var nameOption = new Option<string?>("--name") { Description = "Only the values of this name, e.g. PPA" };
        var list = new Command("list", "Every value by name, newest first, with who set it and when.") { nameOption };
        list.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var table = new Table().AddColumns("Name", "Effective from", "Value", "Set by", "Set (UTC)");
            table.Columns[2].RightAligned();
            var listed = await services.GetRequiredService<RateValueBook>().ListAsync(parse.GetValue(nameOption) is { Length: > 0 } name ? name.Trim() : null, cancellationToken);
            foreach (var value in listed)
            {
                table.AddRow(Markup.Escape(value.Name), value.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Show(value.Value),
                    Markup.Escape(value.RecordedBy), value.RecordedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            }

            host.Console.Write(table);
            host.Console.WriteLine($"{listed.Count:N0} value{(listed.Count == 1 ? "" : "s")}.");
            return CliApp.Ok;
        }));
        return list;
    }

    private static Command Set(CliHost host)
    {
        var nameArgument = new Argument<string>("name") { Description = "The value's name as the tariff names it: a rider (PPA) or heating_value" };
        var fromOption = new Option<string>("--from") { Description = "The date the value takes effect, YYYY-MM-DD", Required = true };
        var valueOption = new Option<string>("--value") { Description = "The price per unit in dollars (0.01235), or therms per CCF for heating_value (1.037)", Required = true };
        var set = new Command("set", "Set a value from a date; a value still to come may be corrected, one in force is history.") { nameArgument, fromOption, valueOption };
        set.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var from = CliApp.ParseDate(parse.GetValue(fromOption)!, "--from");
            var text = parse.GetValue(valueOption)!;
            var number = decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new DomainException($"--value: '{text}' is not a number.", "--value");
            try
            {
                var value = await services.GetRequiredService<RateValueBook>().SetAsync(parse.GetValue(nameArgument)!.Trim(), from, number, host.User, cancellationToken);
                host.Console.WriteLine($"{value.Name} is {Show(value.Value)} from {value.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.");
                return CliApp.Ok;
            }
            catch (DomainException exception)
            {
                // The workflow names its fields as the API does; here they are the command's options (its message names the name itself).
                throw CliApp.NamingOption(exception, ("effectiveFrom", "--from"), ("value", "--value"));
            }
        }));
        return set;
    }

    private static Command Import(CliHost host)
    {
        var fileOption = new Option<FileInfo>("--file") { Description = "A CSV with the header name,effective_from,value", Required = true };
        var import = new Command("import", "Set the values of a CSV (name,effective_from,value); any problem and nothing is set.") { fileOption };
        import.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var file = parse.GetValue(fileOption)!;
            if (!file.Exists)
            {
                throw new DomainException($"--file: there is no file {file.FullName}.", "--file");
            }

            var outcome = await services.GetRequiredService<RateValueBook>().ImportAsync(file.Name, await File.ReadAllBytesAsync(file.FullName, cancellationToken), host.User, cancellationToken);
            var exitCode = CliApp.Refused(host.Console, outcome.Errors);
            host.Console.WriteLine(outcome.Message);
            return outcome.Imported ? CliApp.Ok : exitCode;
        }));
        return import;
    }

    private static string Show(decimal value) => value.ToString("0.00####", CultureInfo.InvariantCulture);
}
