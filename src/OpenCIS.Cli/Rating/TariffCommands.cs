using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Rating;
using OpenCIS.Storage.Rating;
using OpenCIS.UseCases.Rating;
using Spectre.Console;

namespace OpenCIS.Cli.Rating;

/// <summary>
/// <c>opencis tariff quote</c>: rates one bill under a tariff file, with no database, so anyone can
/// check a tariff against a utility's published examples line by line; <c>tariff values</c> (<see cref="RateValueCommands"/>)
/// keeps the dated values tariffs name.
/// </summary>
public static class TariffCommands
{
    public static void AddTo(CliHost host)
    {
        var tariff = Build(host.Console, host.Configuration, host.WithServices, host.User);
        tariff.Add(RateValueCommands.Build(host));
        host.Root.Add(tariff);
    }

    private static Command Build(IAnsiConsole console, IConfiguration configuration, Func<Func<IServiceProvider, Task<int>>, Task<int>> withServices, string user)
    {
        var tariffOption = new Option<FileInfo>("--tariff") { Description = "The tariff file (YAML, see docs/tariffs.md)", Required = true };
        var fromOption = new Option<string>("--from") { Description = "First day of service, YYYY-MM-DD", Required = true };
        var toOption = new Option<string>("--to") { Description = "Last day of service, YYYY-MM-DD", Required = true };
        var usageOption = new Option<string?>("--usage") { Description = "Use in the period, with its unit: 7500gal, 7ccf, 1200kwh" };
        var registerOption = new Option<string[]>("--register") { Description = "Use on a register: ON=300kwh (repeatable)", AllowMultipleArgumentsPerToken = false };
        var meterSizeOption = new Option<string?>("--meter-size") { Description = "The meter's size as the tariff names it, e.g. 5/8\"" };
        var winterOption = new Option<string?>("--winter-average") { Description = "Winter average use per bill, with its unit: 6900gal" };
        var riderOption = new Option<string[]>("--rider") { Description = "This month's value of a rider, per unit: PCF=0.085 (repeatable)" };
        var unitsOption = new Option<decimal>("--units") { Description = "Counted units for flat charges (carts, dwelling units, equivalent residential units: 54.45)", DefaultValueFactory = _ => 0 };
        var demandOption = new Option<string?>("--demand") { Description = "The period's highest demand, with its unit: 120kw, 95kva" };
        var demandHistoryOption = new Option<string?>("--demand-history") { Description = "Billing demand of the bills before, most recent first, in the demand's unit: 150,140,132 (for a ratchet)" };
        var powerFactorOption = new Option<decimal?>("--power-factor") { Description = "The period's power factor, 0 to 1: 0.85 (for a power factor adjustment)" };
        var heatingValueOption = new Option<decimal?>("--heating-value") { Description = "The gas's heating value, therms per CCF: 1.037 (for charges priced in therms)" };
        var attributeOption = new Option<string[]>("--attribute") { Description = "An attribute of the service that chooses a price: cart_size=96gal (repeatable)" };
        var programOption = new Option<string[]>("--program") { Description = "A program the account is enrolled in, for charges limited to it: senior (repeatable)" };
        var areaOption = new Option<decimal?>("--impervious-area") { Description = "The premise's impervious area in square feet: 3400 (for area charges such as stormwater)" };
        var intervalsOption = new Option<FileInfo?>("--intervals") { Description = "Interval reads for time-of-use registers and demand: a CSV of start,minutes,kwh (start in local time, 2026-07-01T14:00)" };
        var jsonOption = new Option<bool>("--json") { Description = "Print one JSON object: lines with code, description, amount and trace, and the total" };
        var quote = new Command("quote", "Rate one bill under a tariff file and print each line with its calculation and the total.")
        {
            tariffOption, fromOption, toOption, usageOption, registerOption, meterSizeOption, winterOption, riderOption, unitsOption, demandOption, demandHistoryOption, powerFactorOption, heatingValueOption, areaOption, attributeOption, programOption, intervalsOption, jsonOption,
        };
        quote.SetAction(parse =>
        {
            try
            {
                var file = parse.GetValue(tariffOption)!;
                if (!file.Exists)
                {
                    throw new DomainException($"--tariff: there is no file {file.FullName}.", "--tariff");
                }

                var tariff = TariffYaml.Read(File.ReadAllText(file.FullName), file.Name);
                var period = QuoteTariff.Period(Date(parse.GetValue(fromOption)!, "--from"), Date(parse.GetValue(toOption)!, "--to"));
                var input = new RatingInput(period, parse.GetValue(usageOption) is { } usage ? Amount(usage, "--usage") : null, parse.GetValue(meterSizeOption), parse.GetValue(unitsOption))
                {
                    Registers = Pairs(parse.GetValue(registerOption), "--register").ToImmutableDictionary(p => p.Name, p => Amount(p.Value, "--register")),
                    WinterAverage = parse.GetValue(winterOption) is { } winter ? Amount(winter, "--winter-average") : null,
                    Riders = Pairs(parse.GetValue(riderOption), "--rider").ToImmutableDictionary(p => p.Name, p => Number(p.Value, "--rider")),
                    Demand = parse.GetValue(demandOption) is { } demand ? Amount(demand, "--demand") : null,
                    DemandHistory = parse.GetValue(demandHistoryOption) is { } history
                        ? [.. history.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(h => Number(h, "--demand-history"))]
                        : [],
                    PowerFactor = parse.GetValue(powerFactorOption),
                    HeatingValue = parse.GetValue(heatingValueOption),
                    ImperviousArea = parse.GetValue(areaOption),
                    Attributes = Pairs(parse.GetValue(attributeOption), "--attribute").ToImmutableDictionary(p => p.Name, p => p.Value),
                    Programs = [.. parse.GetValue(programOption) ?? []],
                    Intervals = parse.GetValue(intervalsOption) is { } intervals
                        ? intervals.Exists ? QuoteTariff.Intervals(intervals.Name, File.ReadAllBytes(intervals.FullName)) : throw new DomainException($"there is no file {intervals.FullName}.", "intervals")
                        : [],
                };
                var conversion = configuration["OPENCIS_GALLONS_PER_CCF"] is { Length: > 0 } factor ? new UnitConversion(Number(factor, "OPENCIS_GALLONS_PER_CCF")) : UnitConversion.Default;
                var lines = QuoteTariff.Rate(tariff, input, conversion);
                var total = Money.Sum(lines.Select(l => l.Amount));
                if (parse.GetValue(jsonOption))
                {
                    var json = new
                    {
                        lines = lines.Select(l => new { code = l.Code, description = l.Description, amount = l.Amount.Dollars.ToString("0.00", CultureInfo.InvariantCulture), trace = l.Trace }),
                        total = total.Dollars.ToString("0.00", CultureInfo.InvariantCulture),
                    };
                    console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(json, JsonOutput));
                    return CliApp.Ok;
                }

                var table = new Table().Title($"{Markup.Escape(tariff.Name)} ({Markup.Escape(tariff.Code)}, effective {tariff.EffectiveFrom:yyyy-MM-dd}), {period}")
                    .AddColumns("Code", "Line", "Calculation", "Amount");
                table.Columns[3].RightAligned();
                foreach (var line in lines)
                {
                    table.AddRow(Markup.Escape(line.Code), Markup.Escape(line.Description), Markup.Escape(line.Trace), line.Amount.ToString());
                }

                table.AddRow("", "[bold]Total[/]", "", $"[bold]{total}[/]");
                console.Write(table);
                return CliApp.Ok;
            }
            catch (TariffFormatException exception)
            {
                foreach (var error in exception.Errors)
                {
                    console.MarkupLineInterpolated($"[red]{error.ToString()}[/]");
                }

                return CliApp.BadInput;
            }
            catch (DomainException exception)
            {
                // The engine names its inputs as the API does; here they are the command's options.
                var option = exception.Field switch
                {
                    "usage" => "--usage: ",
                    "to" => "--to: ",
                    "meterSize" => "--meter-size: ",
                    "winterAverage" => "--winter-average: ",
                    "registers" => "--register: ",
                    "riders" => "--rider: ",
                    "demand" => "--demand: ",
                    "powerFactor" => "--power-factor: ",
                    "heatingValue" => "--heating-value: ",
                    "imperviousArea" => "--impervious-area: ",
                    "attributes" => "--attribute: ",
                    "intervals" => "--intervals: ",
                    "tariff" or "period" => "--from/--to: ",
                    _ => "",
                };
                console.MarkupLineInterpolated($"[red]{option}{exception.Message}[/]");
                return CliApp.BadInput;
            }
        });

