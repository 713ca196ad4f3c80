using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Collections;
using Spectre.Console;

namespace OpenCIS.Cli.Collections;

/// <summary>
/// <c>opencis collections temperature post|import</c>: the day's forecast low and high that the cold and heat
/// protections read, by hand or from a CSV (<c>date,low_f,high_f</c>) checked whole.
/// </summary>
public static class TemperatureCommands
{
    public static Command Build(CliHost host)
    {
        var temperature = new Command("temperature", "The forecast low and high (°F) posted for each day.");
        temperature.Add(Post(host));
        temperature.Add(Import(host));
        return temperature;
    }

    private static Command Post(CliHost host)
    {
        var dateOption = new Option<string>("--date") { Description = "The day, YYYY-MM-DD", Required = true };
        var lowOption = new Option<int>("--low") { Description = "The forecast low, °F", Required = true };
        var highOption = new Option<int>("--high") { Description = "The forecast high, °F", Required = true };
        var post = new Command("post", "Post a day's forecast low and high; posting a day again replaces it.") { dateOption, lowOption, highOption };
        post.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var date = CliApp.ParseDate(parse.GetValue(dateOption)!, "--date");
            var posted = await services.GetRequiredService<PostTemperatures>().ExecuteAsync(date, parse.GetValue(lowOption), parse.GetValue(highOption), host.User, cancellationToken);
            host.Console.WriteLine($"Posted {posted.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}: low {posted.LowF}°F, high {posted.HighF}°F.");
            return CliApp.Ok;
        }));
        return post;
    }

    private static Command Import(CliHost host)
    {
        var fileOption = new Option<FileInfo>("--file") { Description = "A CSV with the header date,low_f,high_f", Required = true };
        var import = new Command("import", "Post the days of a CSV (date,low_f,high_f); any problem and nothing is posted.") { fileOption };
        import.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var file = parse.GetValue(fileOption)!;
            if (!file.Exists)
            {
                throw new DomainException($"--file: there is no file {file.FullName}.", "--file");
            }

            var outcome = await services.GetRequiredService<PostTemperatures>().ImportAsync(file.Name, await File.ReadAllBytesAsync(file.FullName, cancellationToken), host.User, cancellationToken);
            var exitCode = CliApp.Refused(host.Console, outcome.Errors);
            host.Console.WriteLine(outcome.Message);
            return outcome.Imported ? CliApp.Ok : exitCode;
        }));
        return import;
    }
}
