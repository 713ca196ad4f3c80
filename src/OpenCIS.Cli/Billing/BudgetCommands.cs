using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Billing;
using Spectre.Console;

namespace OpenCIS.Cli.Billing;

/// <summary>
/// Budget billing from the command line, through the same use case as the screens and the API: <c>budget show ACCOUNT</c>,
/// <c>budget enroll ACCOUNT [--amount] [--true-up-month] [--review-every]</c> and <c>budget end ACCOUNT --reason</c>.
/// </summary>
public static class BudgetCommands
{
    public static void AddTo(CliHost host)
    {
        var console = host.Console;
        var user = host.User;
        var budget = host.Group("budget", "Budget billing (the equal payment plan): enroll an account, end its plan, show it.");

        var accountArgument = new Argument<string>("account") { Description = "The account number" };
        var show = new Command("show", "Show the account's plan, deferred balance and its bills with actual charges and budget side by side.") { accountArgument };
        show.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            Print(console, await services.GetRequiredService<BudgetPlans>().GetAsync(parse.GetValue(accountArgument)!, cancellationToken));
            return CliApp.Ok;
        }));
        budget.Add(show);

        var amountOption = new Option<string?>("--amount") { Description = "The monthly amount in whole dollars, e.g. 85.00 (default: the last twelve months' average, rounded up)" };
        var monthOption = new Option<int?>("--true-up-month") { Description = "The month (1-12) whose bill settles the deferred balance (default: the month before the anniversary)" };
        var everyOption = new Option<int?>("--review-every") { Description = $"Months between reviews of the amount (default {BudgetPlans.DefaultReviewEveryMonths})" };
        var enroll = new Command("enroll", "Enroll the account in budget billing.") { accountArgument, amountOption, monthOption, everyOption };
        enroll.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            Money? amount = parse.GetValue(amountOption) is { Length: > 0 } text
                ? Money.TryParse(text, out var parsed) ? parsed : throw new DomainException($"'{text}' is not an amount (whole dollars, e.g. 85.00).", "--amount")
                : null;
            var view = await services.GetRequiredService<BudgetPlans>().EnrollAsync(parse.GetValue(accountArgument)!, amount, parse.GetValue(monthOption), parse.GetValue(everyOption), user, cancellationToken);
            console.WriteLine($"Account {view.AccountNumber} is on budget billing: {Money.FromCents(view.Active!.MonthlyAmountCents)} a month, trued up in {Month(view.Active.TrueUpMonth)}, reviewed every {view.Active.ReviewEveryMonths} months (next {view.Active.NextReviewOn:yyyy-MM-dd}).");
            return CliApp.Ok;
        }));
        budget.Add(enroll);

        var reasonOption = new Option<string>("--reason") { Description = "Why the plan ends (kept with it)", Required = true };
        var end = new Command("end", "End the account's plan today: its deferred balance is settled at once.") { accountArgument, reasonOption };
        end.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var view = await services.GetRequiredService<BudgetPlans>().EndAsync(parse.GetValue(accountArgument)!, parse.GetValue(reasonOption)!, user, cancellationToken);
            console.WriteLine($"Account {view.AccountNumber}'s budget plan ended; its deferred balance of {view.Settled} was settled.");
            return CliApp.Ok;
        }));
        budget.Add(end);
    }

    private static void Print(IAnsiConsole console, BudgetPlanView view)
    {
        console.WriteLine(view.Active is { } plan
            ? $"Account {view.AccountNumber}: budget amount {Money.FromCents(plan.MonthlyAmountCents)}, trued up in {Month(plan.TrueUpMonth)}, next review {plan.NextReviewOn:yyyy-MM-dd}; deferred balance {view.DeferredBalance}."
            : $"Account {view.AccountNumber} is not on budget billing" + (view.SuggestedAmount is { } suggested ? $"; its last twelve months suggest {suggested} a month." : "; it has no bills of the last twelve months to average."));
        if (view.Bills.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("Bill", "Date", "Actual charges", "Budget amount", "Billed", "Deferred", "Deferred balance", "");
        foreach (var bill in view.Bills)
        {
            table.AddRow(bill.BillId.ToString(CultureInfo.InvariantCulture), bill.BillDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), bill.ActualCharges.ToString(),
                bill.BudgetAmount.ToString(), bill.Billed.ToString(), bill.Deferred.ToString(), bill.DeferredBalance.ToString(), bill.TrueUp ? "true-up" : "");
        }

        console.Write(table);
    }

    private static string Month(int month) => CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month);
}