        var fileOption = new Option<FileInfo>("--file") { Description = "The tariff file (YAML)", Required = true };
        var serviceOption = new Option<string?>("--service") { Description = "water, sewer, trash, stormwater or electric (when the file does not say)" };
        var import = new Command("import", "Add a version of a rate schedule from its YAML file; any problem and nothing is stored.") { fileOption, serviceOption };
        import.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var file = parse.GetValue(fileOption)!;
            if (!file.Exists)
            {
                throw new DomainException($"--file: there is no file {file.FullName}.", "--file");
            }

            Core.Billing.Service? service = parse.GetValue(serviceOption) is { } text
                ? Enum.TryParse<Core.Billing.Service>(text, ignoreCase: true, out var parsed) ? parsed : throw new DomainException($"--service: '{text}' is not a service.", "--service")
                : null;
            var outcome = await services.GetRequiredService<ImportTariff>().ExecuteAsync(file.Name, await File.ReadAllTextAsync(file.FullName, cancellationToken), service, user, cancellationToken);
            foreach (var error in outcome.Errors)
            {
                console.MarkupLineInterpolated($"[red]{error.ToString()}[/]");
            }

            console.WriteLine(outcome.Message);
            return outcome.Errors.Count == 0 ? CliApp.Ok : CliApp.BadInput;
        }));

        var codeOption = new Option<string>("--code") { Description = "The schedule's code", Required = true };
        var effectiveOption = new Option<string?>("--effective") { Description = "The version's effective date, YYYY-MM-DD (default: the latest)" };
        var outOption = new Option<FileInfo?>("--out") { Description = "Write the YAML here (default: standard output)" };
        var export = new Command("export", "Write a rate schedule version as YAML.") { codeOption, effectiveOption, outOption };
        export.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var effective = parse.GetValue(effectiveOption) is { } text ? Date(text, "--effective") : (DateOnly?)null;
            var found = await services.GetRequiredService<ImportTariff>().ExportAsync(parse.GetValue(codeOption)!, effective, cancellationToken)
                ?? throw new DomainException($"There is no rate schedule {parse.GetValue(codeOption)}{(effective is null ? "" : $" effective {effective:yyyy-MM-dd}")}.", "--code");
            if (parse.GetValue(outOption) is { } outFile)
            {
                await File.WriteAllTextAsync(outFile.FullName, found.Yaml, cancellationToken);
                console.WriteLine($"Wrote {found.Row.Code} effective {found.Row.EffectiveFrom:yyyy-MM-dd} to {outFile.FullName}.");
            }
            else
            {
                console.Profile.Out.Writer.Write(found.Yaml);
            }

            return CliApp.Ok;
        }));

        var list = new Command("list", "Every rate schedule version, newest first within each code.");
        list.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var table = new Table().AddColumns("Code", "Name", "Service", "Effective", "Charges");
            foreach (var version in await services.GetRequiredService<ImportTariff>().VersionsAsync(cancellationToken))
            {
                table.AddRow(Markup.Escape(version.Code), Markup.Escape(version.Name), version.Service.ToString(), version.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), version.Charges.ToString(CultureInfo.InvariantCulture));
            }

            console.Write(table);
            return CliApp.Ok;
        }));

        var proposedOption = new Option<FileInfo>("--proposed") { Description = "The proposed version (YAML); it is compared with the version of the same code in force", Required = true };
        var compareCycleOption = new Option<string?>("--cycle") { Description = "Only the accounts of this cycle (default: all accounts)" };
        var csvOption = new Option<FileInfo?>("--csv") { Description = "Also write the report as CSV here" };
        var compare = new Command("compare", "Rate each account's last bill under the schedule in force and under a proposed version, posting nothing; report by class and service.") { proposedOption, compareCycleOption, csvOption };
        compare.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var file = parse.GetValue(proposedOption)!;
            if (!file.Exists)
            {
                throw new DomainException($"--proposed: there is no file {file.FullName}.", "--proposed");
            }

            Tariff proposed;
            try
            {
                proposed = TariffYaml.Read(await File.ReadAllTextAsync(file.FullName, cancellationToken), file.Name);
            }
            catch (TariffFormatException exception)
            {
                foreach (var error in exception.Errors)
                {
                    console.MarkupLineInterpolated($"[red]{error.ToString()}[/]");
                }

                return CliApp.BadInput;
            }

            var report = await services.GetRequiredService<CompareRates>().ExecuteAsync(proposed, parse.GetValue(compareCycleOption), cancellationToken);
            var table = new Table().Title($"{Markup.Escape(proposed.Code)}: in force vs proposed (effective {proposed.EffectiveFrom:yyyy-MM-dd}){(report.Cycle is null ? "" : $", cycle {Markup.Escape(report.Cycle)}")}")
                .AddColumns("Class", "Service", "Bills", "Average now", "Average proposed", "Change", "Change %", "Distribution of changes");
            foreach (var group in report.Groups)
            {
                table.AddRow(group.AccountClass, group.Service, group.Bills.ToString("N0", CultureInfo.InvariantCulture), group.AverageCurrent.ToString(), group.AverageProposed.ToString(), group.AverageChange.ToString(),
                    group.ChangePercent is { } percent ? percent.ToString("0.00", CultureInfo.InvariantCulture) + "%" : "-",
                    Markup.Escape(string.Join("; ", group.Distribution.Where(d => d.Bills > 0).Select(d => $"{d.Label}: {d.Bills:N0}"))));
            }

            console.Write(table);
            console.WriteLine($"{report.Compared:N0} bills compared; {report.Skipped:N0} could not be rated.");
            foreach (var reason in report.SkippedReasons.Take(10))
            {
                console.WriteLine(reason);
            }

            if (parse.GetValue(csvOption) is { } csv)
            {
                await File.WriteAllTextAsync(csv.FullName, CompareRates.Csv(report), cancellationToken);
                console.WriteLine($"Wrote {csv.FullName}.");
            }

            return CliApp.Ok;
        }));

        var tariff = new Command("tariff", "Tariffs (rate schedules) as YAML files.");
        tariff.Add(compare);
        tariff.Add(quote);
        tariff.Add(import);
        tariff.Add(export);
        tariff.Add(list);
        return tariff;
    }

    private static readonly JsonSerializerOptions JsonOutput = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static DateOnly Date(string text, string option) => CliApp.ParseDate(text, option);



    private static decimal Number(string text, string option) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new DomainException($"{option}: '{text}' is not a number.", option);

    private static Quantity Amount(string text, string option) =>
        Quantity.TryParse(text, out var quantity)
            ? quantity
            : throw new DomainException($"{option}: '{text}' is not a quantity with a unit (gal, kgal, cf, ccf, m3, kwh, wh), e.g. 7500gal.", option);

    private static IEnumerable<(string Name, string Value)> Pairs(string[]? values, string option) =>
        (values ?? []).Select(value => value.Split('=', 2) is [var name, var rest] && name.Length > 0
            ? (name.Trim(), rest.Trim())
            : throw new DomainException($"{option}: '{value}' is not NAME=VALUE.", option));
}
