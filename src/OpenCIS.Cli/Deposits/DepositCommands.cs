using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Deposits;
using OpenCIS.UseCases.Deposits;
using Spectre.Console;

namespace OpenCIS.Cli.Deposits;

/// <summary>
/// Deposits from the command line, through the same workflows as the screens and the API:
/// <c>deposits require</c>, <c>deposits refunds --date D</c> (the refund review) and <c>report deposits --as-of D</c>.
/// </summary>
public static class DepositCommands
{
    public static void AddTo(CliHost host)
    {
        var root = host.Root;
        var report = host.Group("report", "Reports.");
        var console = host.Console;
        Func<Func<IServiceProvider, Task<int>>, Task<int>> withServices = host.WithServices;
        var user = host.User;
        var deposits = new Command("deposits", "Customer deposits.");
        var keyOption = new Option<string?>("--key") { Description = "Idempotency key: the same key again returns the first result and posts nothing" };

        var accountOption = new Option<string>("--account") { Description = "Account number", Required = true };
        var waiverOption = new Option<string?>("--waiver-reason") { Description = "Waive the deposit: a letter of credit, a guarantor (kept with the decision)" };
        var require = new Command("require", "Require a deposit of an account: decided from its class and the customer's record, billed as a charge or waived.") { accountOption, waiverOption, keyOption };
        require.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var outcome = await services.GetRequiredService<RequireDeposit>().ExecuteAsync(
                new RequireDepositRequest(parse.GetValue(accountOption)!, parse.GetValue(waiverOption), parse.GetValue(keyOption)), user, cancellationToken);
            console.WriteLine(outcome.Message);
            return CliApp.Ok;
        }));
        deposits.Add(require);

        var dateOption = new Option<string>("--date") { Description = "Business date of the review, YYYY-MM-DD", Required = true };
        var refunds = new Command("refunds", "The refund review for a date: paid deposits become held; deposits held with the months of on-time payment are credited back with interest. Once per date.") { dateOption, keyOption };
        refunds.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var result = await services.GetRequiredService<ReviewDepositRefunds>().ExecuteAsync(Date(parse.GetValue(dateOption)!, "--date"), user, parse.GetValue(keyOption), cancellationToken);
            if (result.Refunds.Count > 0)
            {
                var table = new Table().Title($"Deposits refunded on {result.ReviewDate:yyyy-MM-dd}").AddColumns("Account", "Deposit", "Held since", "Amount", "Interest");
                foreach (var refund in result.Refunds.Take(100))
                {
                    table.AddRow(refund.AccountNumber, refund.DepositId.ToString(CultureInfo.InvariantCulture), refund.HeldSince.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        Money.FromCents(refund.AmountCents).ToString(), Money.FromCents(refund.InterestCents).ToString());
                }

                console.Write(table);
                if (result.Refunds.Count > 100)
                {
                    console.WriteLine($"... and {result.Refunds.Count - 100} more.");
                }
            }

            console.WriteLine(result.Message);
            return CliApp.Ok;
        }));
        deposits.Add(refunds);
        root.Add(deposits);

        var asOfOption = new Option<string>("--as-of") { Description = "Report date, YYYY-MM-DD", Required = true };
        var fromOption = new Option<string?>("--from") { Description = "First day of the period for applied and refunded deposits (default: the month's first day)" };
        var csvOption = new Option<FileInfo?>("--csv") { Description = "Also write the report as CSV here" };
        var depositReport = new Command("deposits", "The deposit report: held and billed-unpaid on a date, applied and refunded in the period, tied to GL 2200.") { asOfOption, fromOption, csvOption };
        depositReport.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var asOf = Date(parse.GetValue(asOfOption)!, "--as-of");
            var from = parse.GetValue(fromOption) is { } text ? Date(text, "--from") : (DateOnly?)null;
            var result = await services.GetRequiredService<DepositQueries>().ReportAsync(asOf, from, cancellationToken);
            var table = new Table().Title($"Deposits: {result.From:yyyy-MM-dd} to {result.AsOf:yyyy-MM-dd}").AddColumns("", "Count", "Amount");
            table.AddRow($"Held on {result.AsOf:yyyy-MM-dd}", result.HeldCount.ToString(CultureInfo.InvariantCulture), Money.FromCents(result.HeldCents).ToString());
            table.AddRow($"Billed, unpaid on {result.AsOf:yyyy-MM-dd}", result.BilledUnpaidCount.ToString(CultureInfo.InvariantCulture), Money.FromCents(result.BilledUnpaidCents).ToString());
            table.AddRow("Applied to final bills", result.AppliedCount.ToString(CultureInfo.InvariantCulture), Money.FromCents(result.AppliedCents).ToString());
            table.AddRow("Refunded", result.RefundedCount.ToString(CultureInfo.InvariantCulture), Money.FromCents(result.RefundedCents).ToString());
            table.AddRow("Interest credited", "", Money.FromCents(result.InterestCreditedCents).ToString());
            table.AddRow("Interest accrued on deposits held", "", Money.FromCents(result.InterestAccruedCents).ToString());
            table.AddRow("Outstanding (held + billed unpaid)", "", Money.FromCents(result.OutstandingCents).ToString());
            table.AddRow("GL 2200 customer deposits", "", Money.FromCents(result.GeneralLedgerBalanceCents).ToString());
            console.Write(table);
            console.WriteLine(result.TiesToGeneralLedger
                ? "The deposits outstanding tie to GL 2200."
                : $"The deposits outstanding do NOT tie to GL 2200: {Money.FromCents(result.OutstandingCents)} against {Money.FromCents(result.GeneralLedgerBalanceCents)}.");
            if (parse.GetValue(csvOption) is { } csv)
            {
                await File.WriteAllTextAsync(csv.FullName, DepositQueries.Csv(result), cancellationToken);
                console.WriteLine($"Wrote {csv.FullName}");
            }

            return result.TiesToGeneralLedger ? CliApp.Ok : 1;
        }));
        report.Add(depositReport);
    }

    private static DateOnly Date(string text, string option) => CliApp.ParseDate(text, option);
}
