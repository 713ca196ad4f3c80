using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Receivables;
using OpenCIS.Storage.Receivables;
using OpenCIS.UseCases.Receivables;
using Spectre.Console;

namespace OpenCIS.Cli.Receivables;

/// <summary>
/// Receivables from the command line, through the same workflows as the screens and the API:
/// <c>refunds request|list|approve|reject|register</c>, <c>transfer</c>, <c>writeoff</c> and <c>writeoff reverse</c>.
/// </summary>
public static class ReceivablesCommands
{
    public static void AddTo(CliHost host)
    {
        var root = host.Root;
        var console = host.Console;
        Func<Func<IServiceProvider, Task<int>>, Task<int>> withServices = host.WithServices;
        var user = host.User;
        var keyOption = new Option<string?>("--key") { Description = "Idempotency key: the same key again returns the first result and posts nothing" };
        var reasonOption = new Option<string>("--reason") { Description = "Why (kept with the posting and in the audit trail)", Required = true };
        var idOption = new Option<long>("--id") { Description = "The refund's number", Required = true };

        var refunds = new Command("refunds", "Refunds of credit balances: requests, Supervisor approval and the register for accounts payable.");
        var accountOption = new Option<string>("--account") { Description = "Account number", Required = true };
        var amountOption = new Option<string>("--amount") { Description = "Dollars and cents, e.g. 25.00", Required = true };
        var methodOption = new Option<string>("--method") { Description = "check (to the main customer's mailing address) or ach (to the account's enrollment)", DefaultValueFactory = _ => "check" };
        var noteOption = new Option<string>("--note") { Description = "Why the credit is refunded", Required = true };
        var request = new Command("request", "Ask to refund part or all of an account's credit; it waits for another Supervisor's approval.") { accountOption, amountOption, methodOption, noteOption, keyOption };
        request.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var amount = Amount(parse.GetValue(amountOption), "--amount") ?? throw new DomainException("Give --amount.", "--amount");
            if (!Enum.TryParse<RefundMethod>(parse.GetValue(methodOption), ignoreCase: true, out var method) || !Enum.IsDefined(method))
            {
                throw new DomainException($"--method '{parse.GetValue(methodOption)}' is not check or ach.", "--method");
            }

            var outcome = await services.GetRequiredService<RequestRefund>().ExecuteAsync(
                new RefundRequest(parse.GetValue(accountOption)!, amount, method, parse.GetValue(noteOption)!, parse.GetValue(keyOption)), user, cancellationToken);
            console.WriteLine(outcome.Message);
            return CliApp.Ok;
        }));

        var statusOption = new Option<string?>("--status") { Description = "pending (default), approved, rejected or all", DefaultValueFactory = _ => "pending" };
        var list = new Command("list", "List refunds; by default the ones waiting for a Supervisor.") { statusOption };
        list.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var text = parse.GetValue(statusOption) ?? "pending";
            RefundStatus? status = null;
            if (!string.Equals(text, "all", StringComparison.OrdinalIgnoreCase))
            {
                status = Enum.TryParse<RefundStatus>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                    ? parsed
                    : throw new DomainException($"--status '{text}' is not pending, approved, rejected or all.", "--status");
            }

            var table = new Table().AddColumns("#", "Account", "Amount", "Method", "Payee", "Status", "Requested by", "Note");
            foreach (var r in await services.GetRequiredService<RefundQueries>().ListAsync(status, cancellationToken))
            {
                table.AddRow(r.RefundId.ToString(CultureInfo.InvariantCulture), r.AccountNumber, Money.FromCents(r.AmountCents).ToString(), r.Method, Markup.Escape(r.PayeeName), r.Status,
                    Markup.Escape(r.RequestedBy), Markup.Escape(r.Note));
            }

            console.Write(table);
            return CliApp.Ok;
        }));

        var approveNote = new Option<string?>("--note") { Description = "A note kept with the approval" };
        var approve = new Command("approve", "Approve a pending refund: it posts now and goes on the register. Not the requester's own.") { idOption, approveNote, keyOption };
        approve.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            console.WriteLine((await services.GetRequiredService<DecideRefund>().ApproveAsync(parse.GetValue(idOption), user, parse.GetValue(approveNote), parse.GetValue(keyOption), cancellationToken)).Message);
            return CliApp.Ok;
        }));
        var reject = new Command("reject", "Reject a pending refund with a reason; nothing posts.") { idOption, reasonOption, keyOption };
        reject.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            console.WriteLine((await services.GetRequiredService<DecideRefund>().RejectAsync(parse.GetValue(idOption), user, parse.GetValue(reasonOption)!, parse.GetValue(keyOption), cancellationToken)).Message);
            return CliApp.Ok;
        }));

        var fromOption = new Option<string>("--from") { Description = "First approval date, YYYY-MM-DD", Required = true };
        var throughOption = new Option<string?>("--through") { Description = "Last approval date, YYYY-MM-DD (default: --from)" };
        var outOption = new Option<FileInfo?>("--out") { Description = "Write the CSV here (default: print it)" };
        var register = new Command("register", "The refund register: refunds approved between the dates, as CSV for accounts payable.") { fromOption, throughOption, outOption };
        register.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var from = Date(parse.GetValue(fromOption)!, "--from");
            var through = parse.GetValue(throughOption) is { } text ? Date(text, "--through") : from;
            var result = await services.GetRequiredService<RefundQueries>().RegisterAsync(from, through, cancellationToken);
            var csv = RefundQueries.ToCsv(result);
            if (parse.GetValue(outOption) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, csv, cancellationToken);
                console.WriteLine($"Wrote {result.Lines.Count} refund(s) totalling {Money.FromCents(result.TotalCents)} to {file.FullName}.");
            }
            else
            {
                console.Profile.Out.Writer.Write(csv);
            }

            return CliApp.Ok;
        }));
        refunds.Add(request);
        refunds.Add(list);
        refunds.Add(approve);
        refunds.Add(reject);
        refunds.Add(register);
        root.Add(refunds);

        var transferFrom = new Option<string>("--from") { Description = "The account whose whole balance moves", Required = true };
        var transferTo = new Option<string>("--to") { Description = "The same customer's account that receives it", Required = true };
        var transfer = new Command("transfer", "Move an account's whole open balance to another account of the same customer.") { transferFrom, transferTo, reasonOption, keyOption };
        transfer.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var outcome = await services.GetRequiredService<TransferBalance>().ExecuteAsync(
                new TransferRequest(parse.GetValue(transferFrom)!, parse.GetValue(transferTo)!, parse.GetValue(reasonOption)!, parse.GetValue(keyOption)), user, cancellationToken);
            console.WriteLine(outcome.Message + (outcome.AlreadyDone ? "" : $" {outcome.FromAccountNumber} now {Money.FromCents(outcome.FromBalanceCents)}, {outcome.ToAccountNumber} now {Money.FromCents(outcome.ToBalanceCents)}."));
            return CliApp.Ok;
        }));
        root.Add(transfer);

        var writeOffAccount = new Option<string>("--account") { Description = "Account number", Required = true };
        var writeOffAmount = new Option<string?>("--amount") { Description = "Dollars and cents (default: the whole balance)" };
        var writeOffReason = new Option<string>("--reason") { Description = string.Join(", ", WriteOffReasons.All.Select(r => r.Code)), Required = true };
        var writeOffNote = new Option<string?>("--note") { Description = "A note kept with the write-off" };
        var writeOff = new Command("writeoff", "Write off an account's open balance (or --amount of it) with a reason code.") { writeOffAccount, writeOffAmount, writeOffReason, writeOffNote, keyOption };
        writeOff.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var outcome = await services.GetRequiredService<WriteOffBalance>().ExecuteAsync(
                new WriteOffRequest(parse.GetValue(writeOffAccount)!, Amount(parse.GetValue(writeOffAmount), "--amount"), parse.GetValue(writeOffReason)!, parse.GetValue(writeOffNote), parse.GetValue(keyOption)),
                user, cancellationToken);
            console.WriteLine($"{outcome.Message} Write-off {outcome.WriteOff.WriteOffId}; balance now {Money.FromCents(outcome.BalanceCents)}.");
            return CliApp.Ok;
        }));
        var writeOffId = new Option<long>("--id") { Description = "The write-off's number", Required = true };
        var reverse = new Command("reverse", "Reverse a write-off: the amount is owed again.") { writeOffId, reasonOption, keyOption };
        reverse.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var outcome = await services.GetRequiredService<ReverseWriteOff>().ExecuteAsync(parse.GetValue(writeOffId), parse.GetValue(reasonOption)!, parse.GetValue(keyOption), user, cancellationToken);
            console.WriteLine($"{outcome.Message} Balance now {Money.FromCents(outcome.BalanceCents)}.");
            return CliApp.Ok;
        }));
        writeOff.Add(reverse);
        root.Add(writeOff);
    }

    private static Money? Amount(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Money.TryParse(text, out var amount) && amount.IsPositive
            ? amount
            : throw new DomainException($"{option} '{text}' is not an amount in dollars and cents above zero.", option);
    }

    private static DateOnly Date(string text, string option) => CliApp.ParseDate(text, option);
}
