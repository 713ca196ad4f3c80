using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Pursuit;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Pursuit;
using Spectre.Console;

namespace OpenCIS.Cli.Pursuit;

/// <summary>
/// Final-bill pursuit from the command line, through the use cases the screens and the API call:
/// <c>pursuit run|list|refer|recall|ready|agency add|agency list|placement-file|payments</c>.
/// </summary>
public static class PursuitCommands
{
    public static void AddTo(CliHost host)
    {
        var pursuit = host.Group("pursuit", "Final-bill pursuit: transfers, referrals to agencies and legal, recalls, placement and payment files, and the write-off list.");
        pursuit.Add(Run(host));
        pursuit.Add(List(host));
        pursuit.Add(Refer(host));
        pursuit.Add(Recall(host));
        pursuit.Add(Ready(host));
        pursuit.Add(Agency(host));
        pursuit.Add(PlacementFile(host));
        pursuit.Add(Payments(host));
    }

    private static Command Run(CliHost host)
    {
        var dateOption = new Option<string?>("--date") { Description = "The business date, yyyy-MM-dd (default today); run it after that date's collections run" };
        var run = new Command("run", "Take the day's pursuit step on each final account at its final notice: transfer, refer, recall; list those ready to write off.") { dateOption };
        run.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var date = parse.GetValue(dateOption) is { } text ? CliApp.ParseDate(text, "--date") : services.GetRequiredService<BusinessCalendar>().Today();
            var outcome = await services.GetRequiredService<PursueFinalBills>().ExecuteAsync(date, host.User, cancellationToken);
            if (outcome.Steps.Count > 0)
            {
                var table = new Table().AddColumns("Account", "Step", "Why");
                foreach (var step in outcome.Steps)
                {
                    table.AddRow(step.AccountNumber, step.Action.ToString(), Markup.Escape(step.Reason));
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
        var agencyOption = new Option<string?>("--agency") { Description = "Only this agency's referrals (its code)" };
        var statusOption = new Option<string>("--status") { Description = "open, recalled, paidinfull or all", DefaultValueFactory = _ => "open" };
        var accountOption = new Option<string?>("--account") { Description = "Only this account's referrals" };
        var list = new Command("list", "Referrals, newest first.") { agencyOption, statusOption, accountOption };
        list.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var text = parse.GetValue(statusOption)!.Trim();
            ReferralStatus? status = string.Equals(text, "all", StringComparison.OrdinalIgnoreCase)
                ? null
                : Enum.TryParse<ReferralStatus>(text, true, out var parsed) && Enum.IsDefined(parsed)
                    ? parsed
                    : throw new DomainException($"--status: '{text}' is not open, recalled, paidinfull or all.", "--status");
            var referrals = await services.GetRequiredService<Referrals>().ListAsync(new ReferralFilter(parse.GetValue(agencyOption), status, parse.GetValue(accountOption)), cancellationToken);
            var table = new Table().AddColumns("Referral", "Account", "Customer", "To", "Referred", "Amount", "Collected", "Commission", "Balance now", "Status");
            foreach (var r in referrals)
            {
                table.AddRow(r.Id.ToString(CultureInfo.InvariantCulture), r.AccountNumber, Markup.Escape(r.CustomerName), r.AgencyCode, r.ReferredOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Money.FromCents(r.ReferredCents).ToString(), Money.FromCents(r.CollectedCents).ToString(), Money.FromCents(r.CommissionCents).ToString(), Money.FromCents(r.BalanceCents).ToString(),
                    Markup.Escape(Referrals.Describe(r.Status) + (r.CloseReason is { } why ? $": {why}" : "")));
            }

            host.Console.Write(table);
            host.Console.WriteLine($"{referrals.Count} referral{(referrals.Count == 1 ? "" : "s")}.");
            return CliApp.Ok;
        }));
        return list;
    }

    private static Command Refer(CliHost host)
    {
        var accountArgument = new Argument<string>("account") { Description = "The final account's number" };
        var agencyOption = new Option<string>("--agency") { Description = "The agency or legal office's code", Required = true };
        var reasonOption = new Option<string>("--reason") { Description = "Why it is referred by hand", Required = true };
        var refer = new Command("refer", "Refer a final account's whole balance to an agency or the legal office by hand.") { accountArgument, agencyOption, reasonOption };
        refer.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var outcome = await services.GetRequiredService<Referrals>().ReferAsync(parse.GetValue(accountArgument)!, parse.GetValue(agencyOption)!, parse.GetValue(reasonOption), host.User, cancellationToken);
            host.Console.WriteLine(outcome.Message);
            return CliApp.Ok;
        }));
        return refer;
    }

    private static Command Recall(CliHost host)
    {
        var referralArgument = new Argument<long>("referral") { Description = "The referral's number" };
        var reasonOption = new Option<string>("--reason") { Description = "Why it is recalled", Required = true };
        var recall = new Command("recall", "Recall an open referral; the recall goes out on the agency's next placement file.") { referralArgument, reasonOption };
        recall.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var outcome = await services.GetRequiredService<Referrals>().RecallAsync(parse.GetValue(referralArgument), parse.GetValue(reasonOption), host.User, cancellationToken);
            host.Console.WriteLine(outcome.Message);
            return CliApp.Ok;
        }));
        return recall;
    }

    private static Command Ready(CliHost host)
    {
        var ready = new Command("ready", "Final accounts the pursuit found ready to write off (a Supervisor writes each off: opencis writeoff).");
        ready.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var candidates = await services.GetRequiredService<PursueFinalBills>().ReadyToWriteOffAsync(cancellationToken);
            var table = new Table().AddColumns("Account", "Customer", "Balance", "Days past due", "Why");
            foreach (var c in candidates)
            {
                table.AddRow(c.AccountNumber, Markup.Escape(c.CustomerName), Money.FromCents(c.BalanceCents).ToString(), c.DaysPastDue.ToString(CultureInfo.InvariantCulture), Markup.Escape(c.Reason));
            }

            host.Console.Write(table);
            host.Console.WriteLine($"{candidates.Count} account{(candidates.Count == 1 ? "" : "s")} ready to write off.");
            return CliApp.Ok;
        }));
        return ready;
    }

    private static Command Agency(CliHost host)
    {
        var agency = new Command("agency", "The collection agencies and the legal office.");
        var codeArgument = new Argument<string>("code") { Description = "The agency's code, as policies name it" };
        var nameOption = new Option<string>("--name") { Description = "Its name", Required = true };
        var kindOption = new Option<string>("--kind") { Description = "agency or legal", DefaultValueFactory = _ => "agency" };
        var commissionOption = new Option<decimal>("--commission") { Description = "Its commission in percent (e.g. 25)", DefaultValueFactory = _ => 0m };
        var remittanceOption = new Option<string>("--remittance") { Description = "net (it keeps its commission) or gross (it bills it)", DefaultValueFactory = _ => "net" };
        var contactOption = new Option<string?>("--contact") { Description = "Address, phone, e-mail" };
        var inactiveOption = new Option<bool>("--inactive") { Description = "Takes no new referrals" };
        var add = new Command("add", "Add or change an agency by its code.") { codeArgument, nameOption, kindOption, commissionOption, remittanceOption, contactOption, inactiveOption };
        add.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var kind = Enum.TryParse<ReferralKind>(parse.GetValue(kindOption), true, out var k) && Enum.IsDefined(k) ? k : throw new DomainException("--kind: agency or legal.", "--kind");
            var basis = Enum.TryParse<RemittanceBasis>(parse.GetValue(remittanceOption), true, out var b) && Enum.IsDefined(b) ? b : throw new DomainException("--remittance: net or gross.", "--remittance");
            var saved = await services.GetRequiredService<CollectionAgencies>().SaveAsync(new AgencyRequest(parse.GetValue(codeArgument)!, parse.GetValue(nameOption)!, kind,
                parse.GetValue(commissionOption), basis, parse.GetValue(contactOption), !parse.GetValue(inactiveOption)), host.User, cancellationToken);
            host.Console.WriteLine($"{saved.Name} ({saved.Code}) saved: {saved.Kind.ToString().ToLowerInvariant()}, commission {saved.CommissionPercent:0.##}%, remits {saved.Remittance.ToString().ToLowerInvariant()}.");
            return CliApp.Ok;
        }));
        var list = new Command("list", "The agencies, with their open referrals and what they have collected.");
        list.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var table = new Table().AddColumns("Code", "Name", "Kind", "Commission", "Remits", "Open referrals", "Open amount", "Collected", "Commission paid");
            foreach (var a in await services.GetRequiredService<CollectionAgencies>().ListAsync(cancellationToken))
            {
                table.AddRow(a.Code, Markup.Escape(a.Name), a.Kind.ToString(), $"{a.CommissionPercent:0.##}%", a.Remittance.ToString(), a.OpenReferrals.ToString(CultureInfo.InvariantCulture),
                    Money.FromCents(a.OpenCents).ToString(), Money.FromCents(a.CollectedCents).ToString(), Money.FromCents(a.CommissionCents).ToString());
            }

            host.Console.Write(table);
            return CliApp.Ok;
        }));
        agency.Add(add);
        agency.Add(list);
        return agency;
    }

    private static Command PlacementFile(CliHost host)
    {
        var agencyOption = new Option<string>("--agency") { Description = "The agency's code", Required = true };
        var outOption = new Option<FileInfo>("--out") { Description = "Where to write the CSV", Required = true };
        var idOption = new Option<long?>("--id") { Description = "Write an earlier file again, as sent, instead of making a new one" };
        var placement = new Command("placement-file", "Make the agency's placement file (its new referrals and recalls, docs/agency-files.md) and write it.") { agencyOption, outOption, idOption };
        placement.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var files = services.GetRequiredService<PlacementFiles>();
            var outcome = parse.GetValue(idOption) is { } id ? await files.FindAsync(id, cancellationToken) : await files.CreateAsync(parse.GetValue(agencyOption)!, host.User, cancellationToken);
            if (outcome.File is not null)
            {
                var path = parse.GetValue(outOption)!.FullName;
                await File.WriteAllTextAsync(path, outcome.Content, cancellationToken);
                host.Console.WriteLine($"{outcome.Message} Written to {path}.");
            }
            else
            {
                host.Console.WriteLine(outcome.Message);
            }

            return CliApp.Ok;
        }));
        return placement;
    }

    private static Command Payments(CliHost host)
    {
        var agencyOption = new Option<string>("--agency") { Description = "The agency's code", Required = true };
        var fileOption = new Option<FileInfo>("--file") { Description = "The agency's payment file (CSV, docs/agency-files.md)", Required = true };
        var payments = new Command("payments", "Post an agency's payment file: each payment on its referral's account with the commission; any problem, and nothing posts.") { agencyOption, fileOption };
        payments.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var file = parse.GetValue(fileOption)!;
            if (!file.Exists)
            {
                throw new DomainException($"--file: there is no file {file.FullName}.", "--file");
            }

            var outcome = await services.GetRequiredService<AgencyPayments>().ImportAsync(parse.GetValue(agencyOption)!, file.Name, await File.ReadAllBytesAsync(file.FullName, cancellationToken),
                host.User, cancellationToken);
            var exitCode = CliApp.Refused(host.Console, outcome.Errors);
            host.Console.WriteLine(outcome.Message);
            return outcome.Posted || outcome.AlreadyImported ? CliApp.Ok : exitCode;
        }));
        return payments;
    }
}
