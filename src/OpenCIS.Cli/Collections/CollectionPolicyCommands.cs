using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Collections;
using Spectre.Console;

namespace OpenCIS.Cli.Collections;

/// <summary>
/// <c>opencis collections policy import|export|list</c>: collection policies as versions of YAML, the same
/// workflow the API and the policy screens use. A file with any problem is refused whole, each problem
/// printed with its line and field.
/// </summary>
public static class CollectionPolicyCommands
{
    public static Command Build(CliHost host)
    {
        var policy = new Command("policy", "Collection policies as YAML files (docs/collections.md), one version per import.");
        policy.Add(Import(host));
        policy.Add(Export(host));
        policy.Add(List(host));
        return policy;
    }

    private static Command Import(CliHost host)
    {
        var fileOption = new Option<FileInfo>("--file") { Description = "The collection policy (YAML)", Required = true };
        var import = new Command("import", "Add a version of a collection policy from its YAML file; any problem and nothing is stored.") { fileOption };
        import.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var file = parse.GetValue(fileOption)!;
            if (!file.Exists)
            {
                throw new DomainException($"--file: there is no file {file.FullName}.", "--file");
            }

            var outcome = await services.GetRequiredService<ImportCollectionPolicy>()
                .ExecuteAsync(file.Name, await File.ReadAllTextAsync(file.FullName, cancellationToken), host.User, cancellationToken);
            return CliApp.Imported(host.Console, outcome.Errors, outcome.Message);
        }));
        return import;
    }

    private static Command Export(CliHost host)
    {
        var codeOption = new Option<string>("--code") { Description = "The policy's code", Required = true };
        var versionOption = new Option<int?>("--version") { Description = "The version number (default: the latest)" };
        var outOption = new Option<FileInfo?>("--out") { Description = "Write the YAML here (default: standard output)" };
        var export = new Command("export", "Write a collection policy version as YAML, exactly as imported.") { codeOption, versionOption, outOption };
        export.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var code = parse.GetValue(codeOption)!;
            var version = parse.GetValue(versionOption);
            var found = await services.GetRequiredService<ImportCollectionPolicy>().ExportAsync(code, version, cancellationToken)
                ?? throw new DomainException($"There is no collection policy {code}{(version is null ? "" : $" version {version}")}.", "--code");
            return await CliApp.ExportAsync(host.Console, parse.GetValue(outOption), found.Yaml, $"{found.Code} version {found.Version}", cancellationToken);
        }));
        return export;
    }

    private static Command List(CliHost host)
    {
        var list = new Command("list", "Every collection policy version, newest first within each code.");
        list.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var table = new Table().AddColumns("Code", "Version", "Name", "Effective", "Classes", "Debt types", "Imported", "By");
            foreach (var v in await services.GetRequiredService<ImportCollectionPolicy>().ListAsync(cancellationToken))
            {
                table.AddRow(Markup.Escape(v.Code), v.Version.ToString(CultureInfo.InvariantCulture), Markup.Escape(v.Name), v.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Markup.Escape(AllWhenEmpty(v.AccountClasses)), Markup.Escape(AllWhenEmpty(v.DebtTypes)), v.ImportedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC", Markup.Escape(v.ImportedBy));
            }

            host.Console.Write(table);
            return CliApp.Ok;
        }));
        return list;
    }

    private static string AllWhenEmpty(string commaSeparated) => commaSeparated.Length == 0 ? "all" : commaSeparated.Replace(",", ", ", StringComparison.Ordinal);
}
