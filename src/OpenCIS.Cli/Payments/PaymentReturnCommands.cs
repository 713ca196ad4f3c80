using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Payments.Returns;
using OpenCIS.UseCases.Payments.Returns;
using Spectre.Console;

namespace OpenCIS.Cli.Payments;

/// <summary>
/// <c>payments return --receipt R --reason NSF [--reference X]</c>: a returned check or card charge back,
/// through the same workflow as the return screen and <c>POST /api/payments/{receipt}/return</c>.
/// </summary>
public static class PaymentReturnCommands
{
    public static void AddTo(CliHost host)
    {
        var payments = host.Group("payments", "Payments.");
        var console = host.Console;
        Func<Func<IServiceProvider, Task<int>>, Task<int>> withServices = host.WithServices;
        var user = host.User;
        var receiptOption = new Option<string>("--receipt") { Description = "The payment's receipt number, e.g. R00000123", Required = true };
        var reasonOption = new Option<string>("--reason") { Description = "NSF, stop-payment, account-closed, charge-back or other", Required = true };
        var referenceOption = new Option<string?>("--reference") { Description = "The bank's reference for the return (optional)" };
        var command = new Command("return", "Return a payment the bank sent back: reverse it, restore what it paid, add the fee, note the account; cash-only after repeated returns.") { receiptOption, reasonOption, referenceOption };
        command.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var reasonText = parse.GetValue(reasonOption);
            if (!PaymentReturnReasons.TryParse(reasonText, out var reason))
            {
                throw new DomainException($"--reason '{reasonText}' is not one of NSF, stop-payment, account-closed, charge-back, other.", "--reason");
            }

            var outcome = await services.GetRequiredService<ReturnPayment>().ExecuteAsync(
                new ReturnPaymentRequest(parse.GetValue(receiptOption)!, reason, parse.GetValue(referenceOption), null), user, cancellationToken);
            console.MarkupLineInterpolated($"Payment {outcome.ReceiptNumber} of {outcome.Amount} returned ({PaymentReturnReasons.Describe(outcome.Reason)}); fee {outcome.Fee}; account {outcome.AccountNumber} now owes {outcome.NewBalance}.");
            if (outcome.MadeCashOnly)
            {
                console.MarkupLineInterpolated($"[yellow]Account {outcome.AccountNumber} is now cash-only: checks are refused.[/]");
            }

            return CliApp.Ok;
        }));
        payments.Add(command);
    }
}
