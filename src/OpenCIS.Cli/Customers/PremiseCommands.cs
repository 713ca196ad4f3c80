using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Customers;
using Spectre.Console;

namespace OpenCIS.Cli.Customers;

/// <summary>
/// <c>opencis premises import --file F</c>: premises, service points and meters into inventory from a CSV; any bad line and
/// nothing is imported. <c>premises areas</c> (<see cref="ParcelAreaCommands"/>) keeps each parcel's impervious area.
/// </summary>
public static class PremiseCommands
{
    public static void AddTo(CliHost host)
    {
        var premises = host.Group("premises", "Premises in inventory: import new construction from a CSV file; each parcel's impervious area.");
        var fileOption = new Option<FileInfo>("--file") { Description = $"A CSV with the header {string.Join(",", PremiseInventory.Columns)} (the last four optional)", Required = true };
        var import = new Command("import", "Add the premises of a CSV to inventory, with a service point per service and the meters set; any problem and nothing is imported.") { fileOption };
        import.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var file = parse.GetValue(fileOption)!;
            if (!file.Exists)
            {
                throw new DomainException($"--file: there is no file {file.FullName}.", "--file");
            }

            var outcome = await services.GetRequiredService<PremiseInventory>().ImportAsync(file.Name, await File.ReadAllBytesAsync(file.FullName, cancellationToken), host.User, cancellationToken);
            var exitCode = CliApp.Refused(host.Console, outcome.Errors);
            host.Console.WriteLine(outcome.Message);
            return outcome.Imported ? CliApp.Ok : exitCode;
        }));
        premises.Add(import);
        premises.Add(ParcelAreaCommands.Build(host));
    }
}
