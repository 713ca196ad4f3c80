using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Billing;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// The pre-bill review on each database: a run holds what the rules say and nothing else; a held bill neither posts nor
/// blocks the ledger, keeps its account out of the next run, and is posted when released; a canceled one is billed again.
/// </summary>
public sealed class BillReviewTests
{
    private static readonly DateOnly BillDate = new(2026, 11, 5);

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_held_bill_posts_nothing_until_it_is_released_and_a_canceled_one_is_billed_again(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "bill review");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 3);
        var review = scope.ServiceProvider.GetRequiredService<ReviewHeldBills>();
        await review.SetRulesAsync(AccountClass.Residential, new BillReviewRules { ZeroUse = true, VeryLarge = Money.FromCents(12_000) }, "supervisor");

        // 9,000 gal ($130.85: very large), 2,000 gal ($68.50: passes), no use ($52.00: zero use).
        await TinyCity.AddReadAsync(db, accounts.Take(1), BillDate.AddDays(-1), 10_000);
        await TinyCity.AddReadAsync(db, accounts.Skip(1).Take(1), BillDate.AddDays(-1), 3_000);
        await TinyCity.AddReadAsync(db, accounts.Skip(2), BillDate.AddDays(-1), 1_000);
        db.ChangeTracker.Clear();
        var run = await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", BillDate, "clerk");
        Assert.EndsWith("; 2 held for review.", run.Message, StringComparison.Ordinal);

        var held = await review.HeldAsync(run.RunId);
        Assert.Equal(2, held.Total);
        Assert.Equal([(accounts[0].AccountId, "Very large: $130.85 is over $120.00."), (accounts[2].AccountId, "Zero use on the water meter T0000003.")],
            held.Bills.Select(b => (b.AccountId, b.Reasons.Single())).ToArray());
        await using (var fresh = database.Context())
        {
            Assert.Equal(1, await fresh.FinancialTransactions.CountAsync());
            Assert.Equal([accounts[1].AccountId], await fresh.OpenItems.Select(o => o.AccountId).Distinct().ToArrayAsync());
            Assert.All(await fresh.Bills.Where(b => b.Status == BillStatus.Held).ToListAsync(), b => Assert.Null(b.FinancialTransactionId));
        }

        // Nor may an average (or final) bill cover the held bill's period again.
        var average = await Assert.ThrowsAsync<DomainException>(() => scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Billing.Corrections.AverageBill>()
            .ExecuteAsync(new OpenCIS.UseCases.Billing.Corrections.AverageBillRequest(accounts[0].AccountNumber, null, "No access"), "clerk"));
        Assert.Equal("accountNumber", average.Field);
        Assert.Contains("is held for review", average.Message, StringComparison.Ordinal);
        db.ChangeTracker.Clear();

        // The next run leaves the held account alone and says why; the canceled one is billed again.
        var cancel = await review.CancelAsync(held.Bills[1].BillId, "Meter reads zero: a field check was ordered", "clerk");
        Assert.Equal(BillStatus.Canceled, cancel.Status);
        var next = new DateOnly(2026, 12, 5);
        await TinyCity.AddReadAsync(db, accounts.Take(2), next.AddDays(-1), 12_000);
        await TinyCity.AddReadAsync(db, accounts.Skip(2), next.AddDays(-1), 3_000);
        db.ChangeTracker.Clear();
        var second = await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", next, "clerk");
        await using (var fresh = database.Context())
        {
            var exception = await fresh.BillingExceptions.SingleAsync(x => x.BillingRunId == second.RunId);
            Assert.Equal(accounts[0].AccountId, exception.AccountId);
            Assert.Equal($"Bill {held.Bills[0].BillId} for 2026-09-02 to 2026-11-04 is held for review; release or cancel it first.", exception.Reason);
            var rebilled = await fresh.Bills.SingleAsync(b => b.BillingRunId == second.RunId && b.AccountId == accounts[2].AccountId);
            Assert.Equal((new DateOnly(2026, 9, 2), BillStatus.Issued), (rebilled.PeriodStart, rebilled.Status));
        }

        // Released: issued today, its charges posted and due by the cycle's terms; released twice, refused.
        var released = await review.ReleaseAsync(held.Bills[0].BillId, "supervisor");
        Assert.Equal(BillStatus.Issued, released.Status);
        Assert.Equal(13_085, released.AmountDue.Cents);
        var again = await Assert.ThrowsAsync<DomainException>(() => review.ReleaseAsync(held.Bills[0].BillId, "supervisor"));
        Assert.Equal("billId", again.Field);
        await using (var fresh = database.Context())
        {
            var bill = await fresh.Bills.Include(b => b.Transaction).SingleAsync(b => b.Id == held.Bills[0].BillId);
            Assert.Equal((BillStatus.Issued, "supervisor", 13_085L, 13_085L), (bill.Status, bill.ReleasedBy, bill.Transaction!.AmountCents, bill.AmountDueCents));
            Assert.Equal(released.BillDate, bill.BillDate);
            Assert.Equal(13_085, await fresh.OpenItems.Where(o => o.AccountId == accounts[0].AccountId).SumAsync(o => o.OpenCents));
            var entries = await fresh.GlEntries.ToListAsync();
            Assert.Equal(entries.Sum(e => e.DebitCents), entries.Sum(e => e.CreditCents));
            Assert.Equal(await fresh.OpenItems.SumAsync(o => o.OpenCents), entries.Where(e => e.GlAccount == "1200").Sum(e => e.DebitCents - e.CreditCents));
        }
    }
}
