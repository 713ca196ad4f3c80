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

namespace OpenCIS.Cli.Metering;

/// <summary>`opencis reads`: import a read file, validate a cycle's reads again, export a route sheet.</summary>
public static class ReadCommands
{
    public static void AddTo(CliHost host)
    {
        var console = host.Console;
        var user = host.User;
        var reads = host.Group("reads", "Meter reads.");
        var formatOption = new Option<string>("--format") { Description = "csv or greenbutton", DefaultValueFactory = _ => "csv" };
        formatOption.AcceptOnlyFromAmong("csv", "greenbutton");
        var readFileOption = new Option<FileInfo>("--file") { Description = "The read file", Required = true };
        var import = new Command("import", "Import a read file: every line checked first, then validated; suspect and rejected reads go to the review queue.") { formatOption, readFileOption };
        import.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var file = parse.GetValue(readFileOption)!;
            if (!file.Exists)
            {
                console.MarkupLineInterpolated($"[red]{file.FullName} does not exist.[/]");
                return BadInput;
            }

            var format = parse.GetValue(formatOption) == "greenbutton" ? ReadFileFormat.GreenButton : ReadFileFormat.Csv;
            var outcome = await services.GetRequiredService<ImportReads>().ExecuteAsync(file.Name, await File.ReadAllBytesAsync(file.FullName, cancellationToken), format, null, user, cancellationToken);
            foreach (var error in outcome.Errors.Take(200))
            {
                console.MarkupLineInterpolated($"[red]{error.ToString()}[/]");
            }

            if (outcome.Errors.Count > 200)
            {
                console.WriteLine($"... and {outcome.Errors.Count - 200} more errors.");
            }

            console.WriteLine(outcome.Message);
            return outcome.Errors.Count > 0 ? BadInput : Ok;
        }));
        var validateCycleOption = new Option<string>("--cycle") { Description = "Billing cycle code", Required = true };
        var validateDateOption = new Option<string>("--date") { Description = "Business date, YYYY-MM-DD", Required = true };
        var validate = new Command("validate", "Validate again the unreviewed reads of a cycle's read window for a business date.") { validateCycleOption, validateDateOption };
        validate.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var outcome = await services.GetRequiredService<RevalidateReads>().ExecuteAsync(parse.GetValue(validateCycleOption)!, ParseDate(parse.GetValue(validateDateOption)!, "--date"), user, cancellationToken);
            console.WriteLine(outcome.Message);
            return Ok;
        }));
        var routeOption = new Option<string>("--route") { Description = "Route code, e.g. C1-R3", Required = true };
        var outOption = new Option<FileInfo?>("--out") { Description = "Write the sheet here (default: standard output)" };
        var export = new Command("export-route", "Export a route's read sheet in route order (CSV the import accepts back).") { routeOption, outOption };
        export.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var stops = await services.GetRequiredService<RouteSheets>().StopsAsync(parse.GetValue(routeOption)!, null, cancellationToken);
            if (stops.Count == 0)
            {
                console.MarkupLineInterpolated($"[red]Route {parse.GetValue(routeOption)} has no active metered accounts.[/]");
                return BadInput;
            }

            var csv = RouteSheets.ToCsv(stops);
            if (parse.GetValue(outOption) is { } outFile)
            {
                await File.WriteAllTextAsync(outFile.FullName, csv, cancellationToken);
                console.WriteLine($"Wrote {stops.Count:N0} stops of route {parse.GetValue(routeOption)} to {outFile.FullName}.");
            }
            else
            {
                Console.Out.Write(csv);
            }

            return Ok;
        }));
        reads.Add(import);
        reads.Add(validate);
        reads.Add(export);
    }
}
