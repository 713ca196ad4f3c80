using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Bankruptcy;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Bankruptcy;
using Spectre.Console;

namespace OpenCIS.Cli.Bankruptcy;

/// <summary>
/// Bankruptcy cases from the command line, through the use cases the screens and the API call:
/// <c>bankruptcy file|list|show|pay|discharge|dismiss|proof-of-claim</c>.
/// </summary>
public static class BankruptcyCommands
{
    public static void AddTo(CliHost host)
    {
        var bankruptcy = host.Group("bankruptcy", "Bankruptcy cases: the stay on the accounts, the pre-petition claim, trustee payments, discharge or dismissal.");
        bankruptcy.Add(File(host));
        bankruptcy.Add(List(host));
        bankruptcy.Add(Show(host));
        bankruptcy.Add(Pay(host));
        bankruptcy.Add(Close(host, "discharge", "A discharge: write off what is left of the pre-petition claim (reason BANKRUPTCY) and end the stay."));
        bankruptcy.Add(Close(host, "dismiss", "A dismissal: put what is left of the pre-petition claim back on the accounts, due as it was, and end the stay."));
        bankruptcy.Add(ProofOfClaimCommand(host));
    }

    private static Command File(CliHost host)
    {
        var caseArgument = new Argument<string>("case") { Description = "The court's case number, e.g. 26-bk-14410" };
        var chapterOption = new Option<int>("--chapter") { Description = "7, 11, 12 or 13", Required = true };
        var courtOption = new Option<string>("--court") { Description = "The bankruptcy court, e.g. Bankr. D. Or.", Required = true };
        var petitionOption = new Option<string>("--petition-date") { Description = "The petition date, yyyy-MM-dd", Required = true };
        var debtorOption = new Option<string?>("--debtor") { Description = "The debtor's name (default: the first account's customer)" };
        var attorneyOption = new Option<string?>("--attorney") { Description = "The debtor's attorney" };
        var trusteeOption = new Option<string?>("--trustee") { Description = "The trustee (a Chapter 13 case has one)" };
        var accountOption = new Option<string[]>("--account") { Description = "An account the case covers (repeatable)", Required = true };
        var keyOption = new Option<string?>("--key") { Description = "An idempotency key: the same key and case again enters nothing twice" };
        var file = new Command("file", "Enter a case from the court's notice: the stay on each account, and what each owed on the petition date moved to the claim.")
            { caseArgument, chapterOption, courtOption, petitionOption, debtorOption, attorneyOption, trusteeOption, accountOption, keyOption };
        file.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var outcome = await services.GetRequiredService<BankruptcyCases>().FileAsync(new BankruptcyFiling(parse.GetValue(caseArgument), (BankruptcyChapter)parse.GetValue(chapterOption),
                parse.GetValue(courtOption), CliApp.ParseDate(parse.GetValue(petitionOption)!, "--petition-date"), parse.GetValue(debtorOption), parse.GetValue(attorneyOption),
                parse.GetValue(trusteeOption), parse.GetValue(accountOption) ?? [], parse.GetValue(keyOption)), host.User, cancellationToken);
            host.Console.WriteLine(outcome.Message);
            Write(host, outcome.Case);
            return CliApp.Ok;
        }));
        return file;
    }

    private static Command List(CliHost host)
    {
        var statusOption = new Option<string>("--status") { Description = "open, discharged, dismissed or all", DefaultValueFactory = _ => "all" };
        var list = new Command("list", "Bankruptcy cases, newest petition first.") { statusOption };
        list.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var text = parse.GetValue(statusOption)!;
            BankruptcyStatus? status = text.Equals("all", StringComparison.OrdinalIgnoreCase) ? null
                : Enum.TryParse<BankruptcyStatus>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
                : throw new DomainException($"'{text}' is not open, discharged, dismissed or all.", "--status");
            var cases = await services.GetRequiredService<BankruptcyCases>().ListAsync(status, cancellationToken);
            var table = new Table().AddColumns("Case", "Debtor", "Chapter", "Petition", "Status", "Claim", "Trustee paid", "Still owed");
            foreach (var c in cases)
            {
                table.AddRow(Markup.Escape(c.CaseNumber), Markup.Escape(c.DebtorName), Bankruptcies.Words(c.Chapter), c.PetitionDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    c.Status.ToString(), c.PrePetition.ToString(), c.Paid.ToString(), c.Remaining.ToString());
            }

            host.Console.Write(table);
            host.Console.WriteLine($"{cases.Count} case(s).");
            return CliApp.Ok;
        }));
        return list;
    }

    private static Command Show(CliHost host)
    {
        var caseArgument = new Argument<string>("case") { Description = "The case number" };
        var show = new Command("show", "One case: its accounts, claim, trustee payments and outcome.") { caseArgument };
        show.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            Write(host, await services.GetRequiredService<BankruptcyCases>().FindAsync(parse.GetValue(caseArgument)!, cancellationToken));
            return CliApp.Ok;
        }));
        return show;
    }

    private static Command Pay(CliHost host)
    {
        var caseArgument = new Argument<string>("case") { Description = "The case number" };
        var amountOption = new Option<string>("--amount") { Description = "The trustee's payment, in dollars", Required = true };
        var tenderOption = new Option<string>("--tender") { Description = "check or ach", DefaultValueFactory = _ => "check" };
        var referenceOption = new Option<string>("--reference") { Description = "The trustee's check or EFT number", Required = true };
        var keyOption = new Option<string?>("--key") { Description = "An idempotency key: the same key and payment again posts nothing twice" };
        var pay = new Command("pay", "Post a trustee's payment on the pre-petition claim, oldest first across the case's accounts.") { caseArgument, amountOption, tenderOption, referenceOption, keyOption };
        pay.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            if (!Core.Payments.Tenders.TryParse(parse.GetValue(tenderOption), out var tender))
            {
                throw new DomainException($"'{parse.GetValue(tenderOption)}' is not a tender: check or ach.", "--tender");
            }

            var outcome = await services.GetRequiredService<BankruptcyCases>().PayAsync(new TrusteePaymentRequest(parse.GetValue(caseArgument)!,
                Money.ParseField(parse.GetValue(amountOption), "--amount"), tender, parse.GetValue(referenceOption), parse.GetValue(keyOption)), host.User, cancellationToken);
            host.Console.WriteLine(outcome.Message);
            return CliApp.Ok;
        }));
        return pay;
    }

    private static Command Close(CliHost host, string name, string description)
    {
        var caseArgument = new Argument<string>("case") { Description = "The case number" };
        var noteOption = new Option<string?>("--note") { Description = "The order's date or docket entry" };
        var close = new Command(name, description) { caseArgument, noteOption };
        close.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var cases = services.GetRequiredService<BankruptcyCases>();
            var outcome = name == "discharge"
                ? await cases.DischargeAsync(parse.GetValue(caseArgument)!, parse.GetValue(noteOption), host.User, cancellationToken)
                : await cases.DismissAsync(parse.GetValue(caseArgument)!, parse.GetValue(noteOption), host.User, cancellationToken);
            host.Console.WriteLine(outcome.Message);
            return CliApp.Ok;
        }));
        return close;
    }

    private static Command ProofOfClaimCommand(CliHost host)
    {
        var caseArgument = new Argument<string>("case") { Description = "The case number" };
        var outOption = new Option<FileInfo>("--out") { Description = "The PDF to write", Required = true };
        var proof = new Command("proof-of-claim", "Print the city's proof of claim in a case (Official Form 410's parts) to a PDF.") { caseArgument, outOption };
        proof.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var document = await services.GetRequiredService<ProofOfClaim>().RenderAsync(parse.GetValue(caseArgument)!, host.User, cancellationToken);
            var path = parse.GetValue(outOption)!.FullName;
            await System.IO.File.WriteAllBytesAsync(path, document.Pdf, cancellationToken);
            host.Console.WriteLine($"Proof of claim written to {path} ({document.Pdf.Length:N0} bytes).");
            return CliApp.Ok;
        }));
        return proof;
    }

    private static void Write(CliHost host, BankruptcyCaseView c)
    {
        host.Console.WriteLine($"{c.Description}: {c.Status}{(c.ClosedOn is { } closed ? $" {closed:yyyy-MM-dd}" : "")}. Debtor {c.DebtorName}; trustee {(c.Trustee.Length > 0 ? c.Trustee : "none")}.");
        var table = new Table().AddColumns("Account", "Customer", "Owed on petition date", "Trustee paid", "Claim left", "Balance now", "Stay");
        foreach (var a in c.Accounts)
        {
            table.AddRow(a.AccountNumber, Markup.Escape(a.Holder), a.PrePetition.ToString(), a.Paid.ToString(), a.Remaining.ToString(), a.BalanceNow.ToString(), a.StayInForce ? "in force" : "ended");
        }

        host.Console.Write(table);
        host.Console.WriteLine($"Claim {c.PrePetition}; trustee paid {c.Paid}; still owed {c.Remaining}; written off {c.WrittenOff}; returned {c.Returned}.");
    }
}
