using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Persistence;

/// <summary>Many payments at once to one account, each through its own scope and connection, as concurrent API requests arrive, on each database.</summary>
public sealed class ConcurrentPaymentTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Fifty_concurrent_payments_and_their_retries_leave_the_right_balance_and_fifty_receipts(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "concurrent payments");
        await database.MigrateAsync();
        await using var services = database.Services();
        TinyCity.TinyAccount account;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            account = (await TinyCity.BuildAsync(db, 1))[0];
            var ledger = await AccountLedger.LoadAsync(db, account.AccountId, default);
            ledger.Post(db, OpenCIS.Core.Ledger.PostingRules.ForAdjustment(Money.FromCents(3_000)), TinyCity.OpenedOn, TinyCity.OpenedOn.AddDays(20), null, "clerk", "opening charge", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        async Task<PaymentReceipt> PayAsync(int i)
        {
            await using var scope = services.CreateAsyncScope();
            var request = new TakePaymentRequest(account.AccountNumber, Money.FromCents(100 + i), Tender.MoneyOrder, null, PaymentSource.Api, $"concurrent-{i}");
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await scope.ServiceProvider.GetRequiredService<TakePayment>().ExecuteAsync(request, "cashier");
                }
                catch (Exception exception) when (attempt < 20 && IsBusy(exception))
                {
                    // SQLite has one writer: a request that finds the database busy is retried, as a client retries a 503.
                    await Task.Delay(25 * attempt);
                }
            }
        }

        var receipts = await Task.WhenAll(Enumerable.Range(1, 50).Select(PayAsync));
        // Every request again, all at once, as clients retry after a timeout: the same Idempotency-Key posts nothing.
        var retries = await Task.WhenAll(Enumerable.Range(1, 50).Select(PayAsync));

        var expectedPaid = Enumerable.Range(1, 50).Sum(i => 100L + i);
        await using var fresh = database.Context();
        Assert.Equal(50, receipts.Select(r => r.ReceiptNumber).Distinct().Count());
        Assert.Equal(receipts.Select(r => r.ReceiptNumber), retries.Select(r => r.ReceiptNumber));
        Assert.All(retries, r => Assert.True(r.AlreadyPosted));
        Assert.Equal(50, await fresh.Payments.CountAsync(p => p.AccountId == account.AccountId));
        Assert.Equal(3_000 - expectedPaid, await fresh.OpenItems.Where(o => o.AccountId == account.AccountId).SumAsync(o => o.OpenCents));
        Assert.Equal(3_000 - expectedPaid, await fresh.FinancialTransactions.Where(t => t.AccountId == account.AccountId).SumAsync(t => t.AmountCents));
        var balancesAfter = await fresh.FinancialTransactions.Where(t => t.AccountId == account.AccountId).OrderBy(t => t.Id).Select(t => new { t.AmountCents, t.BalanceAfterCents }).ToListAsync();
        var running = 0L;
        foreach (var t in balancesAfter)
        {
            running += t.AmountCents;
            Assert.Equal(running, t.BalanceAfterCents);
        }

        // The opening charge is paid, nothing more is applied to it, and the rest waits as unapplied credit.
        var open = await fresh.OpenItems.Where(o => o.AccountId == account.AccountId && o.OpenCents != 0).Select(o => o.OpenCents).ToListAsync();
        Assert.All(open, cents => Assert.True(cents < 0));
        Assert.Equal(3_000, await fresh.ItemAllocations.SumAsync(a => a.AmountCents));
    }

    private static bool IsBusy(Exception exception) =>
        exception.ToString().Contains("database is locked", StringComparison.OrdinalIgnoreCase)
        || exception.ToString().Contains("SQLITE_BUSY", StringComparison.OrdinalIgnoreCase);
}
