using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Metering;
using OpenCIS.Storage.Metering;
using OpenCIS.Storage.ServiceOrders;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Metering;
using OpenCIS.UseCases.ServiceOrders;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// Service orders from creation to completion on each provider, through the real workflows: an exchange whose
/// completion goes through the meter lifecycle and shows on the next bill, a serial set elsewhere and a second
/// completion refused with nothing changed, a meter test that passes (its fee posted once) or fails (an exchange
/// order opened), and the dispatch board by day and crew.
/// </summary>
public sealed class ServiceOrderWorkTests
{
    private static async Task<string> SerialAsync(PaymentCity city, int account)
    {
        await using var db = city.Fresh();
        return await db.Meters.Where(m => m.Id == city.Accounts[account].MeterId).Select(m => m.Serial).SingleAsync();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_exchange_order_completed_updates_the_meter_history_and_the_next_bill(TestProvider provider)
    {
        TestDatabases.Require(provider, "exchange order");
        await using var city = await PaymentCity.StartAsync(provider, "exchange order", accounts: 2);
        var oldSerial = await SerialAsync(city, 0);
        var otherSerial = await SerialAsync(city, 1);
        city.Clock.MoveTo(new DateOnly(2026, 11, 16));
        await city.RunAsync<MeterLifecycle, Meter>(m => m.ReceiveAsync(new ReceiveMeterRequest("X0000009", Service.Water, "5/8\"", 6, 1m, Unit.Gallons, "Neptune", "T-10"), "meter shop"));
        var created = await city.RunAsync<CreateServiceOrder, ServiceOrderOutcome>(c => c.ExecuteAsync(
            new ServiceOrderRequest("meter-exchange", city.Accounts[0].AccountNumber, WindowStart: new TimeOnly(8, 0), WindowEnd: new TimeOnly(12, 0), Notes: "Register sticks"), "clerk"));
        Assert.Equal((OrderTypes.MeterShop, oldSerial, new DateOnly(2026, 11, 26)), (created.Order.Queue, created.Order.MeterSerial, created.Order.DueOn));
        var again = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<CreateServiceOrder, ServiceOrderOutcome>(c => c.ExecuteAsync(new ServiceOrderRequest("meter-exchange", city.Accounts[0].AccountNumber), "clerk")));
        Assert.Equal("kind", again.Field);

        // A serial installed elsewhere is refused, and nothing changes.
        var taken = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<CompleteServiceOrder, ServiceOrderOutcome>(c => c.ExecuteAsync(created.Order.Id,
            new OrderCompletion(ServiceOrderResult.Done, 10_300, otherSerial, 0), "field")));
        Assert.Equal("serial", taken.Field);
        await using (var db = city.Fresh())
        {
            Assert.Equal(MeterStatus.Installed, (await db.Meters.SingleAsync(m => m.Serial == oldSerial)).Status);
            Assert.Equal(ServiceOrderStatus.Open, (await db.ServiceOrders.SingleAsync(o => o.Id == created.Order.Id)).Status);
        }

