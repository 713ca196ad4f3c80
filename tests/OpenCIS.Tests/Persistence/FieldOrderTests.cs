using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Metering;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.ServiceOrders;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Reports;
using OpenCIS.UseCases.ServiceOrders;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// From the disconnect list to the field and back, on both databases: the approval makes one order per account
/// and none on a second approval; a disconnect is refused, naming the protection, for an account protected since
/// the approval; a completed disconnect posts the policy's fee once and cuts the service; a reconnect is refused
/// until paid, posts the fee for its timing once, and the daily run makes the order of an account that paid in
/// full by itself; the books tie out.
/// </summary>
public sealed class FieldOrderTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_re_read_completed_in_the_field_stores_its_read_through_validation_and_an_inspection_completes_with_no_access(TestProvider provider)
    {
        TestDatabases.Require(provider, "field orders");
        await using var city = await PaymentCity.StartUnderPolicyAsync(provider, "field orders", accounts: 2);
        var ids = city.AccountIds;
        var today = PaymentCity.BillDate.AddDays(3);
        city.Clock.MoveTo(today);
        long reRead, inspect, lastReading;
        await using (var db = city.Fresh())
        {
            var account = await db.Accounts.SingleAsync(a => a.Id == ids[0]);
            var points = await db.ServiceAgreements.Where(sa => sa.AccountId == account.Id).Select(sa => sa.ServicePointId).ToListAsync();
            var meterIds = await db.Meters.Where(m => m.ServicePointId != null && points.Contains(m.ServicePointId.Value)).Select(m => m.Id).ToListAsync();
            lastReading = await db.Reads.Where(r => meterIds.Contains(r.MeterId)).OrderByDescending(r => r.ReadOn).Select(r => r.Reading).FirstAsync();
            var order = ServiceOrder.Create(ServiceOrderKind.ReRead, account.Id, account.PremiseId, null, null, 3, today, "High-bill case: read again", "clerk", city.Clock.Now);
            var check = ServiceOrder.Create(ServiceOrderKind.Inspect, ids[1], null, null, null, 3, today, "Leak check", "clerk", city.Clock.Now);
            db.ServiceOrders.AddRange(order, check);
            await db.SaveChangesAsync();
            (reRead, inspect) = (order.Id, check.Id);
        }

        Task<ServiceOrderOutcome> Complete(long id, ServiceOrderResult result, long? reading) =>
            city.RunAsync<CompleteFieldOrder, ServiceOrderOutcome>(w => w.ExecuteAsync(id, new FieldCompletion(result, reading), "field1"));

        Assert.Equal("reading", (await Assert.ThrowsAsync<DomainException>(() => Complete(reRead, ServiceOrderResult.Done, null))).Field);
        Assert.Equal("reading", (await Assert.ThrowsAsync<DomainException>(() => Complete(reRead, ServiceOrderResult.Done, lastReading - 1))).Field);
        var done = await Complete(reRead, ServiceOrderResult.Done, lastReading + 12);
        Assert.Contains($"read {lastReading + 12:N0} stored", done.Message, StringComparison.Ordinal);
        Assert.NotNull(done.Order.ReadId);
        await using (var db = city.Fresh())
        {
            var read = await db.Reads.SingleAsync(r => r.Id == done.Order.ReadId);
            Assert.Equal((lastReading + 12, today), (read.Reading, read.ReadOn));
        }

        // Completed once: a second completion is refused and stores nothing more.
        await Assert.ThrowsAsync<DomainException>(() => Complete(reRead, ServiceOrderResult.Done, lastReading + 20));
        var noAccess = await Complete(inspect, ServiceOrderResult.NoAccess, null);
        Assert.Equal((ServiceOrderStatus.Completed, ServiceOrderResult.NoAccess), (noAccess.Order.Status, noAccess.Order.Result));
        Assert.EndsWith("completed: no access.", noAccess.Message, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Approval_disconnect_and_reconnect_post_each_fee_once_and_refuse_a_protected_account(TestProvider provider)
    {
        TestDatabases.Require(provider, "field orders");
        await using var city = await PaymentCity.StartUnderPolicyAsync(provider, "field orders", accounts: 3);
        var ids = city.AccountIds;
        var due = await city.FirstDueAsync(ids[0]);

        // A day the policy lets the field disconnect: Monday to Thursday, no holiday tomorrow, before the winter moratorium.
        var day = Enumerable.Range(16, 30).Select(due.AddDays)
            .First(d => d.DayOfWeek is >= DayOfWeek.Monday and <= DayOfWeek.Thursday && d != new DateOnly(2026, 11, 25) && d != new DateOnly(2026, 11, 26));
        city.Clock.MoveTo(day);
        await using (var db = city.Fresh())
        {
            foreach (var id in ids)
            {
                var pastDue = await CreateArrangement.PastDueAsync(db, id, day, default);
                Assert.True(pastDue >= Money.FromCents(50_00), $"account {id} owes {pastDue}");
                var standing = AccountCollection.For(id);
                standing.Update("RIVERBEND-UTIL", CollectionStatus.DisconnectEligible, day.DayNumber - due.DayNumber, pastDue.Cents, true, day, "shut-off notice mailed; no protection",
                    null, null, null, "listed", day, city.Clock.Now);
                db.AccountCollections.Add(standing);
            }

            await db.SaveChangesAsync();
        }

        // Approved twice: one order per account.
        var first = await city.RunAsync<ApproveDisconnectList, DisconnectApprovalOutcome>(a => a.ExecuteAsync(null, "supervisor"));
        Assert.Equal(3, first.Created);
        var again = await city.RunAsync<ApproveDisconnectList, DisconnectApprovalOutcome>(a => a.ExecuteAsync([city.Accounts[0].AccountNumber], "supervisor"));
        Assert.Equal((0, 1), (again.Created, again.AlreadyOpen));
        var notListed = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<ApproveDisconnectList, DisconnectApprovalOutcome>(a => a.ExecuteAsync(["0000000000"], "supervisor")));
        Assert.Contains("Not on the disconnect list", notListed.Message, StringComparison.Ordinal);
        var orders = first.Orders.ToDictionary(o => o.AccountNumber, o => o.OrderId);
        long Order(int account) => orders[city.Accounts[account].AccountNumber];

        // Account 1 is protected after the approval: the field's disconnect is refused, naming the protection, and nothing changes.
        await city.RunAsync<EnterProtection, ProtectionOutcome>(p => p.ExecuteAsync(ids[1], new ProtectionRequest(ProtectionKind.LifeSupport, day), "clerk"));
        var refused = await Assert.ThrowsAsync<DomainException>(() =>
            city.RunAsync<CompleteFieldOrder, ServiceOrderOutcome>(c => c.ExecuteAsync(Order(1), new FieldCompletion(ServiceOrderResult.Disconnected, Reading: 10_400), "field")));
        Assert.Contains("life-support equipment", refused.Message, StringComparison.Ordinal);

        // A read lower than the meter's last (10,000 at billing) is refused, naming the reading, and nothing changes.
        var lower = await Assert.ThrowsAsync<DomainException>(() =>
            city.RunAsync<CompleteFieldOrder, ServiceOrderOutcome>(c => c.ExecuteAsync(Order(0), new FieldCompletion(ServiceOrderResult.Disconnected, Reading: 9_990), "field")));
        Assert.Equal("reading", lower.Field);
        Assert.Contains("lower than its last read, 10,000", lower.Message, StringComparison.Ordinal);

        // Accounts 0 and 2 are disconnected with their reads: the $25.00 fee once each, the service points and standing Disconnected.
        foreach (var account in new[] { 0, 2 })
        {
            var done = await city.RunAsync<CompleteFieldOrder, ServiceOrderOutcome>(c => c.ExecuteAsync(Order(account), new FieldCompletion(ServiceOrderResult.Disconnected, Reading: 10_450), "field"));
            Assert.Contains("disconnect fee $25.00 posted", done.Message, StringComparison.Ordinal);
        }

        var twice = await Assert.ThrowsAsync<DomainException>(() =>
            city.RunAsync<CompleteFieldOrder, ServiceOrderOutcome>(c => c.ExecuteAsync(Order(0), new FieldCompletion(ServiceOrderResult.Disconnected, Reading: 10_450), "field")));
        Assert.Contains("is completed", twice.Message, StringComparison.Ordinal);
        await using (var db = city.Fresh())
        {
            var protectedId = Order(1);
            var protectedOrder = await db.ServiceOrders.SingleAsync(o => o.Id == protectedId);
            Assert.Equal(ServiceOrderStatus.Open, protectedOrder.Status);
            var fees = await db.FinancialTransactions.Include(t => t.GlEntries).Where(t => t.Type == FinancialTransactionType.CollectionFee).ToListAsync();
            Assert.Equal([ids[0], ids[2]], fees.Select(f => f.AccountId).Order());
            Assert.All(fees, f => Assert.Equal(25_00, f.AmountCents));
            Assert.All(fees, f => Assert.Equal(f.GlEntries.Sum(g => g.DebitCents), f.GlEntries.Sum(g => g.CreditCents)));
            var pointIds = await db.ServiceAgreements.Where(a => a.AccountId == ids[0]).Select(a => a.ServicePointId).ToListAsync();
            Assert.All(await db.ServicePoints.Where(p => pointIds.Contains(p.Id)).ToListAsync(), p => Assert.Equal(ServicePointState.Disconnected, p.State));
            Assert.Equal(CollectionStatus.Disconnected, (await db.AccountCollections.SingleAsync(c => c.AccountId == ids[0])).Status);
            Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Action == "Complete service order"));

            // Each disconnect's read is the meter's read of the day, source Field, judged (not rejected) and linked on its order.
            foreach (var account in new[] { 0, 2 })
            {
                var orderId = Order(account);
                var order = await db.ServiceOrders.SingleAsync(o => o.Id == orderId);
                var read = await db.Reads.SingleAsync(r => r.Id == order.ReadId);
                Assert.Equal((10_450L, day, ReadSource.Field), (read.Reading, read.ReadOn, read.Source));
                Assert.NotEqual(ReadStatus.Rejected, read.Status);
                Assert.Contains(read.ServicePointId, pointIds.Concat(await db.ServiceAgreements.Where(a => a.AccountId == ids[2]).Select(a => a.ServicePointId).ToListAsync()));
            }

            Assert.Equal(2, await db.Reads.CountAsync(r => r.ReadOn == day && r.Source == ReadSource.Field));
        }

        // Account 1 (protected, so not cut) pays the crew $20.00 cash at the door: one payment, applied to the account, linked on the order.
        var paidAtDoor = await city.RunAsync<CompleteFieldOrder, ServiceOrderOutcome>(c => c.ExecuteAsync(Order(1), new FieldCompletion(ServiceOrderResult.PaidAtDoor, AmountPaid: Money.FromCents(20_00)), "field"));
        Assert.Contains("$20.00 paid at the door (cash), posted as payment", paidAtDoor.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DomainException>(() =>
            city.RunAsync<CompleteFieldOrder, ServiceOrderOutcome>(c => c.ExecuteAsync(Order(1), new FieldCompletion(ServiceOrderResult.PaidAtDoor, AmountPaid: Money.FromCents(20_00)), "field")));
        await using (var db = city.Fresh())
        {
            var payment = Assert.Single(await db.Payments.Include(p => p.Transaction).ThenInclude(t => t!.GlEntries).Where(p => p.Source == PaymentSource.Field).ToListAsync());
            Assert.Equal((ids[1], 20_00L, Tender.Cash, "field"), (payment.AccountId, payment.AmountCents, payment.Tender, payment.Cashier));
            Assert.Equal(payment.Id, paidAtDoor.Order.PaymentId);
            Assert.Equal(payment.Transaction!.GlEntries.Sum(g => g.DebitCents), payment.Transaction.GlEntries.Sum(g => g.CreditCents));
        }

        // Account 0: a reconnect is refused until paid; paid in full, the after-hours fee ($45.00) posts once with the order.
        var unpaid = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<RequestReconnect, ReconnectOutcome>(r => r.ExecuteAsync(ids[0], ReconnectTiming.Standard, "clerk")));
        Assert.Contains("still past due", unpaid.Message, StringComparison.Ordinal);
        await PayInFullAsync(city, 0);
        var reconnect = await city.RunAsync<RequestReconnect, ReconnectOutcome>(r => r.ExecuteAsync(ids[0], ReconnectTiming.AfterHours, "clerk"));
        Assert.Equal(45_00, reconnect.Fee.Cents);
        var asked = await city.RunAsync<RequestReconnect, ReconnectOutcome>(r => r.ExecuteAsync(ids[0], ReconnectTiming.AfterHours, "clerk"));
        Assert.True(asked.AlreadyOpen);
        Assert.Equal(reconnect.Order.Id, asked.Order.Id);
        await city.RunAsync<CompleteFieldOrder, ServiceOrderOutcome>(c => c.ExecuteAsync(reconnect.Order.Id, new FieldCompletion(ServiceOrderResult.Reconnected, Reading: 10_452), "field"));
        await using (var db = city.Fresh())
        {
            Assert.Equal(CollectionStatus.Current, (await db.AccountCollections.SingleAsync(c => c.AccountId == ids[0])).Status);
        }

        // Account 2 pays in full; the next daily run makes its reconnect order by itself (the standard fee is $0.00: none posts).
        await PayInFullAsync(city, 2);
        city.Clock.MoveTo(day.AddDays(1));
        await city.RunAsync<RunCollections, CollectionRunOutcome>(r => r.ExecuteAsync(day.AddDays(1), "system"));
        await using (var db = city.Fresh())
        {
            var pointIds = await db.ServiceAgreements.Where(a => a.AccountId == ids[0]).Select(a => a.ServicePointId).ToListAsync();
            Assert.All(await db.ServicePoints.Where(p => pointIds.Contains(p.Id)).ToListAsync(), p => Assert.Equal(ServicePointState.ActiveOccupied, p.State));
            // The $45.00 fee fell due on the day it posted, so the next run finds it past due: account 0 is in collections again, not disconnected.
            Assert.NotEqual(CollectionStatus.Disconnected, (await db.AccountCollections.SingleAsync(c => c.AccountId == ids[0])).Status);
            var automatic = await db.ServiceOrders.SingleAsync(o => o.AccountId == ids[2] && o.Kind == ServiceOrderKind.Reconnect);
            Assert.Equal(ServiceOrderStatus.Open, automatic.Status);
            Assert.Null(automatic.FeeTransactionId);
            Assert.Equal(CollectionStatus.Disconnected, (await db.AccountCollections.SingleAsync(c => c.AccountId == ids[2])).Status);
            var reconnectFees = await db.FinancialTransactions.Where(t => t.Type == FinancialTransactionType.CollectionFee && t.AccountId == ids[0]).SumAsync(t => t.AmountCents);
            Assert.Equal(25_00 + 45_00, reconnectFees);
            Assert.Equal(await db.OpenItems.SumAsync(o => o.OpenCents), await db.FinancialTransactions.SumAsync(t => t.AmountCents));
        }

        await using (var reports = city.Fresh())
        {
            var month = await new LedgerReports(reports).PeriodTrialBalanceAsync(due.AddDays(-30), day.AddDays(1));
            Assert.True(month.Balances && month.TiesToSubLedger, $"debits {month.TotalDebits} credits {month.TotalCredits}");
        }
    }

    private static async Task PayInFullAsync(PaymentCity city, int account)
    {
        long balance;
        await using (var db = city.Fresh())
        {
            balance = await db.OpenItems.Where(o => o.AccountId == city.Accounts[account].AccountId).SumAsync(o => o.OpenCents);
        }

        await city.RunAsync<TakePayment, PaymentReceipt>(p => p.ExecuteAsync(
            new TakePaymentRequest(city.Accounts[account].AccountNumber, Money.FromCents(balance), Tender.MoneyOrder, null, PaymentSource.Counter, null), "cashier"));
    }
}
