using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Persistence;

/// <summary>Bulk payments load an account's unapplied credits as one sum; what they post must be what a full load would post.</summary>
public sealed class LedgerLoadingTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Payments_posted_on_summed_credits_keep_balances_and_a_later_charge_uses_every_credit(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "ledger loading");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 2);
        var day = TinyCity.OpenedOn.AddDays(10);
        var owing = accounts[0].AccountId;
        var inCredit = accounts[1].AccountId;
        var ledgers = await AccountLedger.LoadManyAsync(db, [owing, inCredit], default);
        ledgers[owing].Post(db, PostingRules.ForAdjustment(Money.FromCents(10_000)), day, day.AddDays(20), null, "clerk", "charge", DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();

        var poster = scope.ServiceProvider.GetRequiredService<PaymentBatchPoster>();
        for (var run = 0; run < 3; run++)
        {
            // Each run: three payments to each account; the owing account's charge is paid off during the first run.
            await poster.PostAsync(
                [.. Enumerable.Range(1, 3).SelectMany(i => new[]
                {
                    new PaymentInstruction(owing, Money.FromCents(2_000 + i), day, Tender.Check, PaymentSource.File, $"{run}-{i}"),
                    new PaymentInstruction(inCredit, Money.FromCents(500 * i), day, Tender.Check, PaymentSource.File, $"{run}-{i}"),
                })],
                "lockbox", default);
        }

        await using var fresh = database.Context();
        foreach (var id in new[] { owing, inCredit })
        {
            var open = await fresh.OpenItems.Where(o => o.AccountId == id).SumAsync(o => o.OpenCents);
            var posted = await fresh.FinancialTransactions.Where(t => t.AccountId == id).SumAsync(t => t.AmountCents);
            var last = await fresh.FinancialTransactions.Where(t => t.AccountId == id).OrderByDescending(t => t.Id).Select(t => t.BalanceAfterCents).FirstAsync();
            Assert.Equal(posted, open);
            Assert.Equal(posted, last);
            Assert.False(await fresh.OpenItems.AnyAsync(o => o.AccountId == id && o.OpenCents > 0) && await fresh.OpenItems.AnyAsync(o => o.AccountId == id && o.OpenCents < 0));
        }

        Assert.Equal(10_000 - 3 * (6_000 + 6), await fresh.OpenItems.Where(o => o.AccountId == owing).SumAsync(o => o.OpenCents));
        Assert.Equal(-3 * 3_000, await fresh.OpenItems.Where(o => o.AccountId == inCredit).SumAsync(o => o.OpenCents));

        // A later charge loads the credits one by one and takes from each, oldest first.
        var charge = await AccountLedger.LoadAsync(fresh, inCredit, default);
        charge.Post(fresh, PostingRules.ForAdjustment(Money.FromCents(9_500)), day.AddDays(30), day.AddDays(50), null, "clerk", "charge", DateTimeOffset.UtcNow);
        await fresh.SaveChangesAsync();
        Assert.Equal([500L], await fresh.OpenItems.Where(o => o.AccountId == inCredit && o.OpenCents != 0).Select(o => o.OpenCents).ToListAsync());

        // Loaded for credits, an account cannot take a charge: its credits are not there to settle it.
        var forCredits = await AccountLedger.LoadForCreditsAsync(fresh, [owing], default);
        Assert.Throws<InvalidOperationException>(() => forCredits[owing].Post(fresh, PostingRules.ForAdjustment(Money.FromCents(100)), day, day, null, "clerk", "x", DateTimeOffset.UtcNow));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_charge_posted_on_summed_charges_settles_and_balances_as_on_a_whole_ledger(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "ledger loading for charges");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 2);
        var day = TinyCity.OpenedOn.AddDays(10);
        var (arrears, inCredit) = (accounts[0].AccountId, accounts[1].AccountId);
        var ledgers = await AccountLedger.LoadManyAsync(db, [arrears, inCredit], default);
        foreach (var cents in new[] { 4_000L, 2_500, 1_250 })
        {
            ledgers[arrears].Post(db, PostingRules.ForAdjustment(Money.FromCents(cents)), day, day.AddDays(20), null, "clerk", "charge", DateTimeOffset.UtcNow);
        }

        foreach (var cents in new[] { -700L, -300 })
        {
            ledgers[inCredit].Post(db, PostingRules.ForAdjustment(Money.FromCents(cents)), day, day, null, "clerk", "credit", DateTimeOffset.UtcNow);
        }

        await db.SaveChangesAsync();

        await using var fresh = database.Context();
        var summed = await AccountLedger.LoadForChargesAsync(fresh, [arrears, inCredit], default);
        var whole = await AccountLedger.LoadManyAsync(fresh, [arrears, inCredit], default, tracking: false);
        Assert.Equal(Money.FromCents(7_750), summed[arrears].Balance);
        Assert.Empty(summed[arrears].OpenItems);
        Assert.Equal(2, summed[inCredit].OpenItems.Count);

        // The same charge on either load: the same balance after, and the same credits taken, oldest first.
        foreach (var id in new[] { arrears, inCredit })
        {
            var (onSummed, onWhole) = (new RecordingWriter(), new RecordingWriter());
            var charge = PostingRules.ForAdjustment(Money.FromCents(800));
            var a = summed[id].Post(onSummed, charge, day.AddDays(30), day.AddDays(50), null, "clerk", "charge", DateTimeOffset.UtcNow);
            var b = whole[id].Post(onWhole, charge, day.AddDays(30), day.AddDays(50), null, "clerk", "charge", DateTimeOffset.UtcNow);
            Assert.Equal(b.BalanceAfterCents, a.BalanceAfterCents);
            Assert.Equal(whole[id].Balance, summed[id].Balance);
            Assert.Equal(onWhole.Allocations, onSummed.Allocations);
        }

        Assert.Equal(-200, summed[inCredit].Balance.Cents);
        Assert.Equal(8_550, summed[arrears].Balance.Cents);

        // Loaded for charges, an account in arrears cannot take a credit: its charges are not there to be paid.
        var credit = PostingRules.ForAdjustment(Money.FromCents(-100));
        Assert.False(summed[arrears].CanPost(credit));
        Assert.True(summed[inCredit].CanPost(credit));
        Assert.Throws<InvalidOperationException>(() => summed[arrears].Post(new RecordingWriter(), credit, day, day, null, "clerk", "x", DateTimeOffset.UtcNow));
    }

    private sealed class RecordingWriter : ILedgerWriter
    {
        public List<(long ChargeItemId, long CreditItemId, long Cents)> Allocations { get; } = [];

        public void Add(FinancialTransaction transaction)
        {
        }

        public void Add(OpenItem item)
        {
        }

        public void Add(ItemAllocation allocation) => Allocations.Add((allocation.ChargeItem!.Id, allocation.CreditItem!.Id, allocation.AmountCents));

        public void Changed(OpenItem item)
        {
        }
    }
}
