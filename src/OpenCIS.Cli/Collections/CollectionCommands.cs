using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Collections;
using Spectre.Console;

namespace OpenCIS.Cli.Collections;

/// <summary>
/// <c>opencis collections simulate</c>: runs a collection policy over one account's scenario with no
/// database and prints, day by day, each action with its amount and reason (or one JSON object). The
/// group also holds <c>collections policy</c> and <c>collections temperature</c>.
/// </summary>
public static class CollectionCommands
{
    private static readonly JsonSerializerOptions JsonOutput = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void AddTo(CliHost host)
    {
        var collections = host.Group("collections", "Collections: late charges, notices, protections and the disconnect list.");
        collections.Add(Simulate(host.Console));
        collections.Add(CollectionPolicyCommands.Build(host));
        collections.Add(TemperatureCommands.Build(host));
        NoticeCommands.AddTo(collections, host);
    }

    private static Command Simulate(IAnsiConsole console)
    {
        var policyOption = new Option<FileInfo>("--policy") { Description = "The collection policy (YAML, see docs/collections.md)", Required = true };
        var scenarioOption = new Option<FileInfo>("--scenario") { Description = "The account's scenario (YAML, see docs/collections.md)", Required = true };
        var jsonOption = new Option<bool>("--json") { Description = "Print one JSON object: {\"events\":[{\"date\",\"action\",\"amount\",\"reason\"}]}" };
        var simulate = new Command("simulate", "Run a collection policy over one account's bills, payments and protections, day by day, with no database.")
        {
            policyOption, scenarioOption, jsonOption,
        };
        simulate.SetAction(parse =>
        {
            try
            {
                var policy = Existing(parse.GetValue(policyOption)!, "--policy");
                var scenario = Existing(parse.GetValue(scenarioOption)!, "--scenario");
                var simulation = SimulateCollections.Run(File.ReadAllText(policy.FullName), policy.Name, File.ReadAllText(scenario.FullName), scenario.Name);
                if (parse.GetValue(jsonOption))
                {
                    var json = new
                    {
                        events = simulation.Events.Select(e => new
                        {
                            date = e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                            action = e.Action.ToString(),
                            amount = e.Amount?.ToPlainString(),
                            reason = e.Reason,
                        }),
                    };
                    console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(json, JsonOutput));
                    return CliApp.Ok;
                }

                var table = new Table()
                    .Title($"{Markup.Escape(simulation.Policy.Name)} ({Markup.Escape(simulation.Policy.Code)}), {simulation.Scenario.From:yyyy-MM-dd} to {simulation.Scenario.To:yyyy-MM-dd}")
                    .AddColumns("Date", "Action", "Amount", "Reason");
                table.Columns[2].RightAligned();
                foreach (var e in simulation.Events)
                {
                    table.AddRow(e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), e.Action.ToString(), e.Amount?.ToString() ?? "", Markup.Escape(e.Reason));
                }

                console.Write(table);
                console.WriteLine($"{simulation.Events.Length} event{(simulation.Events.Length == 1 ? "" : "s")}.");
                return CliApp.Ok;
            }
            catch (CollectionFileException exception)
            {
                return CliApp.Refused(console, exception.Errors);
            }
            catch (DomainException exception)
            {
                console.MarkupLineInterpolated($"[red]{exception.Message}[/]");
                return CliApp.BadInput;
            }
        });
        return simulate;
    }

    private static FileInfo Existing(FileInfo file, string option) =>
        file.Exists ? file : throw new DomainException($"{option}: there is no file {file.FullName}.", option);
}
