using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Core.Reports;
using OpenCIS.Storage.ServiceOrders;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Receivables;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// Two months of a tiny city on each database, through the real workflows: November's bills, a payment and a late charge; in December
/// a balance written off, part of it paid after all (a recovery), and a disconnect. The trends through December give exactly those
/// figures in exactly their months, and nothing in the ten months before.
/// </summary>
public sealed class TrendsWorkflowTests
{
    private static readonly CalendarMonth December = new(2026, 12);

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_trends_count_each_bill_payment_charge_write_off_recovery_and_disconnect_in_its_month(TestProvider provider)
    {
        await using var city = await PaymentCity.StartAsync(provider, "collection trends", accounts: 3);
        long[] bills;
        await using (var db = city.Fresh())
        {
            bills = [.. (await db.Bills.OrderBy(b => b.AccountId).Select(b => new { b.AccountId, b.AmountDueCents }).ToListAsync()).Select(b => b.AmountDueCents)];
        }

        Assert.Equal(3, bills.Length);
        var due = await city.FirstDueAsync(city.Accounts[0].AccountId);
        Assert.True(due < new DateOnly(2026, 11, 30) && due.AddDays(30) >= new DateOnly(2026, 11, 30), $"the bills fall due in November ({due})");

        // November: the first account pays 10.00; the second is charged 5.00 late on the 28th, due at once.
        city.Clock.MoveTo(new DateOnly(2026, 11, 20));
        await city.RunAsync<TakePayment, PaymentReceipt>(w => w.ExecuteAsync(new TakePaymentRequest(city.Accounts[0].AccountNumber, Money.FromCents(10_00), Tender.MoneyOrder, null, PaymentSource.Counter, null), "cashier"));
        await using (var db = city.Fresh())
        {
            var ledger = await AccountLedger.LoadAsync(db, city.Accounts[1].AccountId, default);
            ledger.Post(db, PostingRules.ForLateCharge([(Service.Water, Money.FromCents(5_00))]), new DateOnly(2026, 11, 28), new DateOnly(2026, 11, 28), null, "system", "Late charge", city.Clock.Now);
            await db.SaveChangesAsync();
        }

        // December: the third account's balance written off on the 10th and 20.00 of it paid on the 15th; the second cut off on the 3rd.
        city.Clock.MoveTo(new DateOnly(2026, 12, 10));
        var writeOff = await city.RunAsync<WriteOffBalance, WriteOffOutcome>(w => w.ExecuteAsync(new WriteOffRequest(city.Accounts[2].AccountNumber, null, "UNCOLLECTIBLE", null, null), "supervisor"));
        Assert.Equal(bills[2], writeOff.WriteOff.AmountCents);
        city.Clock.MoveTo(new DateOnly(2026, 12, 15));
        await city.RunAsync<TakePayment, PaymentReceipt>(w => w.ExecuteAsync(new TakePaymentRequest(city.Accounts[2].AccountNumber, Money.FromCents(20_00), Tender.MoneyOrder, null, PaymentSource.Counter, null), "cashier"));
        await using (var db = city.Fresh())
        {
            var order = ServiceOrder.Create(ServiceOrderKind.DisconnectForNonPayment, city.Accounts[1].AccountId, null, null, null, 2, new DateOnly(2026, 12, 3), "Disconnect", "supervisor", city.Clock.Now);
            order.Complete(new ServiceOrderCompletion(ServiceOrderResult.Disconnected, new DateOnly(2026, 12, 3), 10_000), "field", city.Clock.Now);
            var noAccess = ServiceOrder.Create(ServiceOrderKind.DisconnectForNonPayment, city.Accounts[0].AccountId, null, null, null, 2, new DateOnly(2026, 12, 3), "Disconnect", "supervisor", city.Clock.Now);
            noAccess.Complete(new ServiceOrderCompletion(ServiceOrderResult.NoAccess, new DateOnly(2026, 12, 3)), "field", city.Clock.Now);
            db.ServiceOrders.AddRange(order, noAccess);
            await db.SaveChangesAsync();
        }

        var charts = (await city.RunAsync<CollectionTrends, IReadOnlyList<TrendChart>>(t => t.AllAsync(December))).ToDictionary(c => c.Key);
        long? Value(string chart, string series, int month) => charts[chart].Series.Single(s => s.Name == series).Values[month];
        IEnumerable<long?> Earlier(string chart, string series) => charts[chart].Series.Single(s => s.Name == series).Values.Take(10);
        const int Nov = 10, Dec = 11;
        Assert.Equal(new CalendarMonth(2026, 1), charts[CollectionTrends.BilledAndCollected].Months[0]);

        var billed = bills.Sum();
        Assert.Equal((billed, 0L), (Value(CollectionTrends.BilledAndCollected, "Billed", Nov), Value(CollectionTrends.BilledAndCollected, "Billed", Dec)));
        Assert.Equal((10_00L, 20_00L), (Value(CollectionTrends.BilledAndCollected, "Collected", Nov), Value(CollectionTrends.BilledAndCollected, "Collected", Dec)));
        Assert.Equal((5_00L, 0L), (Value(CollectionTrends.ChargesAndWriteOffs, "Late charges", Nov), Value(CollectionTrends.ChargesAndWriteOffs, "Late charges", Dec)));
        Assert.Equal((0L, bills[2]), (Value(CollectionTrends.ChargesAndWriteOffs, "Write-offs", Nov), Value(CollectionTrends.ChargesAndWriteOffs, "Write-offs", Dec)));
        Assert.Equal((0L, 20_00L), (Value(CollectionTrends.ChargesAndWriteOffs, "Recoveries", Nov), Value(CollectionTrends.ChargesAndWriteOffs, "Recoveries", Dec)));
        Assert.Equal((0L, 1L), (Value(CollectionTrends.DisconnectsAndReconnects, "Disconnects", Nov), Value(CollectionTrends.DisconnectsAndReconnects, "Disconnects", Dec)));

        // November's receivables: billed, less 10.00 paid, plus the 5.00 charge; DSO over November's 30 days. December billed nothing: no DSO.
        var receivablesNovember = billed - 10_00 + 5_00;
        Assert.Equal(Trends.DaysSalesOutstanding(Money.FromCents(receivablesNovember), Money.FromCents(billed), 30), Value(CollectionTrends.DaysSalesOutstanding, "Days sales outstanding", Nov));
        Assert.Equal(30L, Value(CollectionTrends.DaysSalesOutstanding, "Days sales outstanding", Nov)); // close to the month: nearly all of it is still owed
        Assert.Null(Value(CollectionTrends.DaysSalesOutstanding, "Days sales outstanding", Dec));

        // Aging at November's end: everything 1-30 days past due; at December's end the written-off account is gone and the rest 31-60 days.
        var aging = charts[CollectionTrends.AgingOverTime];
        Assert.Equal((0L, receivablesNovember, 0L), (Value(CollectionTrends.AgingOverTime, "Current", Nov), Value(CollectionTrends.AgingOverTime, "1-30 days", Nov), Value(CollectionTrends.AgingOverTime, "31-60 days", Nov)));
        var receivablesDecember = receivablesNovember - bills[2];
        Assert.Equal(receivablesDecember, aging.Series.Sum(s => s.Values[Dec]!.Value));
        Assert.Equal(receivablesDecember, Value(CollectionTrends.AgingOverTime, "31-60 days", Dec)); // the bills and the 5.00 charge (due 28 November: 33 days)

        foreach (var (chart, series) in new[] { (CollectionTrends.BilledAndCollected, "Billed"), (CollectionTrends.BilledAndCollected, "Collected"), (CollectionTrends.ChargesAndWriteOffs, "Write-offs"),
                     (CollectionTrends.AgingOverTime, "Current"), (CollectionTrends.DisconnectsAndReconnects, "Disconnects"), (CollectionTrends.Arrangements, "Arrangements broken"), (CollectionTrends.Campaigns, "Calls") })
        {
            Assert.All(Earlier(chart, series), v => Assert.Equal(0L, v));
        }

        Assert.All(Earlier(CollectionTrends.DaysSalesOutstanding, "Days sales outstanding"), Assert.Null);
        var csv = charts[CollectionTrends.ChargesAndWriteOffs].ToCsv().Split("\r\n");
        Assert.Equal($"2026-12,0.00,{Money.FromCents(bills[2]).ToPlainString()},20.00", csv[12]);
    }
}
