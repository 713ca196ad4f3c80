using Microsoft.EntityFrameworkCore;
using OpenCIS.Cli;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Tests.Persistence;

namespace OpenCIS.Tests.Cli;

/// <summary><c>opencis payments return</c> on a seeded demo city.</summary>
public sealed class ReturnedPaymentCliTests : IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabases.CreateAsync(TestProvider.Sqlite, "returned payment CLI");
        Assert.Equal(0, (await RunAsync("demo", "seed", "--accounts", "12")).ExitCode);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private Task<CliRun> RunAsync(params string[] args) => CliRun.ExecuteAsync(database.Configuration(), args);

    [Fact]
    public async Task A_returned_payment_posts_once_with_its_fee_and_the_second_return_makes_the_account_cash_only()
    {
        long accountId;
        List<Payment> payments;
        await using (var db = database.Context())
        {
            accountId = (await db.Payments.Where(p => p.Tender != Tender.Cash).GroupBy(p => p.AccountId).Where(g => g.Count() >= 2).Select(g => g.Key).OrderBy(id => id).ToListAsync())[0];
            payments = await db.Payments.Where(p => p.AccountId == accountId && p.Tender != Tender.Cash).OrderByDescending(p => p.Id).Take(2).ToListAsync();
        }

        var first = await RunAsync("payments", "return", "--receipt", payments[0].ReceiptNumber, "--reason", "NSF", "--reference", "BANK-123");
        var again = await RunAsync("payments", "return", "--receipt", payments[0].ReceiptNumber, "--reason", "NSF");
        var badReason = await RunAsync("payments", "return", "--receipt", payments[1].ReceiptNumber, "--reason", "lost");
        var second = await RunAsync("payments", "return", "--receipt", payments[1].ReceiptNumber, "--reason", "charge-back");

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains($"Payment {payments[0].ReceiptNumber}", first.Output, StringComparison.Ordinal);
        Assert.Contains("fee $25.00", first.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("cash-only", first.Output, StringComparison.Ordinal);
        Assert.Equal(CliApp.BadInput, again.ExitCode);
        Assert.Contains("already returned", again.Output, StringComparison.Ordinal);
        Assert.Equal(CliApp.BadInput, badReason.ExitCode);
        Assert.Contains("--reason", badReason.Output, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("now cash-only", second.Output, StringComparison.Ordinal);

        await using var check = database.Context();
        Assert.Equal(2, await check.FinancialTransactions.CountAsync(t => t.AccountId == accountId && t.Type == FinancialTransactionType.ReturnedPayment));
        Assert.Equal(2, await check.FinancialTransactions.CountAsync(t => t.AccountId == accountId && t.Type == FinancialTransactionType.ReturnedPaymentFee));
        Assert.True(await check.Accounts.Where(a => a.Id == accountId).Select(a => a.CashOnly).SingleAsync());
    }
}