        var done = await city.RunAsync<CompleteServiceOrder, ServiceOrderOutcome>(c => c.ExecuteAsync(created.Order.Id, new OrderCompletion(ServiceOrderResult.Done, 10_300, "X0000009", 5), "field"));
        Assert.Equal("X0000009", done.Order.NewMeterSerial);
        var twice = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<CompleteServiceOrder, ServiceOrderOutcome>(c => c.ExecuteAsync(created.Order.Id, new OrderCompletion(ServiceOrderResult.Done, 10_300, "X0000009", 5), "field")));
        Assert.Equal("id", twice.Field);

        await using (var db = city.Fresh())
        {
            var events = await db.MeterEvents.Where(e => e.ServicePointId == city.Accounts[0].WaterServicePointId && e.OccurredOn == new DateOnly(2026, 11, 16))
                .Join(db.Meters, e => e.MeterId, m => m.Id, (e, m) => new { e.Kind, m.Serial, e.Reading }).ToListAsync();
            Assert.Contains(events, e => e.Kind == MeterEventKind.Removed && e.Serial == oldSerial && e.Reading == 10_300);
            Assert.Contains(events, e => e.Kind == MeterEventKind.Set && e.Serial == "X0000009" && e.Reading == 5);
            var newMeter = await db.Meters.SingleAsync(m => m.Serial == "X0000009");
            Assert.Equal((MeterStatus.Installed, city.Accounts[0].WaterServicePointId), (newMeter.Status, newMeter.ServicePointId!.Value));
            db.Reads.Add(MeterRead.Record(newMeter.Id, city.Accounts[0].WaterServicePointId, new DateOnly(2026, 12, 4), 2_805, ReadSource.Handheld, ReadVerdicts.Valid, DeviceFlags.None, "test", FixedClock.DemoToday));
            await db.SaveChangesAsync();
        }

        // The next bill measures both meters: the old one to its final read, the new one from its set read.
        city.Clock.MoveTo(new DateOnly(2026, 12, 5));
        await city.RunAsync<RunBilling, BillingRunOutcome>(run => run.ExecuteAsync("C1", new DateOnly(2026, 12, 5), "clerk"));
        await using (var db = city.Fresh())
        {
            var bill = await db.Bills.Where(b => b.AccountId == city.Accounts[0].AccountId).OrderByDescending(b => b.Id).FirstAsync();
            var water = await db.BillSegments.Include(s => s.RemovedMeters).SingleAsync(s => s.BillId == bill.Id && s.Service == Service.Water);
            Assert.Equal(("X0000009", 5L, 2_805L), (water.MeterSerial, water.PreviousReading!.Value, water.PresentReading!.Value));
            var removed = Assert.Single(water.RemovedMeters);
            Assert.Equal(oldSerial, removed.MeterSerial);
            Assert.Equal(300m + 2_800m, water.UsageQuantity);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_meter_test_that_passes_posts_its_fee_once_and_one_that_fails_opens_an_exchange(TestProvider provider)
    {
        TestDatabases.Require(provider, "meter test orders");
        await using var city = await PaymentCity.StartAsync(provider, "meter test orders", accounts: 2);
        city.Clock.MoveTo(new DateOnly(2026, 11, 16));
        var passing = await city.RunAsync<CreateServiceOrder, ServiceOrderOutcome>(c => c.ExecuteAsync(new ServiceOrderRequest("meter-test", city.Accounts[0].AccountNumber, AssignTo: "field"), "clerk"));
        Assert.Equal(ServiceOrderStatus.Dispatched, passing.Order.Status);
        var failing = await city.RunAsync<CreateServiceOrder, ServiceOrderOutcome>(c => c.ExecuteAsync(new ServiceOrderRequest("meter-test", city.Accounts[1].AccountNumber), "clerk"));

        var board = await city.RunAsync<ServiceOrderQueries, DispatchBoard>(q => q.BoardAsync(new DateOnly(2026, 11, 26)));
        Assert.Equal([failing.Order.Id], board.Lanes.Single(l => l.Crew is null).Orders.Select(o => o.Id));
        Assert.Equal([passing.Order.Id], board.Lanes.Single(l => l.Crew == "field").Orders.Select(o => o.Id));

        var passed = await city.RunAsync<CompleteServiceOrder, ServiceOrderOutcome>(c => c.ExecuteAsync(passing.Order.Id, new OrderCompletion(ServiceOrderResult.Passed, Note: "98.9% low, 99.6% mid, 100.2% high"), "field"));
        Assert.NotNull(passed.Order.FeeTransactionId);
        var failed = await city.RunAsync<CompleteServiceOrder, ServiceOrderOutcome>(c => c.ExecuteAsync(failing.Order.Id, new OrderCompletion(ServiceOrderResult.Failed, Note: "82% at low flow"), "field"));
        Assert.Null(failed.Order.FeeTransactionId);
        Assert.Contains("exchange order", failed.Message, StringComparison.Ordinal);

        await using var db = city.Fresh();
        var fee = await db.FinancialTransactions.SingleAsync(t => t.Id == passed.Order.FeeTransactionId);
        Assert.Equal((FinancialTransactionType.ServiceFee, 20_00L), (fee.Type, fee.AmountCents));
        Assert.Equal(1, await db.FinancialTransactions.CountAsync(t => t.Type == FinancialTransactionType.ServiceFee));
        Assert.True(await db.ServiceOrders.AnyAsync(o => o.AccountId == city.Accounts[1].AccountId && o.Kind == ServiceOrderKind.MeterExchange && o.Status == ServiceOrderStatus.Open));
        Assert.Equal(2, await db.MeterEvents.CountAsync(e => e.Kind == MeterEventKind.Tested));
    }
}
