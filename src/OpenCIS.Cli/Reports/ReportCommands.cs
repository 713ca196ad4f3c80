using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Metering;
using OpenCIS.Storage.Payments;
using OpenCIS.Storage;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Metering.Import;
using OpenCIS.UseCases.Metering;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Reports;
using OpenCIS.UseCases;
using Spectre.Console;
using System.CommandLine;
using System.Globalization;
using static OpenCIS.Cli.CliApp;

namespace OpenCIS.Cli.Reports;

/// <summary>`opencis report`: aging, trial balance, billing register and daily report, GL export, cash receipts, the monthly report.</summary>
public static class ReportCommands
{
    public static void AddTo(CliHost host)
    {
        var console = host.Console;
        var user = host.User;
        var root = host.Root;
        var report = host.Group("report", "Reports.");
        var asOfOption = new Option<string?>("--as-of") { Description = "Age as of this date (default today), YYYY-MM-DD" };
        var agingDetailOption = new Option<bool>("--detail") { Description = "One row per account with a balance" };
        var agingCsvOption = new Option<FileInfo?>("--csv") { Description = "Also write the report as CSV here" };
        var agingXlsxOption = new Option<FileInfo?>("--xlsx") { Description = "Also write a workbook (summary and detail sheets) here" };
        var aging = new Command("aging", "Aged receivables by days past due (current, 1-30, 31-60, 61-90, 90+) by account class and by receivable type (utility, each invoice type), as of any date.") { asOfOption, agingDetailOption, agingCsvOption, agingXlsxOption };
        aging.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var asOf = parse.GetValue(asOfOption) is { } text ? ParseDate(text, "--as-of") : services.GetRequiredService<OpenCIS.UseCases.BusinessCalendar>().Today();
            var detail = parse.GetValue(agingDetailOption);
            var xlsx = parse.GetValue(agingXlsxOption);
            var result = await services.GetRequiredService<ReceivablesAging>().RunAsync(asOf, detail || xlsx is not null, cancellationToken);
            var table = new Table().Title($"Aged receivables as of {asOf:yyyy-MM-dd}{(result.FromHistory ? " (rebuilt from postings)" : "")}").AddColumns("Class", "Accounts", "Current", "1-30", "31-60", "61-90", "90+", "Total");
            foreach (var column in table.Columns.Skip(1))
            {
                column.RightAligned();
            }

            foreach (var row in result.ByClass)
            {
                table.AddRow([row.Class, row.Accounts.ToString("N0", CultureInfo.InvariantCulture), .. Cells(row.Buckets)]);
            }

            table.AddRow(["[bold]Total[/]", result.AccountCount.ToString("N0", CultureInfo.InvariantCulture), .. Cells(result.Totals)]);
            console.Write(table);
            var byType = new Table().Title("By receivable type").AddColumns("Type", "Current", "1-30", "31-60", "61-90", "90+", "Total");
            foreach (var column in byType.Columns.Skip(1))
            {
                column.RightAligned();
            }

            foreach (var row in result.ByType)
            {
                byType.AddRow([Markup.Escape(row.Name), .. Cells(row.Buckets)]);
            }

            console.Write(byType);
            if (detail)
            {
                var accounts = new Table().AddColumns("Account", "Class", "Current", "1-30", "31-60", "61-90", "90+", "Total");
                foreach (var row in result.Accounts)
                {
                    accounts.AddRow([row.AccountNumber, row.Class, .. Cells(row.Buckets)]);
                }

                console.Write(accounts);
            }

            if (parse.GetValue(agingCsvOption) is { } csv)
            {
                await File.WriteAllTextAsync(csv.FullName, ReceivablesAging.Csv(detail ? result : result with { Accounts = [] }), cancellationToken);
                console.WriteLine($"Wrote {csv.FullName}.");
            }

            if (xlsx is not null)
            {
                await File.WriteAllBytesAsync(xlsx.FullName, ReportWorkbook.Aging(result), cancellationToken);
                console.WriteLine($"Wrote {xlsx.FullName}.");
            }

            return Ok;
        }));
        var throughOption = new Option<string?>("--through") { Description = "Include postings through this date, YYYY-MM-DD (default: all)" };
        var fromOption = new Option<string?>("--from") { Description = "First day of the period, YYYY-MM-DD: gives opening balances, debits, credits and closing balances" };
        var trialCsvOption = new Option<FileInfo?>("--csv") { Description = "Also write the period trial balance as CSV here" };
        var trialXlsxOption = new Option<FileInfo?>("--xlsx") { Description = "Also write the period trial balance as a workbook here" };
        var trialBalance = new Command("trial-balance", "Trial balance by GL account, tied to the customer sub-ledger.") { fromOption, throughOption, trialCsvOption, trialXlsxOption };
        trialBalance.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            if (parse.GetValue(fromOption) is { } fromText)
            {
                var periodThrough = parse.GetValue(throughOption) is { } last ? ParseDate(last, "--through") : throw new DomainException("--through is required with --from.", "--through");
                var period = await services.GetRequiredService<LedgerReports>().PeriodTrialBalanceAsync(ParseDate(fromText, "--from"), periodThrough, cancellationToken);
                var periodTable = new Table().Title($"Trial balance {period.From:yyyy-MM-dd} through {period.Through:yyyy-MM-dd}").AddColumns("GL account", "Name", "Fund", "Dept", "Opening", "Debits", "Credits", "Closing");
                foreach (var column in periodTable.Columns.Skip(4))
                {
                    column.RightAligned();
                }

                foreach (var row in period.Rows)
                {
                    periodTable.AddRow(row.GlAccount, Markup.Escape(row.Name), row.Fund, row.Department, row.Opening.ToString(), row.Debits.ToString(), row.Credits.ToString(), row.Closing.ToString());
                }

                periodTable.AddRow("", "[bold]Total[/]", "", "", period.TotalOpening.ToString(), period.TotalDebits.ToString(), period.TotalCredits.ToString(), period.TotalClosing.ToString());
                console.Write(periodTable);
                console.WriteLine($"Receivables closing (GL {Core.Ledger.GlAccounts.AccountsReceivable}): {period.ReceivableClosing}");
                console.WriteLine($"Customer sub-ledger at {period.Through:yyyy-MM-dd}:      {period.SubLedgerAtClose}");
                if (parse.GetValue(trialCsvOption) is { } periodCsv)
                {
                    await File.WriteAllTextAsync(periodCsv.FullName, LedgerReports.PeriodTrialBalanceCsv(period), cancellationToken);
                    console.WriteLine($"Wrote {periodCsv.FullName}.");
                }

                if (parse.GetValue(trialXlsxOption) is { } periodXlsx)
                {
                    await File.WriteAllBytesAsync(periodXlsx.FullName, ReportWorkbook.TrialBalance(period), cancellationToken);
                    console.WriteLine($"Wrote {periodXlsx.FullName}.");
                }

                var periodTied = period.Balances && period.TiesToSubLedger;
                console.MarkupLine(periodTied ? "[green]Debits equal credits and the receivable ties to the sub-ledger to the cent.[/]" : "[red]OUT OF BALANCE.[/]");
                return periodTied ? Ok : OutOfBalance;
            }

            var through = parse.GetValue(throughOption) is { } text ? ParseDate(text, "--through") : (DateOnly?)null;
            var result = await services.GetRequiredService<LedgerReports>().TrialBalanceAsync(through, cancellationToken);
            var table = new Table().Title(through is null ? "Trial balance" : $"Trial balance through {through:yyyy-MM-dd}").AddColumns("GL account", "Name", "Debits", "Credits", "Balance");
            table.Columns[2].RightAligned();
            table.Columns[3].RightAligned();
            table.Columns[4].RightAligned();
            foreach (var row in result.Rows)
            {
                table.AddRow(row.GlAccount, Markup.Escape(row.Name), row.Debits.ToString(), row.Credits.ToString(), row.Balance.ToString());
            }

            table.AddRow("", "[bold]Total[/]", result.TotalDebits.ToString(), result.TotalCredits.ToString(), (result.TotalDebits - result.TotalCredits).ToString());
            console.Write(table);
            console.WriteLine($"Receivables control (GL {Core.Ledger.GlAccounts.AccountsReceivable}): {result.ReceivableControl}");
            console.WriteLine($"Customer sub-ledger total:          {result.SubLedgerTotal}");
            var tied = result.Balances && result.TiesToSubLedger;
            console.MarkupLine(tied ? "[green]Debits equal credits and the control account ties to the sub-ledger to the cent.[/]" : "[red]OUT OF BALANCE.[/]");
            return tied ? Ok : OutOfBalance;
        }));
        var runOption = new Option<long>("--run") { Description = "The billing run's number", Required = true };
        var registerCsvOption = new Option<FileInfo?>("--csv") { Description = "Also write the run's bills as CSV here" };
        var billingRegister = new Command("billing-register", "A billing run's register: bills and amounts by service, postings by GL account.") { runOption, registerCsvOption };
        billingRegister.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var register = await services.GetRequiredService<BillingReports>().RegisterAsync(parse.GetValue(runOption), cancellationToken)
                ?? throw new DomainException($"There is no billing run {parse.GetValue(runOption)}.", "--run");
            var byService = new Table().Title($"Billing run #{register.Run.RunId}, cycle {register.Run.CycleCode}, {register.Run.BusinessDate:yyyy-MM-dd}").AddColumns("Service", "Bills", "Billed");
            foreach (var service in register.ByService)
            {
                byService.AddRow(service.Service.ToString(), service.Bills.ToString("N0", CultureInfo.InvariantCulture), Money.FromCents(service.AmountCents).ToString());
            }

            byService.AddRow("[bold]Total[/]", register.Bills.Count.ToString("N0", CultureInfo.InvariantCulture), Money.FromCents(register.TotalCents).ToString());
            console.Write(byService);
            var byGl = new Table().AddColumns("GL account", "Name", "Debits", "Credits");
            foreach (var gl in register.ByGlAccount)
            {
                byGl.AddRow(gl.GlAccount, Markup.Escape(gl.Name), Money.FromCents(gl.DebitCents).ToString(), Money.FromCents(gl.CreditCents).ToString());
            }

            console.Write(byGl);
            if (parse.GetValue(registerCsvOption) is { } csv)
            {
                await File.WriteAllTextAsync(csv.FullName, BillingReports.RegisterCsv(register), cancellationToken);
                console.WriteLine($"Wrote {register.Bills.Count:N0} bills to {csv.FullName}.");
            }

            return Ok;
        }));
        var dayOption = new Option<string>("--date") { Description = "Business date, YYYY-MM-DD", Required = true };
        var billingDaily = new Command("billing-daily", "The daily billing report: every run of a business date and what was billed by service.") { dayOption };
        billingDaily.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var daily = await services.GetRequiredService<BillingReports>().DailyAsync(ParseDate(parse.GetValue(dayOption)!, "--date"), cancellationToken);
            var table = new Table().Title($"Billing on {daily.Date:yyyy-MM-dd}").AddColumns("Run", "Cycle", "Status", "Bills", "Exceptions", "Billed");
            foreach (var run in daily.Runs)
            {
                table.AddRow($"#{run.RunId}", run.CycleCode, run.Status, run.BillsCreated.ToString("N0", CultureInfo.InvariantCulture), run.ExceptionCount.ToString("N0", CultureInfo.InvariantCulture), Money.FromCents(run.TotalBilledCents).ToString());
            }

            table.AddRow("[bold]Total[/]", "", "", daily.Bills.ToString("N0", CultureInfo.InvariantCulture), daily.Exceptions.ToString("N0", CultureInfo.InvariantCulture), Money.FromCents(daily.TotalCents).ToString());
            console.Write(table);
            return Ok;
        }));
        var exportFromOption = new Option<string>("--from") { Description = "First day, YYYY-MM-DD", Required = true };
        var exportThroughOption = new Option<string>("--through") { Description = "Last day, YYYY-MM-DD", Required = true };
        var exportFormatOption = new Option<string>("--format") { Description = "csv or fixed (docs/gl-export.md)", DefaultValueFactory = _ => "csv" };
        var exportOutOption = new Option<FileInfo>("--out") { Description = "The file to write", Required = true };
        var glExport = new Command("gl-export", "The GL journal for the city's ERP: one line per day, fund and GL account, balanced per fund.") { exportFromOption, exportThroughOption, exportFormatOption, exportOutOption };
        glExport.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var format = parse.GetValue(exportFormatOption);
            if (format is not ("csv" or "fixed"))
            {
                throw new DomainException($"--format: '{format}' is not csv or fixed.", "--format");
            }

            var journal = await services.GetRequiredService<LedgerReports>().GlJournalAsync(
                ParseDate(parse.GetValue(exportFromOption)!, "--from"), ParseDate(parse.GetValue(exportThroughOption)!, "--through"), cancellationToken);
            var unbalanced = Core.Ledger.GlJournalExport.NetByFund(journal).Where(f => !f.Value.IsZero).ToList();
            if (unbalanced.Count > 0)
            {
                console.MarkupLine($"[red]OUT OF BALANCE: {Markup.Escape(string.Join(", ", unbalanced.Select(f => $"{f.Key} {f.Value}")))}; nothing written.[/]");
                return OutOfBalance;
            }

            var output = parse.GetValue(exportOutOption)!;
            await File.WriteAllTextAsync(output.FullName, format == "csv" ? Core.Ledger.GlJournalExport.ToCsv(journal) : Core.Ledger.GlJournalExport.ToFixedWidth(journal), cancellationToken);
            console.WriteLine($"Wrote {journal.Length:N0} journal lines to {output.FullName}; every fund balances.");
            return Ok;
        }));
        var receiptsFromOption = new Option<string>("--from") { Description = "First day, YYYY-MM-DD", Required = true };
        var receiptsThroughOption = new Option<string>("--through") { Description = "Last day, YYYY-MM-DD", Required = true };
        var receiptsCsvOption = new Option<FileInfo?>("--csv") { Description = "Also write the report as CSV here" };
        var cashReceipts = new Command("cash-receipts", "Payments received by day, cashier and tender.") { receiptsFromOption, receiptsThroughOption, receiptsCsvOption };
        cashReceipts.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var result = await services.GetRequiredService<AccountingReports>().CashReceiptsAsync(
                ParseDate(parse.GetValue(receiptsFromOption)!, "--from"), ParseDate(parse.GetValue(receiptsThroughOption)!, "--through"), cancellationToken);
            var table = new Table().Title($"Cash receipts {result.From:yyyy-MM-dd} through {result.Through:yyyy-MM-dd}").AddColumns("Date", "Cashier", "Tender", "Payments", "Amount");
            table.Columns[3].RightAligned();
            table.Columns[4].RightAligned();
            foreach (var row in result.Rows)
            {
                table.AddRow($"{row.ReceivedOn:yyyy-MM-dd}", Markup.Escape(row.Cashier), row.Tender, row.Payments.ToString("N0", CultureInfo.InvariantCulture), row.Amount.ToString());
            }

            table.AddRow("[bold]Total[/]", "", "", result.Payments.ToString("N0", CultureInfo.InvariantCulture), result.Total.ToString());
            console.Write(table);
            if (parse.GetValue(receiptsCsvOption) is { } csv)
            {
                await File.WriteAllTextAsync(csv.FullName, AccountingReports.Csv(result), cancellationToken);
                console.WriteLine($"Wrote {csv.FullName}.");
            }

            return Ok;
        }));
        var monthOption = new Option<string>("--month") { Description = "The month, YYYY-MM", Required = true };
        var monthlyCsvOption = new Option<FileInfo?>("--csv") { Description = "Also write the report as CSV here" };
        var monthly = new Command("monthly", "The monthly accounting report: revenue by GL account and service, receipts by tender.") { monthOption, monthlyCsvOption };
        monthly.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var text = parse.GetValue(monthOption)!;
            if (!IsoDate.TryParse(text + "-01", out var first))
            {
                throw new DomainException($"--month: '{text}' is not a month in the form YYYY-MM.", "--month");
            }

            var result = await services.GetRequiredService<AccountingReports>().MonthlyAsync(first.Year, first.Month, cancellationToken);
            var revenue = new Table().Title($"Accounting report {first:yyyy-MM}: revenue").AddColumns("GL account", "Name", "Service", "Fund", "Billed");
            revenue.Columns[4].RightAligned();
            foreach (var row in result.Revenue)
            {
                revenue.AddRow(row.GlAccount, Markup.Escape(row.Name), row.Service, row.Fund.ToString(), row.Billed.ToString());
            }

            revenue.AddRow("", "[bold]Total[/]", "", "", result.TotalRevenue.ToString());
            console.Write(revenue);
            var receipts = new Table().Title("Receipts").AddColumns("Tender", "Payments", "Amount");
            receipts.Columns[1].RightAligned();
            receipts.Columns[2].RightAligned();
            foreach (var row in result.Receipts)
            {
                receipts.AddRow(row.Tender, row.Payments.ToString("N0", CultureInfo.InvariantCulture), row.Amount.ToString());
            }

            receipts.AddRow("[bold]Total[/]", result.Receipts.Sum(r => r.Payments).ToString("N0", CultureInfo.InvariantCulture), result.TotalReceipts.ToString());
            console.Write(receipts);
            console.WriteLine($"Debits to cash (GL {Core.Ledger.GlAccounts.Cash}): {result.CashDebits}");
            if (parse.GetValue(monthlyCsvOption) is { } csv)
            {
                await File.WriteAllTextAsync(csv.FullName, AccountingReports.Csv(result), cancellationToken);
                console.WriteLine($"Wrote {csv.FullName}.");
            }

            return Ok;
        }));
        report.Add(cashReceipts);
        report.Add(monthly);
        report.Add(aging);
        report.Add(glExport);
        report.Add(trialBalance);
        report.Add(billingRegister);
        report.Add(billingDaily);
    }

    private static string[] Cells(Core.Ledger.PastDueBuckets buckets) =>
        [buckets.Current.ToString(), buckets.Days1To30.ToString(), buckets.Days31To60.ToString(), buckets.Days61To90.ToString(), buckets.Over90.ToString(), buckets.Total.ToString()];

}
