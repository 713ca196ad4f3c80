using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Liens;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Liens;
using Spectre.Console;

namespace OpenCIS.Cli.Liens;

/// <summary>Liens from the command line, through the use cases the screens and the API call: <c>liens run|list|show|document|release|certify</c>.</summary>
public static class LienCommands
{
    public static void AddTo(CliHost host)
    {
        var liens = host.Group("liens", "Liens: the daily lien run, the register, lien documents, releases and certification to the county tax roll.");
        liens.Add(Run(host));
        liens.Add(List(host));
        liens.Add(Show(host));
        liens.Add(Document(host));
        liens.Add(Release(host));
        liens.Add(Certify(host));
    }

    private static Command Run(CliHost host)
    {
        var dateOption = new Option<string?>("--date") { Description = "The business date, yyyy-MM-dd (default today); run it after that date's collections run" };
        var run = new Command("run", "Take the day's lien step on each account: notice, file with the fee, mark partly paid or satisfied.") { dateOption };
        run.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var date = parse.GetValue(dateOption) is { } text ? CliApp.ParseDate(text, "--date") : services.GetRequiredService<BusinessCalendar>().Today();
            var outcome = await services.GetRequiredService<RunLiens>().ExecuteAsync(date, host.User, cancellationToken);
            if (outcome.Steps.Count > 0)
            {
                var table = new Table().AddColumns("Account", "Lien", "Step", "Why");
                foreach (var step in outcome.Steps)
                {
                    table.AddRow(step.AccountNumber, step.LienNumber ?? "", step.Action.ToString(), Markup.Escape(step.Reason));
                }

                host.Console.Write(table);
            }

            host.Console.WriteLine(outcome.Message);
            return CliApp.Ok;
        }));
        return run;
    }

    private static Command List(CliHost host)
    {
        var statusOption = new Option<string?>("--status") { Description = "noticed, filed, partlypaid, satisfied or released (default all)" };
        var accountOption = new Option<string?>("--account") { Description = "Only this account's liens" };
        var parcelOption = new Option<string?>("--parcel") { Description = "Only this parcel's liens" };
        var list = new Command("list", "The lien register, newest first.") { statusOption, accountOption, parcelOption };
        list.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var liens = await services.GetRequiredService<LienRegister>().ListAsync(new LienFilter(ParseStatus(parse.GetValue(statusOption)), parse.GetValue(accountOption), parse.GetValue(parcelOption)),
                cancellationToken);
            var table = new Table().AddColumns("Lien", "Parcel", "Owner of record", "Account", "Status", "Noticed", "Filed", "Secured", "Unpaid");
            foreach (var l in liens)
            {
                table.AddRow(l.Number, Markup.Escape(l.ParcelId), Markup.Escape(l.OwnerOfRecord), l.AccountNumber, l.StatusWords, Date(l.NoticedOn), l.FiledOn is { } filed ? Date(filed) : "",
                    l.Secured.ToString(), l.Outstanding.ToString());
            }

            host.Console.Write(table);
            host.Console.WriteLine($"{liens.Count} lien{(liens.Count == 1 ? "" : "s")}.");
            return CliApp.Ok;
        }));
        return list;
    }

    private static Command Show(CliHost host)
    {
        var numberArgument = new Argument<string>("lien") { Description = "The lien's number, LN-000012" };
        var show = new Command("show", "One lien: its stages and the charges it secures.") { numberArgument };
        show.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var l = await services.GetRequiredService<LienRegister>().FindAsync(parse.GetValue(numberArgument)!, cancellationToken);
            host.Console.WriteLine($"Lien {l.Number}: {l.StatusWords}. Parcel {l.ParcelId}, owner of record {l.OwnerOfRecord}, account {l.AccountNumber}.");
            host.Console.WriteLine($"Noticed {Date(l.NoticedOn)} for {l.Principal}; notice period ends {Date(l.NoticeEndsOn)}."
                + (l.FiledOn is { } filed ? $" Filed {Date(filed)} for {l.FiledPrincipal} and a fee of {l.FilingFee}." : " Not filed."));
            var table = new Table().AddColumns("Billed", "Due", "Charge", "Amount", "Unpaid");
            foreach (var item in l.Items)
            {
                table.AddRow(Date(item.PostedOn), Date(item.DueOn), Markup.Escape(item.Description), item.Amount.ToString(), item.Open.ToString());
            }

            host.Console.Write(table);
            host.Console.WriteLine($"Secured {l.Secured}, paid {l.Paid}, {(l.WrittenOff.IsPositive ? $"written off {l.WrittenOff}, " : "")}unpaid {l.Outstanding}."
                + (l.ReleasedOn is { } released ? $" Released {Date(released)} by {l.ReleasedBy}: {l.ReleaseReason}." : ""));
            return CliApp.Ok;
        }));
        return show;
    }

    private static Command Document(CliHost host)
    {
        var numberArgument = new Argument<string>("lien") { Description = "The lien's number, LN-000012" };
        var kindOption = new Option<string>("--kind") { Description = "notice, filing or release", DefaultValueFactory = _ => "notice" };
        var outOption = new Option<FileInfo>("--out") { Description = "Where to write the PDF", Required = true };
        var document = new Command("document", "Print a lien's notice, filing or release as a PDF.") { numberArgument, kindOption, outOption };
        document.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var text = parse.GetValue(kindOption)!.Trim();
            var kind = Enum.TryParse<LienDocumentKind>(text, true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new DomainException($"--kind: '{text}' is not notice, filing or release.", "--kind");
            var pdf = await services.GetRequiredService<LienDocuments>().RenderAsync(parse.GetValue(numberArgument)!, kind, cancellationToken);
            var path = parse.GetValue(outOption)!.FullName;
            await File.WriteAllBytesAsync(path, pdf.Pdf, cancellationToken);
            host.Console.WriteLine($"Wrote {LienDocuments.Title(kind).ToLowerInvariant()} to {path} ({pdf.Pdf.Length:N0} bytes).");
            return CliApp.Ok;
        }));
        return document;
    }

    private static Command Release(CliHost host)
    {
        var numberArgument = new Argument<string>("lien") { Description = "The lien's number, LN-000012" };
        var reasonOption = new Option<string?>("--reason") { Description = "Why (default: Paid in full)" };
        var release = new Command("release", "Record the release of a filed lien that is paid in full.") { numberArgument, reasonOption };
        release.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var lien = await services.GetRequiredService<LienRegister>().ReleaseAsync(parse.GetValue(numberArgument)!, parse.GetValue(reasonOption), host.User, cancellationToken);
            host.Console.WriteLine($"Lien {lien.Number} released on {lien.ReleasedOn:yyyy-MM-dd}: {lien.ReleaseReason}.");
            return CliApp.Ok;
        }));
        return release;
    }

    private static Command Certify(CliHost host)
    {
        var yearOption = new Option<int>("--tax-year") { Description = "The tax roll's year (this year or next)", Required = true };
        var outOption = new Option<FileInfo>("--out") { Description = "Where to write the special-assessment CSV", Required = true };
        var certify = new Command("certify", "Certify every filed lien still unpaid and not yet certified to the county tax roll (docs/liens.md).") { yearOption, outOption };
        certify.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var register = services.GetRequiredService<LienRegister>();
            var certification = await register.CertifyAsync(parse.GetValue(yearOption), host.User, cancellationToken);
            var (_, content) = await register.CertificationFileAsync(certification.Id, cancellationToken);
            var path = parse.GetValue(outOption)!.FullName;
            await File.WriteAllTextAsync(path, content, cancellationToken);
            host.Console.WriteLine($"{certification.Liens} lien{(certification.Liens == 1 ? "" : "s")} for {certification.Total} certified to the {certification.TaxYear} tax roll; wrote {path}.");
            return CliApp.Ok;
        }));
        return certify;
    }

    private static LienStatus? ParseStatus(string? text) =>
        string.IsNullOrWhiteSpace(text) || string.Equals(text.Trim(), "all", StringComparison.OrdinalIgnoreCase) ? null
            : Enum.TryParse<LienStatus>(text.Trim(), true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new DomainException($"--status: '{text}' is not noticed, filed, partlypaid, satisfied, released or all.", "--status");

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
