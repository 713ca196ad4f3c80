using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Payments;
using OpenCIS.Core.Receivables;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Storage.Receivables;
using OpenCIS.UseCases.Receivables;

namespace OpenCIS.Tests.Cli;

public sealed class ReceivablesCliTests(CliCityFixture city) : IClassFixture<CliCityFixture>
{
    private async Task<long> BalanceCentsAsync(string accountNumber)
    {
        await using var db = city.Database.Context();
        var id = await db.Accounts.Where(a => a.AccountNumber == accountNumber).Select(a => a.Id).SingleAsync();
        return await db.OpenItems.Where(o => o.AccountId == id).SumAsync(o => o.OpenCents);
    }

    [Fact]
    public async Task Refunds_approve_posts_a_clerks_refund_and_the_register_lists_it_then_writeoff_and_its_reversal_move_the_balance()
    {
        var number = AccountNumbers.Create(5);
        await using var services = city.Database.Services();
        long refundId;
        await using (var scope = services.CreateAsyncScope())
        {
            var owed = Math.Max(0, await BalanceCentsAsync(number));
            await scope.ServiceProvider.GetRequiredService<TakePayment>().ExecuteAsync(
                new TakePaymentRequest(number, Money.FromCents(owed + 4_200), Tender.Check, "1001", PaymentSource.Counter, null), "cashier");
            refundId = (await scope.ServiceProvider.GetRequiredService<RequestRefund>().ExecuteAsync(
                new RefundRequest(number, Money.FromCents(4_200), RefundMethod.Check, "Closed the account", null), "clerk")).Refund.RefundId;
        }

        var pending = await city.RunAsync("refunds", "list");
        var approved = await city.RunAsync("refunds", "approve", "--id", refundId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--key", "cli-approve-1");
        var again = await city.RunAsync("refunds", "approve", "--id", refundId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--key", "cli-approve-1");
        var register = await city.RunAsync("refunds", "register", "--from", "2026-11-22");

        Assert.Equal(0, pending.ExitCode);
        Assert.Contains(number, pending.Output, StringComparison.Ordinal);
        Assert.Equal(0, approved.ExitCode);
        Assert.Contains($"Refund {refundId} of $42.00 approved and posted", approved.Output, StringComparison.Ordinal);
        Assert.Contains("already approved", again.Output, StringComparison.Ordinal);
        Assert.Contains($"{refundId},2026-11-22,{number},Check,", register.Output, StringComparison.Ordinal);
        Assert.Contains("TOTAL,,,,,,,,,,,42.00,", register.Output, StringComparison.Ordinal);

        // With nothing owed there is nothing to write off; a debit adjustment gives the account a balance first.
        var nothing = await city.RunAsync("writeoff", "--account", number, "--reason", "SMALLBAL");
        Assert.NotEqual(0, nothing.ExitCode);
        Assert.Contains("owes nothing to write off", nothing.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await city.RunAsync("adjust", "--account", number, "--reason-code", "BILLING-ERROR", "--amount", "12.00", "--debit", "--note", "Missed charge")).ExitCode);
        var before = await BalanceCentsAsync(number);

        var writeOff = await city.RunAsync("writeoff", "--account", number, "--reason", "SMALLBAL", "--key", "cli-writeoff-1");
        Assert.Equal(0, writeOff.ExitCode);
        Assert.Contains("balance now $0.00", writeOff.Output, StringComparison.Ordinal);
        Assert.Equal(0, await BalanceCentsAsync(number));
        await using (var db = city.Database.Context())
        {
            var id = await db.WriteOffs.Where(w => w.IdempotencyKey == "cli-writeoff-1").Select(w => w.Id).SingleAsync();
            var reversed = await city.RunAsync("writeoff", "reverse", "--id", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--reason", "Paid after all");
            Assert.Equal(0, reversed.ExitCode);
        }

        Assert.Equal(before, await BalanceCentsAsync(number));
        var transfer = await city.RunAsync("transfer", "--from", number, "--to", AccountNumbers.Create(6), "--reason", "wrong customer");
        Assert.NotEqual(0, transfer.ExitCode);
        Assert.Contains("do not belong to the same customer", transfer.Output, StringComparison.Ordinal);
    }
}
