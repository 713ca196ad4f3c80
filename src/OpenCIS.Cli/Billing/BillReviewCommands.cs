using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Billing;
using Spectre.Console;

namespace OpenCIS.Cli.Billing;

/// <summary>
/// The pre-bill review from the command line, through the same use case as the screens and the API: <c>bill held</c>,
/// <c>bill release BILL</c>, <c>bill cancel-held BILL --reason</c>, and <c>bill review-rules</c> (print them, or set or
/// remove a class's).
/// </summary>
public static class BillReviewCommands
{
    public static void AddTo(CliHost host)
    {
        var console = host.Console;
        var user = host.User;
        var bill = host.Group("bill", "Billing.");

        var runOption = new Option<long?>("--run") { Description = "Only the bills this run held" };
        var pageOption = new Option<int>("--page") { Description = "Page of the list, from 1", DefaultValueFactory = _ => 1 };
        var held = new Command("held", "List the bills the pre-bill review held, oldest first, each with its reasons.") { runOption, pageOption };
        held.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var page = await services.GetRequiredService<ReviewHeldBills>().HeldAsync(parse.GetValue(runOption), parse.GetValue(pageOption), ReviewHeldBills.MaxPageSize, cancellationToken);
            var table = new Table().AddColumns("Bill", "Account", "Run", "Service period", "Current charges", "Why held");
            foreach (var b in page.Bills)
            {
                table.AddRow(b.BillId.ToString(CultureInfo.InvariantCulture), b.AccountNumber, b.BillingRunId?.ToString(CultureInfo.InvariantCulture) ?? "",
                    $"{b.PeriodStart:yyyy-MM-dd} to {b.PeriodEnd:yyyy-MM-dd}", b.CurrentCharges.ToString(), Markup.Escape(string.Join("\n", b.Reasons)));
            }

            console.Write(table);
            var shown = page.Bills.Count == 0 ? "none shown" : $"{(page.Page - 1) * page.PageSize + 1:N0}-{(page.Page - 1) * page.PageSize + page.Bills.Count:N0} shown";
            console.WriteLine($"{page.Total:N0} held bill(s); {shown}.");
            return CliApp.Ok;
        }));
        bill.Add(held);

        var billArgument = new Argument<long>("bill") { Description = "The held bill's number" };
        var release = new Command("release", "Release a held bill: it is issued today, its charges posted, due by its cycle's terms.") { billArgument };
        release.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            console.WriteLine((await services.GetRequiredService<ReviewHeldBills>().ReleaseAsync(parse.GetValue(billArgument), user, cancellationToken)).Message);
            return CliApp.Ok;
        }));
        bill.Add(release);

        var reasonOption = new Option<string>("--reason") { Description = "Why (kept with the bill)", Required = true };
        var cancel = new Command("cancel-held", "Cancel a held bill with a reason: nothing had been posted; the next run bills its period again.") { billArgument, reasonOption };
        cancel.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            console.WriteLine((await services.GetRequiredService<ReviewHeldBills>().CancelAsync(parse.GetValue(billArgument), parse.GetValue(reasonOption)!, user, cancellationToken)).Message);
            return CliApp.Ok;
        }));
        bill.Add(cancel);

        var classOption = new Option<string?>("--class") { Description = $"The class of account whose rules to set: {string.Join(", ", Enum.GetNames<AccountClass>().Select(n => n.ToLowerInvariant()))}" };
        var highPercentOption = new Option<decimal?>("--high-percent") { Description = "Hold a bill more than this percent above the account's average" };
        var highAmountOption = new Option<string?>("--high-amount") { Description = "... and more than these dollars above it, e.g. 40.00" };
        var lowPercentOption = new Option<decimal?>("--low-percent") { Description = "Hold a bill more than this percent below the account's average" };
        var lowAmountOption = new Option<string?>("--low-amount") { Description = "... and more than these dollars below it" };
        var zeroUseOption = new Option<bool>("--zero-use") { Description = "Hold a bill with zero use on a meter" };
        var veryLargeOption = new Option<string?>("--very-large") { Description = "Hold a bill over these dollars, e.g. 1000.00" };
        var negativeOption = new Option<bool>("--negative") { Description = "Hold a negative bill" };
        var firstBillOption = new Option<bool>("--first-bill") { Description = "Hold an account's first bill" };
        var removeOption = new Option<bool>("--remove") { Description = "Remove the class's rules: nothing of it is held" };
        var rules = new Command("review-rules", "Print the pre-bill review's rules by class of account; with --class, set that class's rules (the options given replace them all) or --remove them.")
            { classOption, highPercentOption, highAmountOption, lowPercentOption, lowAmountOption, zeroUseOption, veryLargeOption, negativeOption, firstBillOption, removeOption };
        rules.SetAction((parse, cancellationToken) => host.WithServices(async services =>
        {
            var review = services.GetRequiredService<ReviewHeldBills>();
            if (parse.GetValue(classOption) is { } classText)
            {
                if (!Enum.TryParse<AccountClass>(classText.Trim(), ignoreCase: true, out var accountClass) || !Enum.IsDefined(accountClass) || int.TryParse(classText, out _))
                {
                    throw new DomainException($"'{classText}' is not a class: {string.Join(", ", Enum.GetNames<AccountClass>().Select(n => n.ToLowerInvariant()))}.", "--class");
                }

                var set = parse.GetValue(removeOption) ? null : new BillReviewRules
                {
                    HighPercent = parse.GetValue(highPercentOption),
                    HighAmount = Amount(parse.GetValue(highAmountOption), "--high-amount"),
                    LowPercent = parse.GetValue(lowPercentOption),
                    LowAmount = Amount(parse.GetValue(lowAmountOption), "--low-amount"),
                    ZeroUse = parse.GetValue(zeroUseOption),
                    VeryLarge = Amount(parse.GetValue(veryLargeOption), "--very-large"),
                    Negative = parse.GetValue(negativeOption),
                    FirstBill = parse.GetValue(firstBillOption),
                };
                var saved = await review.SetRulesAsync(accountClass, set is { IsEmpty: false } ? set : null, user, cancellationToken);
                console.WriteLine(saved.Rules is null
                    ? $"The {accountClass.ToString().ToLowerInvariant()} accounts' bills are no longer reviewed."
                    : $"The review's rules for {accountClass.ToString().ToLowerInvariant()} accounts are set: {Describe(saved.Rules)}.");
                return CliApp.Ok;
            }

            if (parse.GetValue(removeOption))
            {
                throw new DomainException("--remove needs --class: the class whose rules to remove.", "--class");
            }

            var table = new Table().AddColumns("Class", "Rules", "Set by");
            foreach (var view in await review.RulesAsync(cancellationToken))
            {
                table.AddRow(view.AccountClass.ToString().ToLowerInvariant(), view.Rules is null ? "none (nothing held)" : Markup.Escape(Describe(view.Rules)),
                    view.UpdatedBy is null ? "" : Markup.Escape($"{view.UpdatedBy} {view.UpdatedAt:yyyy-MM-dd}"));
            }

            console.Write(table);
            return CliApp.Ok;
        }));
        bill.Add(rules);
    }

    /// <summary>A class's rules in words, the way the options set them.</summary>
    public static string Describe(BillReviewRules rules)
    {
        var parts = new List<string>();
        if (rules.HighPercent is not null || rules.HighAmount is not null)
        {
            parts.Add("high over " + string.Join(" and ", new[] { rules.HighPercent is { } p ? $"{p.ToString("0.##", CultureInfo.InvariantCulture)}%" : null, rules.HighAmount?.ToString() }.OfType<string>()));
        }

        if (rules.LowPercent is not null || rules.LowAmount is not null)
        {
            parts.Add("low over " + string.Join(" and ", new[] { rules.LowPercent is { } p ? $"{p.ToString("0.##", CultureInfo.InvariantCulture)}%" : null, rules.LowAmount?.ToString() }.OfType<string>()));
        }

        if (rules.VeryLarge is { } large)
        {
            parts.Add($"very large over {large}");
        }

        if (rules.ZeroUse)
        {
            parts.Add("zero use");
        }

        if (rules.Negative)
        {
            parts.Add("negative");
        }

        if (rules.FirstBill)
        {
            parts.Add("first bill");
        }

        return string.Join(", ", parts);
    }

    private static Money? Amount(string? text, string option) =>
        string.IsNullOrWhiteSpace(text) ? null
        : Money.TryParse(text, out var amount) ? amount
        : throw new DomainException($"{option} {text}: give dollars and cents, e.g. 40.00.", option);
}
