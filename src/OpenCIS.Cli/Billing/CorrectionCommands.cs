using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.UseCases.Billing.Corrections;
using Spectre.Console;

namespace OpenCIS.Cli.Billing;

/// <summary>
/// Corrections from the command line, through the same workflows as the screens and the API:
/// <c>bill cancel-rebill</c>, <c>bill final</c>, <c>bill average</c>, and <c>adjust</c> / <c>adjustments approve|reject</c>.
/// </summary>
public static class CorrectionCommands
{
    public static void AddTo(CliHost host)
    {
        var root = host.Root;
        var bill = host.Group("bill", "Billing.");
        var console = host.Console;
        Func<Func<IServiceProvider, Task<int>>, Task<int>> withServices = host.WithServices;
        var user = host.User;
        var billOption = new Option<long>("--bill") { Description = "The bill's number", Required = true };
        var reasonOption = new Option<string>("--reason") { Description = "Why (kept with the correction)", Required = true };
        var readOption = new Option<string[]>("--read") { Description = "A meter's read: SERIAL=READING (repeatable)" };
        var keyOption = new Option<string?>("--key") { Description = "Idempotency key: the same key again returns the first result and posts nothing" };
        var previewOption = new Option<bool>("--preview") { Description = "Show what the rebill would be (the difference by service) and post nothing" };
        var confirmOption = new Option<string[]>("--confirm") { Description = "A meter whose corrected read you checked (a rollover, unusual use): SERIAL (repeatable)" };
        var cancelRebill = new Command("cancel-rebill", "Cancel a bill (reversing transaction) and rebill its period from the same or corrected reads (--read); a bill before the latest is rebilled with every later bill, each period in order. --preview first to see the difference.")
            { billOption, reasonOption, readOption, keyOption, previewOption, confirmOption };
        cancelRebill.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var confirmed = (parse.GetValue(confirmOption) ?? []).ToHashSet(StringComparer.Ordinal);
            var corrected = Reads(parse.GetValue(readOption)).Select(r => new CorrectedReading(r.Serial, r.Reading, confirmed.Contains(r.Serial))).ToList();
            var workflow = services.GetRequiredService<CancelRebill>();
            IReadOnlyList<ServiceDifference> byService;
            IReadOnlyList<RebilledPeriod> periods;
            string message;
            if (parse.GetValue(previewOption))
            {
                var preview = await workflow.PreviewAsync(parse.GetValue(billOption), corrected, cancellationToken);
                (byService, periods, message) = (preview.ByService, preview.Periods, preview.Message);
            }
            else
            {
                var result = await workflow.ExecuteAsync(new CancelRebillRequest(parse.GetValue(billOption), parse.GetValue(reasonOption)!, corrected, parse.GetValue(keyOption)), user, cancellationToken);
                (byService, periods, message) = (result.ByService, result.Periods, result.Message);
            }

            if (periods.Count > 1)
            {
                var byPeriod = new Table().AddColumns("Bill", "Service period", "Was", "Rebill", "Difference", "New bill");
                foreach (var p in periods)
                {
                    byPeriod.AddRow(p.CanceledBillId.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{p.PeriodStart:yyyy-MM-dd} to {p.PeriodEnd:yyyy-MM-dd}",
                        Money.FromCents(p.OldCents).ToString(), Money.FromCents(p.NewCents).ToString(), Money.FromCents(p.DifferenceCents).ToString(),
                        p.NewBillId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
                }

                console.Write(byPeriod);
            }

            var table = new Table().AddColumns("Service", "Bill", "Rebill", "Difference");
            foreach (var s in byService)
            {
                table.AddRow(s.Service, Money.FromCents(s.OldCents).ToString(), Money.FromCents(s.NewCents).ToString(), Money.FromCents(s.DifferenceCents).ToString());
            }

            console.Write(table);
            console.WriteLine(message);
            return CliApp.Ok;
        }));
        bill.Add(cancelRebill);

        var accountOption = new Option<string>("--account") { Description = "Account number", Required = true };
        var stopOption = new Option<string>("--stop-date") { Description = "Last day of service, YYYY-MM-DD", Required = true };
        var final = new Command("final", "Stop an account's service on a date with its final reads (--read) and issue the final bill.") { accountOption, stopOption, readOption, reasonOption };
        final.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var readings = Reads(parse.GetValue(readOption)).Select(r => new FinalReading(r.Serial, r.Reading)).ToList();
            var result = await services.GetRequiredService<StopService>().ExecuteAsync(
                new StopServiceRequest(parse.GetValue(accountOption)!, Date(parse.GetValue(stopOption)!, "--stop-date"), readings, parse.GetValue(reasonOption)!), user, cancellationToken);
            console.WriteLine(result.Message);
            return CliApp.Ok;
        }));
        bill.Add(final);

        var asOfOption = new Option<string?>("--date") { Description = "Estimate the read as of this date, YYYY-MM-DD (default today)" };
        var average = new Command("average", "Issue an average (estimated) bill for an account whose read is missing.") { accountOption, asOfOption, reasonOption };
        average.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var readOn = parse.GetValue(asOfOption) is { } text ? Date(text, "--date") : (DateOnly?)null;
            var result = await services.GetRequiredService<AverageBill>().ExecuteAsync(new AverageBillRequest(parse.GetValue(accountOption)!, readOn, parse.GetValue(reasonOption)!), user, cancellationToken);
            foreach (var estimate in result.Estimates)
            {
                console.WriteLine($"Meter {estimate.MeterSerial}: estimated {estimate.EstimatedReading:N0} on {estimate.ReadOn:yyyy-MM-dd}. {estimate.Method}");
            }

            console.WriteLine(result.Message);
            return CliApp.Ok;
        }));
        bill.Add(average);

        var codeOption = new Option<string>("--reason-code") { Description = string.Join(", ", OpenCIS.Core.Billing.AdjustmentReasons.All.Select(r => r.Code)), Required = true };
        var amountOption = new Option<string>("--amount") { Description = "Dollars and cents, e.g. 25.00", Required = true };
        var debitOption = new Option<bool>("--debit") { Description = "Charge the account (default: credit it)" };
        var noteOption = new Option<string>("--note") { Description = "Why (kept with the adjustment)", Required = true };
        var adjust = new Command("adjust", "Adjust an account with a reason code; above the approval threshold it waits for a Supervisor.") { accountOption, codeOption, amountOption, debitOption, noteOption, keyOption };
        adjust.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            if (!Money.TryParse(parse.GetValue(amountOption), out var amount) || !amount.IsPositive)
            {
                throw new DomainException($"'{parse.GetValue(amountOption)}' is not an amount in dollars and cents above zero.", "--amount");
            }

            var outcome = await services.GetRequiredService<RequestAdjustment>().ExecuteAsync(
                new AdjustmentRequest(parse.GetValue(accountOption)!, parse.GetValue(codeOption)!, parse.GetValue(debitOption) ? amount : -amount, parse.GetValue(noteOption)!, null, parse.GetValue(keyOption)),
                user, null, cancellationToken);
            console.WriteLine(outcome.Message);
            return CliApp.Ok;
        }));
        root.Add(adjust);

        var idOption = new Option<long>("--id") { Description = "The adjustment's number", Required = true };
        var adjustments = new Command("adjustments", "Adjustments awaiting approval.");
        var list = new Command("pending", "List the adjustments waiting for a Supervisor.");
        list.SetAction((_, cancellationToken) => withServices(async services =>
        {
            var table = new Table().AddColumns("#", "Account", "Reason", "Amount", "Requested by", "Note");
            foreach (var a in await services.GetRequiredService<AdjustmentQueries>().PendingAsync(cancellationToken))
            {
                table.AddRow(a.AdjustmentId.ToString(CultureInfo.InvariantCulture), a.AccountNumber, a.ReasonCode, Money.FromCents(a.AmountCents).ToString(), Markup.Escape(a.RequestedBy), Markup.Escape(a.Note));
            }

            console.Write(table);
            return CliApp.Ok;
        }));
        var approve = new Command("approve", "Approve a pending adjustment: it posts now.") { idOption };
        approve.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            console.WriteLine((await services.GetRequiredService<DecideAdjustment>().ApproveAsync(parse.GetValue(idOption), user, null, cancellationToken)).Message);
            return CliApp.Ok;
        }));
        var reject = new Command("reject", "Reject a pending adjustment with a reason; nothing posts.") { idOption, reasonOption };
        reject.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            console.WriteLine((await services.GetRequiredService<DecideAdjustment>().RejectAsync(parse.GetValue(idOption), user, parse.GetValue(reasonOption)!, cancellationToken)).Message);
            return CliApp.Ok;
        }));
        adjustments.Add(list);
        adjustments.Add(approve);
        adjustments.Add(reject);
        root.Add(adjustments);
    }

    private static IEnumerable<(string Serial, long Reading)> Reads(string[]? values)
    {
        foreach (var value in values ?? [])
        {
            var parts = value.Split('=', 2);
            if (parts.Length != 2 || !long.TryParse(parts[1].Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var reading))
            {
                throw new DomainException($"--read {value}: give SERIAL=READING, e.g. W0000001=48250.", "--read");
            }

            yield return (parts[0].Trim(), reading);
        }
    }

    private static DateOnly Date(string text, string option) => CliApp.ParseDate(text, option);
}
