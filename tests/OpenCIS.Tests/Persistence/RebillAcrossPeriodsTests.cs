using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Billing.Corrections;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// Corrections across periods on each database: a misread two bills back is corrected by canceling and rebilling that bill
/// and both after it, each period in order (the next one measured from the corrected read); the preview shows every new bill
/// and the difference and posts nothing; a bill further back than the setting allows is refused.
/// </summary>
public sealed class RebillAcrossPeriodsTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_misread_two_bills_back_rebills_its_period_and_every_later_one_in_order(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "rebill across periods");
        await database.MigrateAsync();
        await using var services = database.Services(new FixedClock(new DateTimeOffset(2026, 12, 10, 15, 0, 0, TimeSpan.Zero)));
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var account = (await TinyCity.BuildAsync(db, 1))[0];
        var runs = new List<long>();
        // October's read of 5,000 should have been 3,000: October billed 4,000 gallons for 2,000, November 4,000 for 6,000.
        foreach (var (day, reading) in new[] { (new DateOnly(2026, 10, 5), 5_000L), (new DateOnly(2026, 11, 5), 9_000L), (new DateOnly(2026, 12, 5), 12_000L) })
        {
            await TinyCity.AddReadAsync(db, [account], day.AddDays(-1), reading);
            db.ChangeTracker.Clear();
            runs.Add((await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", day, "clerk")).RunId);
        }

        var bills = await db.Bills.AsNoTracking().OrderBy(b => b.Id).ToListAsync();
        var workflow = scope.ServiceProvider.GetRequiredService<CancelRebill>();
        var transactions = await db.FinancialTransactions.CountAsync();
        var correction = new[] { new CorrectedReading("T0000001", 3_000, Confirmed: true) };

        var preview = await workflow.PreviewAsync(bills[0].Id, correction);
        Assert.Equal(bills.Select(b => b.Id), preview.Periods.Select(p => p.CanceledBillId));
        Assert.True(preview.Periods[0].DifferenceCents < 0, "October billed less");
        Assert.True(preview.Periods[1].DifferenceCents > 0, "November billed more");
        Assert.Equal(0, preview.Periods[2].DifferenceCents);
        Assert.Equal(preview.Periods.Sum(p => p.DifferenceCents), preview.DifferenceCents);
        Assert.Contains("and the 2 bill(s) after it", preview.Message, StringComparison.Ordinal);
        Assert.Equal(transactions, await db.FinancialTransactions.CountAsync());

        var result = await workflow.ExecuteAsync(new CancelRebillRequest(bills[0].Id, "October read keyed as 5,000 for 3,000", correction, "fix-october"), "clerk");
        Assert.Equal(preview.Periods.Select(p => (p.CanceledBillId, p.NewCents)), result.Periods.Select(p => (p.CanceledBillId, p.NewCents)));
        Assert.Equal(preview.DifferenceCents, result.DifferenceCents);
        var retry = await workflow.ExecuteAsync(new CancelRebillRequest(bills[0].Id, "October read keyed as 5,000 for 3,000", correction, "fix-october"), "clerk");
        Assert.True(retry.AlreadyDone);
        Assert.Equal(result.Periods.Select(p => p.NewBillId), retry.Periods.Select(p => p.NewBillId));

        await using var fresh = database.Context();
        var after = await fresh.Bills.OrderBy(b => b.Id).ToListAsync();
        Assert.All(after.Take(3), b => Assert.Equal(BillStatus.Canceled, b.Status));
        var rebills = after.Skip(3).ToList();
        Assert.Equal(bills.Select(b => (b.Id, b.PeriodStart, b.PeriodEnd)), rebills.Select(b => (b.ReplacesBillId!.Value, b.PeriodStart, b.PeriodEnd)));
        Assert.Equal(after.Take(3).Select(b => b.ReplacedByBillId!.Value), rebills.Select(b => b.Id));
        Assert.Equal([2_000m, 6_000m, 3_000m], await fresh.BillSegments.Where(s => s.Service == OpenCIS.Core.Billing.Service.Water && s.UsageQuantity != null && rebills.Select(r => r.Id).Contains(s.BillId))
            .OrderBy(s => s.BillId).Select(s => s.UsageQuantity!.Value).ToListAsync());
        // Nothing was paid: the account owes exactly the rebills, and the ledger balances.
        Assert.Equal(rebills.Sum(b => b.CurrentChargesCents), await fresh.OpenItems.SumAsync(o => o.OpenCents));
        Assert.Equal(rebills[^1].AmountDueCents, await fresh.OpenItems.SumAsync(o => o.OpenCents));
        var entries = await fresh.GlEntries.ToListAsync();
        Assert.Equal(entries.Sum(e => e.DebitCents), entries.Sum(e => e.CreditCents));

        // January's bill makes the first rebill four bills back: beyond the last three a correction may reach.
        await TinyCity.AddReadAsync(db, [account], new DateOnly(2027, 1, 4), 15_000);
        db.ChangeTracker.Clear();
        await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", new DateOnly(2027, 1, 5), "clerk");
        var tooFar = await Assert.ThrowsAsync<DomainException>(() => workflow.PreviewAsync(rebills[0].Id, []));
        Assert.Equal("billId", tooFar.Field);
        Assert.Contains("4 bills back; only the account's last 3", tooFar.Message, StringComparison.Ordinal);
    }
}
