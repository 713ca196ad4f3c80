using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Customers;
using Spectre.Console;

namespace OpenCIS.Cli.Customers;

/// <summary>
/// <c>opencis premises areas set|import</c>: each parcel's impervious area in square feet, which stormwater is billed on,
/// kept on every premise of the parcel; by hand or from the GIS export (<c>parcel_id,impervious_sqft</c>) checked whole.
/// </summary>
public static class ParcelAreaCommands
{
    public static Command Build(CliHost host)
    {
        var areas = new Command("areas", "Each parcel's impervious area (sq ft), which stormwater is billed on.");
        areas.Add(Set(host));
        areas.Add(Import(host));
        return areas;
    }

    private static Command Set(CliHost host)
    {
        var parcelArgument = new Argument<string>("parcel") { Description = "The parcel id" };
        var sqftOption = new Option<string?>("--sqft") { Description = "The impervious area in square feet: 3250" };
        var clearOption = new Option<bool>("--clear") { Description = "Clear the parcel's area instead" };
        var set = new Command("set", "Set (or --clear) the impervious area on every premise of the parcel; audited.") { parcelArgument, sqftOption, clearOption };
        set.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var text = parse.GetValue(sqftOption);
            var clear = parse.GetValue(clearOption);
            if ((text is null) == !clear)
            {
                throw new DomainException("Give either --sqft N or --clear.", "--sqft");
            }

            decimal? area = clear ? null
                : decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var parsed) ? parsed
                : throw new DomainException($"--sqft: '{text}' is not a number of square feet.", "--sqft");
            try
            {
                var set = await services.GetRequiredService<ParcelAreas>().SetAsync(parse.GetValue(parcelArgument)!, area, host.User, cancellationToken);
                var premises = $"{set.Premises} premise{(set.Premises == 1 ? "" : "s")}";
                host.Console.WriteLine(set.ImperviousArea is { } sqft
                    ? $"Parcel {set.ParcelId}: impervious area {sqft.ToString("#,##0.##", CultureInfo.InvariantCulture)} sq ft on {premises}."
                    : $"Parcel {set.ParcelId}: impervious area cleared on {premises}.");
                return CliApp.Ok;
            }
            catch (DomainException exception)
            {
                var option = exception.Field switch
                {
                    "imperviousArea" => "--sqft: ",
                    _ => "",
                };
                throw new DomainException(option + exception.Message, exception.Field);
            }
        }));
        return set;
    }

    private static Command Import(CliHost host)
    {
        var fileOption = new Option<FileInfo>("--file") { Description = "A CSV with the header parcel_id,impervious_sqft (the GIS export)", Required = true };
        var import = new Command("import", "Set the areas of a CSV (parcel_id,impervious_sqft); any problem, such as an unknown parcel, and nothing changes.") { fileOption };
        import.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var file = parse.GetValue(fileOption)!;
            if (!file.Exists)
            {
                throw new DomainException($"--file: there is no file {file.FullName}.", "--file");
            }

            var outcome = await services.GetRequiredService<ParcelAreas>().ImportAsync(file.Name, await File.ReadAllBytesAsync(file.FullName, cancellationToken), host.User, cancellationToken);
            var exitCode = CliApp.Refused(host.Console, outcome.Errors);
            host.Console.WriteLine(outcome.Message);
            return outcome.Imported ? CliApp.Ok : exitCode;
        }));
        return import;
    }
}
