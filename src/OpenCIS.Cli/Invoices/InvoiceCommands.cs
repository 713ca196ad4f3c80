using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Invoices;
using Spectre.Console;

namespace OpenCIS.Cli.Invoices;

/// <summary>
/// City receivables by invoice from the command line, through the use cases the screens and the API call:
/// <c>invoices types|type|list|show|import|remit|waive|waivers|decide-waiver|statements</c>.
/// </summary>
public static class InvoiceCommands
{
    public static void AddTo(CliHost host)
    {
        var invoices = host.Group("invoices", "City receivables billed by invoice (EMS, alarms, permits, code enforcement): types, invoices, imports.");
        invoices.Add(Types(host));
        invoices.Add(SaveType(host));
        invoices.Add(List(host));
        invoices.Add(Show(host));
        invoices.Add(Import(host));
        invoices.Add(Remit(host));
        invoices.Add(Waive(host));
        invoices.Add(Waivers(host));
        invoices.Add(DecideWaiver(host));
        invoices.Add(Statements(host));
        host.Root.Add(CheckDebts(host));
    }

    private static Command CheckDebts(CliHost host)
    {
        var nameOption = new Option<string?>("--name") { Description = "A person's or business's name (surname first or as written)" };
        var taxIdOption = new Option<string?>("--tax-id") { Description = "An SSN or tax id, nine digits" };
        var addressOption = new Option<string?>("--address") { Description = "A mailing or service address" };
        var parcelOption = new Option<string?>("--parcel") { Description = "A parcel id" };
        var check = new Command("debt-check", "Does this person or business owe the city? Every utility account balance and open invoice of those found; logged.")
            { nameOption, taxIdOption, addressOption, parcelOption };
        check.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var given = new[] { (DebtCheckBy.Name, parse.GetValue(nameOption)), (DebtCheckBy.TaxId, parse.GetValue(taxIdOption)),
                (DebtCheckBy.Address, parse.GetValue(addressOption)), (DebtCheckBy.Parcel, parse.GetValue(parcelOption)) }.Where(x => !string.IsNullOrWhiteSpace(x.Item2)).ToList();
            if (given.Count != 1)
            {
                throw new DomainException("Give exactly one of --name, --tax-id, --address or --parcel.", "--name");
            }

            var result = await services.GetRequiredService<DebtCheck>().ExecuteAsync(given[0].Item1, given[0].Item2, host.User, "cli", cancellationToken);
            var table = new Table().AddColumns("Customer", "Name", "Debt", "Number", "For", "Status", "Owed", "Past due", "Collectible until");
            foreach (var debtor in result.Debtors)
            {
                foreach (var debt in debtor.Debts.DefaultIfEmpty())
                {
                    table.AddRow(debtor.CustomerId.ToString(CultureInfo.InvariantCulture), Markup.Escape(debtor.Name), debt?.Kind ?? "nothing owed", debt?.Reference ?? "",
                        Markup.Escape(debt?.Description ?? ""), debt?.Status ?? "", debt?.Owed.ToString() ?? "", debt?.PastDue.ToString() ?? "",
                        debt?.CollectibleUntil?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "");
                }
            }

            host.Console.Write(table);
            foreach (var (debtor, bankruptcy) in result.Debtors.SelectMany(d => (d.Bankruptcies ?? []).Select(b => (d, b))))
            {
                host.Console.WriteLine($"Bankruptcy of {debtor.Name}: {bankruptcy.Description}: {bankruptcy.Status}");
            }

            host.Console.WriteLine(result.Debtors.Count == 0 ? $"No one on file matches {result.Query} (check {result.CheckId})."
                : $"{result.Debtors.Count} found; they owe the city {result.Owed} as of {result.AsOf:yyyy-MM-dd} (check {result.CheckId}).");
            return CliApp.Ok;
        }));
        return check;
    }

    private static Command Types(CliHost host)
    {
        var types = new Command("types", "Every invoice type with its revenue account and fund, terms, statements and collection policy.");
        types.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var table = new Table().AddColumns("Code", "Name", "Revenue account", "Fund", "Terms", "Statements", "Collection policy", "Active");
            foreach (var t in await services.GetRequiredService<InvoiceTypes>().ListAsync(cancellationToken))
            {
                table.AddRow(t.Type.Code, Markup.Escape(t.Type.Name), Markup.Escape($"{t.Type.RevenueGlAccount} {t.RevenueAccountName}"), Markup.Escape($"{t.FundCode} {t.FundName}"),
                    $"net {t.Type.TermsDays} days", t.Type.StatementEveryDays is { } days ? $"every {days} days" : "none",
                    Markup.Escape(t.Type.CollectionPolicy ?? "none"), t.Type.Active ? "yes" : "no");
            }

            host.Console.Write(table);
            return CliApp.Ok;
        }));
        return types;
    }

    private static Command SaveType(CliHost host)
    {
        var codeArgument = new Argument<string>("code") { Description = "The type's code: EMS, ALARM, PERMIT" };
        var nameOption = new Option<string>("--name") { Description = "What it is: 'False alarm response'", Required = true };
        var glOption = new Option<string>("--revenue-account") { Description = "The chart's revenue GL account its charges credit: 4820", Required = true };
        var termsOption = new Option<int>("--terms") { Description = "Days until an invoice is due", DefaultValueFactory = _ => 30 };
        var statementsOption = new Option<int?>("--statements-every") { Description = "Days between statements of an open invoice (none if absent)" };
        var inactiveOption = new Option<bool>("--inactive") { Description = "No longer used for new invoices" };
        var allowanceOption = new Option<string?>("--allowance-account") { Description = "The GL account payers' contractual adjustments and hardship waivers are charged to (none if absent)" };
        var policyOption = new Option<string?>("--collection-policy") { Description = "The code of the collection policy its invoices follow for late charges and notices (none if absent)" };
        var type = new Command("type", "Add or change an invoice type; audited.") { codeArgument, nameOption, glOption, termsOption, statementsOption, inactiveOption, allowanceOption, policyOption };
        type.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var saved = await services.GetRequiredService<InvoiceTypes>().SaveAsync(parse.GetValue(codeArgument), parse.GetValue(nameOption), parse.GetValue(glOption),
                parse.GetValue(termsOption), parse.GetValue(statementsOption), !parse.GetValue(inactiveOption), host.User, cancellationToken, parse.GetValue(allowanceOption), parse.GetValue(policyOption));
            host.Console.WriteLine($"Invoice type {saved.Type.Code} ({saved.Type.Name}) saved: revenue to {saved.Type.RevenueGlAccount} {saved.RevenueAccountName}, net {saved.Type.TermsDays} days{(saved.Type.CollectionPolicy is { } policy ? $", collected under policy {policy}" : "")}.");
            return CliApp.Ok;
        }));
        return type;
    }

    private static Command List(CliHost host)
    {
        var typeOption = new Option<string?>("--type") { Description = "Only this type" };
        var standingOption = new Option<string?>("--standing") { Description = "all, open, pastdue or paid" };
        var textOption = new Option<string?>("--text") { Description = "A party's name, an invoice number or a reference" };
        var pageOption = new Option<int>("--page") { Description = "The page of 50", DefaultValueFactory = _ => 1 };
        var list = new Command("list", "Invoices, newest first, 50 a page.") { typeOption, standingOption, textOption, pageOption };
        list.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var page = await services.GetRequiredService<InvoiceQueries>().ListAsync(
                new InvoiceFilter(parse.GetValue(typeOption), null, parse.GetValue(standingOption), parse.GetValue(textOption), parse.GetValue(pageOption)), cancellationToken);
            var table = new Table().AddColumns("Invoice", "Type", "Party", "Account", "Reference", "Issued", "Due", "Amount", "Open", "Standing");
            foreach (var i in page.Items)
            {
                table.AddRow(i.Number.ToString(CultureInfo.InvariantCulture), i.TypeCode, Markup.Escape(i.PartyName), i.AccountNumber, Markup.Escape(i.Reference ?? ""),
                    i.IssuedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), i.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), i.Amount.ToString(), i.Open.ToString(), i.Standing.ToString());
            }

            host.Console.Write(table);
            host.Console.WriteLine($"{page.Total:N0} invoices (page {page.Page}); open {page.OpenTotal}.");
            return CliApp.Ok;
        }));
        return list;
    }

    private static Command Show(CliHost host)
    {
        var numberArgument = new Argument<long>("number") { Description = "The invoice number" };
        var pdfOption = new Option<FileInfo?>("--pdf") { Description = "Also write the printable invoice to this file" };
        var show = new Command("show", "One invoice: its lines and calculations, what is open, the scan line.") { numberArgument, pdfOption };
        show.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var number = parse.GetValue(numberArgument);
            var invoice = await services.GetRequiredService<InvoiceQueries>().FindAsync(number, cancellationToken)
                ?? throw new DomainException($"There is no invoice {number}.", "number");
            host.Console.WriteLine($"Invoice {invoice.Number}: {invoice.TypeName} ({invoice.TypeCode}) to {invoice.PartyName}, account {invoice.AccountNumber}");
            host.Console.WriteLine($"Issued {invoice.IssuedOn:yyyy-MM-dd}, due {invoice.DueOn:yyyy-MM-dd}; reference {invoice.Reference ?? "none"}");
            var table = new Table().AddColumns("#", "Description", "Calculation", "Amount");
            foreach (var line in invoice.Lines)
            {
                table.AddRow(line.Number.ToString(CultureInfo.InvariantCulture), Markup.Escape(line.Description), Markup.Escape(line.Trace), line.Amount.ToString());
            }

            host.Console.Write(table);
            host.Console.WriteLine($"Total {invoice.Amount}; open {invoice.Open} ({invoice.Standing}).");
            foreach (var activity in await services.GetRequiredService<InvoiceQueries>().ActivityAsync(number, cancellationToken))
            {
                host.Console.WriteLine($"  {activity.On:yyyy-MM-dd} {activity.What}: {activity.Amount}");
            }

            host.Console.WriteLine($"Scan line: {invoice.ScanLine}");
            if (parse.GetValue(pdfOption) is { } pdf)
            {
                var settings = services.GetRequiredService<UseCases.Billing.BillSettings>();
                await File.WriteAllBytesAsync(pdf.FullName, InvoicePdf.Render(invoice, settings).Pdf, cancellationToken);
                host.Console.WriteLine($"Wrote {pdf.FullName}.");
            }

            return CliApp.Ok;
        }));
        return show;
    }

    private static Command Remit(CliHost host)
    {
        var numberArgument = new Argument<long>("number") { Description = "The invoice number" };
        var payerOption = new Option<string>("--payer") { Description = "insurance, medicare or medicaid", Required = true };
        var nameOption = new Option<string?>("--payer-name") { Description = "The insurer's name (needed for insurance)" };
        var claimOption = new Option<string>("--claim") { Description = "The payer's claim number", Required = true };
        var paidOption = new Option<string>("--paid") { Description = "What the payer paid, in dollars", DefaultValueFactory = _ => "0" };
        var adjustmentOption = new Option<string?>("--adjustment") { Description = "The contractual adjustment, in dollars (Medicaid: the rest when absent)" };
        var tenderOption = new Option<string>("--tender") { Description = "check or ach", DefaultValueFactory = _ => "check" };
        var referenceOption = new Option<string?>("--reference") { Description = "The check or EFT trace number" };
        var keyOption = new Option<string?>("--idempotency-key") { Description = "A key of your own: the same command again posts nothing" };
        var remit = new Command("remit", "Post a payer's remittance on an invoice: its payment (paying the invoice first) and its contractual adjustment.")
            { numberArgument, payerOption, nameOption, claimOption, paidOption, adjustmentOption, tenderOption, referenceOption, keyOption };
        remit.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var payer = Enum.TryParse<Core.Invoices.PayerKind>(parse.GetValue(payerOption), ignoreCase: true, out var kind) && Enum.IsDefined(kind)
                ? kind : throw new DomainException($"'{parse.GetValue(payerOption)}' is not insurance, medicare or medicaid.", "--payer");
            var tender = Core.Payments.Tenders.TryParse(parse.GetValue(tenderOption), out var t) ? t : throw new DomainException("--tender is check or ach.", "--tender");
            var outcome = await services.GetRequiredService<PostRemittance>().ExecuteAsync(new RemittanceRequest(parse.GetValue(numberArgument), payer, parse.GetValue(nameOption),
                parse.GetValue(claimOption), Money.ParseField(parse.GetValue(paidOption), "--paid"), parse.GetValue(adjustmentOption) is { } adjustment ? Money.ParseField(adjustment, "--adjustment") : null,
                tender, parse.GetValue(referenceOption), parse.GetValue(keyOption)), host.User, cancellationToken);
            host.Console.WriteLine(outcome.Message);
            return CliApp.Ok;
        }));
        return remit;
    }

    private static Command Waive(CliHost host)
    {
        var numberArgument = new Argument<long>("number") { Description = "The invoice number" };
        var amountOption = new Option<string?>("--amount") { Description = "The amount to waive, in dollars (all that is open if absent)" };
        var reasonOption = new Option<string>("--reason") { Description = "The hardship, and what shows it", Required = true };
        var waive = new Command("waive", "Ask for a hardship waiver of an invoice; a Supervisor approves it (decide-waiver) before anything posts.") { numberArgument, amountOption, reasonOption };
        waive.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var outcome = await services.GetRequiredService<InvoiceWaivers>().RequestAsync(parse.GetValue(numberArgument),
                parse.GetValue(amountOption) is { } amount ? Money.ParseField(amount, "--amount") : null, parse.GetValue(reasonOption), host.User, cancellationToken);
            host.Console.WriteLine($"Waiver {outcome.Waiver.Id}: {outcome.Message}");
            return CliApp.Ok;
        }));
        return waive;
    }

    private static Command Waivers(CliHost host)
    {
        var statusOption = new Option<string>("--status") { Description = "pending, approved, rejected or all", DefaultValueFactory = _ => "pending" };
        var waivers = new Command("waivers", "Hardship waivers, newest first; by default those waiting for a Supervisor.") { statusOption };
        waivers.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var text = parse.GetValue(statusOption)!;
            Core.Invoices.WaiverStatus? status = text.Equals("all", StringComparison.OrdinalIgnoreCase) ? null
                : Enum.TryParse<Core.Invoices.WaiverStatus>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
                : throw new DomainException($"'{text}' is not pending, approved, rejected or all.", "--status");
            var list = await services.GetRequiredService<InvoiceWaivers>().ListAsync(status, cancellationToken: cancellationToken);
            var table = new Table().AddColumns("Waiver", "Invoice", "Party", "Amount", "Reason", "Status", "Asked by", "Decided by");
            foreach (var w in list)
            {
                table.AddRow(w.Id.ToString(CultureInfo.InvariantCulture), w.InvoiceNumber.ToString(CultureInfo.InvariantCulture), Markup.Escape(w.PartyName), (w.Posted ?? w.Amount).ToString(),
                    Markup.Escape(w.Reason), w.Status.ToString(), w.RequestedBy, w.DecidedBy ?? "");
            }

            host.Console.Write(table);
            host.Console.WriteLine($"{list.Count} waiver(s).");
            return CliApp.Ok;
        }));
        return waivers;
    }

    private static Command DecideWaiver(CliHost host)
    {
        var idArgument = new Argument<long>("waiver") { Description = "The waiver's number" };
        var approveOption = new Option<bool>("--approve") { Description = "Approve it: the waiver posts (at most what is still open)" };
        var rejectOption = new Option<bool>("--reject") { Description = "Reject it (with --note saying why)" };
        var noteOption = new Option<string?>("--note") { Description = "The decision's note; needed to reject" };
        var decide = new Command("decide-waiver", "A Supervisor approves or rejects a hardship waiver asked for by someone else.") { idArgument, approveOption, rejectOption, noteOption };
        decide.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            if (parse.GetValue(approveOption) == parse.GetValue(rejectOption))
            {
                throw new DomainException("Give exactly one of --approve or --reject.", "--approve");
            }

            var outcome = await services.GetRequiredService<InvoiceWaivers>().DecideAsync(parse.GetValue(idArgument), parse.GetValue(approveOption), parse.GetValue(noteOption), host.User, cancellationToken);
            host.Console.WriteLine(outcome.Message);
            return CliApp.Ok;
        }));
        return decide;
    }

    private static Command Statements(CliHost host)
    {
        var dateOption = new Option<DateOnly?>("--date") { Description = "The statement date (default: today)" };
        var printOption = new Option<FileInfo?>("--print-file") { Description = "Also write the date's statements to mail as one PDF to this file" };
        var statements = new Command("statements", "Post the invoices' late charges and write the statements and notices due on a date (statements at 30, 60 and the final notice at 90 days; other types the reminder and final notice of their collection policy), e-mailing or printing each; a second run posts and writes nothing again.")
            { dateOption, printOption };
        statements.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var date = parse.GetValue(dateOption) ?? services.GetRequiredService<UseCases.BusinessCalendar>().Today();
            var workflow = services.GetRequiredService<InvoiceStatements>();
            var outcome = await workflow.ProduceAsync(date, host.User, cancellationToken);
            host.Console.WriteLine(outcome.Message);
            if (parse.GetValue(printOption) is { } print)
            {
                if (await workflow.PrintFileAsync(date, cancellationToken) is { } file)
                {
                    await File.WriteAllBytesAsync(print.FullName, file.Pdf, cancellationToken);
                    host.Console.WriteLine($"Wrote {print.FullName}.");
                }
                else
                {
                    host.Console.WriteLine($"No statement of {date:yyyy-MM-dd} goes by mail.");
                }
            }

            return CliApp.Ok;
        }));
        return statements;
    }

    private static Command Import(CliHost host)
    {
        var fileOption = new Option<FileInfo>("--file") { Description = "A CSV of invoices (columns in docs/invoice-import.md)", Required = true };
        var import = new Command("import", "Post a CSV of invoices from another city system; any problem, named by line and field, and nothing is posted; the same file twice posts once.") { fileOption };
        import.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var file = parse.GetValue(fileOption)!;
            if (!file.Exists)
            {
                throw new DomainException($"--file: there is no file {file.FullName}.", "--file");
            }

            var outcome = await services.GetRequiredService<ImportInvoices>().ExecuteAsync(file.Name, await File.ReadAllBytesAsync(file.FullName, cancellationToken), host.User, cancellationToken);
            var exitCode = CliApp.Refused(host.Console, outcome.Errors);
            host.Console.WriteLine(outcome.Message);
            return outcome.Imported || outcome.AlreadyImported ? CliApp.Ok : exitCode;
        }));
        return import;
    }
}
