using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Collections;
using Spectre.Console;

namespace OpenCIS.Cli.Collections;

/// <summary>
/// <c>opencis collections template import|export|list</c>: the notice templates (Liquid) as versions, the
/// same workflow the API and the template screen use; a template with any problem is refused, each problem
/// printed with its line and field. <c>opencis collections notices pdf|export|door-hangers</c>: a day's mailed
/// notices as one print-ready PDF and as the print vendor's file, and its door hangers as one PDF by route.
/// </summary>
public static class NoticeCommands
{
    public static void AddTo(Command collections, CliHost host)
    {
        var template = new Command("template", "Notice templates (Liquid, docs/collections.md), one version per import.");
        template.Add(Import(host));
        template.Add(Export(host));
        template.Add(List(host));
        collections.Add(template);

        var notices = new Command("notices", "The notices the daily run wrote: a day's mailed notices as one PDF or as the print vendor's file, and its door hangers as one PDF for the field.");
        notices.Add(Pdf(host));
        notices.Add(PrintFile(host));
        notices.Add(DoorHangers(host));
        collections.Add(notices);
    }

    private static Command Pdf(CliHost host) =>
        PdfCommand(host, "pdf", "Write the day's mailed notices as one print-ready PDF (each notice from a new page).", "notices",
            (queries, date, cancellationToken) => queries.DayPdfAsync(date, cancellationToken));

    /// <summary>The field crew's stack: the day's door hangers by route and route order, never in the mailed PDF or the vendor's file.</summary>
    private static Command DoorHangers(CliHost host) =>
        PdfCommand(host, "door-hangers", "Write the day's door hangers as one PDF for the field crew, by route and route order (each from a new page).", "door hangers",
            (queries, date, cancellationToken) => queries.DoorHangersPdfAsync(date, cancellationToken));

    private static Command PdfCommand(CliHost host, string name, string description, string what, Func<NoticeQueries, DateOnly, CancellationToken, Task<NoticePdf>> render)
    {
        var dateOption = new Option<string>("--date") { Description = "Business date, YYYY-MM-DD", Required = true };
        var outOption = new Option<FileInfo>("--out") { Description = "Write the PDF here", Required = true };
        var pdf = new Command(name, description) { dateOption, outOption };
        pdf.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var date = Date(parse.GetValue(dateOption)!);
            var outFile = parse.GetValue(outOption)!;
            var document = await render(services.GetRequiredService<NoticeQueries>(), date, cancellationToken);
            await File.WriteAllBytesAsync(outFile.FullName, document.Pdf, cancellationToken);
            host.Console.WriteLine($"Wrote {document.Pages:N0} pages of {what} for {date:yyyy-MM-dd} to {outFile.FullName}.");
            return CliApp.Ok;
        }));
        return pdf;
    }

    private static Command PrintFile(CliHost host)
    {
        var dateOption = new Option<string>("--date") { Description = "Business date, YYYY-MM-DD", Required = true };
        var outOption = new Option<FileInfo>("--out") { Description = "Write the file here", Required = true };
        var export = new Command("export", "Write the day's print-vendor file of mailed notices (layout in docs/collections.md).") { dateOption, outOption };
        export.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var date = Date(parse.GetValue(dateOption)!);
            var outFile = parse.GetValue(outOption)!;
            await using var stream = File.Create(outFile.FullName);
            var summary = await services.GetRequiredService<NoticeQueries>().WritePrintFileAsync(date, stream, cancellationToken);
            host.Console.WriteLine($"Wrote {summary.Notices:N0} notices ({summary.Records:N0} records) for {date:yyyy-MM-dd} to {outFile.FullName}.");
            return CliApp.Ok;
        }));
        return export;
    }

    private static DateOnly Date(string text) =>
        IsoDate.TryParse(text, out var date) ? date : throw new DomainException($"--date: '{text}' is not a date YYYY-MM-DD.", "--date");

    private static Command Import(CliHost host)
    {
        var fileOption = new Option<FileInfo>("--file") { Description = "The template (Liquid)", Required = true };
        var kindOption = new Option<string?>("--kind") { Description = $"The notice kind: {string.Join(", ", NoticeTemplates.Kinds)} (default: the file's name, such as final_notice.liquid)" };
        var languageOption = LanguageOption();
        var import = new Command("import", "Add a version of a notice template from its file; any problem and nothing is stored.") { fileOption, kindOption, languageOption };
        import.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var file = parse.GetValue(fileOption)!;
            if (!file.Exists)
            {
                throw new DomainException($"--file: there is no file {file.FullName}.", "--file");
            }

            var kind = parse.GetValue(kindOption) ?? Path.GetFileNameWithoutExtension(file.Name);
            var outcome = await services.GetRequiredService<ImportNoticeTemplate>()
                .ExecuteAsync(kind, parse.GetValue(languageOption)!, file.Name, await File.ReadAllTextAsync(file.FullName, cancellationToken), host.User, cancellationToken);
            return CliApp.Imported(host.Console, outcome.Errors, outcome.Message);
        }));
        return import;
    }

    private static Command Export(CliHost host)
    {
        var kindOption = new Option<string>("--kind") { Description = "The notice kind", Required = true };
        var versionOption = new Option<int?>("--version") { Description = "The version number (default: the latest)" };
        var outOption = new Option<FileInfo?>("--out") { Description = "Write the template here (default: standard output)" };
        var languageOption = LanguageOption();
        var export = new Command("export", "Write a notice template version exactly as imported.") { kindOption, versionOption, languageOption, outOption };
        export.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var kind = parse.GetValue(kindOption)!;
            var version = parse.GetValue(versionOption);
            var language = parse.GetValue(languageOption)!;
            var found = await services.GetRequiredService<ImportNoticeTemplate>().ExportAsync(kind, version, language, cancellationToken)
                ?? throw new DomainException($"There is no {ImportNoticeTemplate.Name(kind, language)} template{(version is null ? "" : $" version {version}")}.", "--kind");
            return await CliApp.ExportAsync(host.Console, parse.GetValue(outOption), found.Text, $"the {ImportNoticeTemplate.Name(found.Kind, found.Language)} template version {found.Version}", cancellationToken);
        }));
        return export;
    }

    private static Option<string> LanguageOption() => new("--language")
    {
        Description = $"The language the template is written in: {string.Join(", ", ImportNoticeTemplate.Languages)} (a customer's notices and letters come from their language's template, else the English one)",
        DefaultValueFactory = _ => "en",
    };

    private static Command List(CliHost host)
    {
        var list = new Command("list", "Every notice template version, newest first within each kind and language.");
        list.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var table = new Table().AddColumns("Kind", "Language", "Version", "Lines", "Imported", "By");
            foreach (var v in await services.GetRequiredService<ImportNoticeTemplate>().ListAsync(cancellationToken))
            {
                table.AddRow(v.Kind, v.Language, v.Version.ToString(CultureInfo.InvariantCulture), v.Lines.ToString(CultureInfo.InvariantCulture),
                    v.ImportedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC", Markup.Escape(v.ImportedBy));
            }

            host.Console.Write(table);
            return CliApp.Ok;
        }));
        return list;
    }
}
