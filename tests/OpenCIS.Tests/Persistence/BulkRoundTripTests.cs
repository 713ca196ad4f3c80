using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Bulk;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// A row the bulk writers save must read back through EF Core as the row EF Core would have saved:
/// every mapped property, including those today's batches leave empty (a payment's drawer and change
/// due, a bill's rebill link and cancellation), on both databases.
/// </summary>
public sealed class BulkRoundTripTests
{
    private static readonly DateOnly Day = TinyCity.OpenedOn.AddDays(10);
    private static readonly DateTimeOffset At = new(2026, 9, 11, 9, 30, 15, TimeSpan.FromHours(-7));

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_payment_written_in_bulk_reads_back_with_its_drawer_and_change_due(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "bulk payment round trip");
        await database.MigrateAsync();
        await using var db = database.Context();
        var accountId = (await TinyCity.BuildAsync(db, 1))[0].AccountId;
        var batch = new PaymentBatch();
        var ledgers = await AccountLedger.LoadForCreditsAsync(db, [accountId], default);
        var transaction = ledgers[accountId].Post(batch, PostingRules.ForPayment(Money.FromCents(6_000)), Day, Day, null, "cashier", "Cash payment", At);
        var payment = new Payment
        {
            AccountId = accountId,
            AmountCents = 6_000,
            Tender = Tender.Cash,
            Source = PaymentSource.Counter,
            Reference = "R-1",
            ReceivedOn = Day,
            ReceivedAt = At,
            Cashier = "cashier",
            Transaction = transaction,
            IdempotencyKey = "key-1",
            RequestFingerprint = "fingerprint",
            DrawerSessionId = 7,
            ChangeDueCents = 1_500,
        };
        batch.Payments.Add(payment);

        await using (var write = await db.Database.BeginTransactionAsync())
        {
            await PaymentBulkWriter.WriteAsync(db, batch, default);
            await write.CommitAsync();
        }

        await using var fresh = database.Context();
        var read = await fresh.Payments.AsNoTracking().SingleAsync(p => p.Id == payment.Id);
        Assert.Equal(transaction.Id, read.FinancialTransactionId);
        Assert.Empty(Differences(fresh, payment, read, nameof(Payment.FinancialTransactionId)));
        Assert.Equal((7L, 1_500L), (read.DrawerSessionId, read.ChangeDueCents));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_bill_written_in_bulk_reads_back_with_its_rebill_link_and_cancellation(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "bulk bill round trip");
        await database.MigrateAsync();
        await using var db = database.Context();
        var accountId = (await TinyCity.BuildAsync(db, 1))[0].AccountId;
        var bill = new Bill
        {
            AccountId = accountId,
            BillDate = Day,
            DueDate = Day.AddDays(21),
            PeriodStart = Day.AddDays(-30),
            PeriodEnd = Day.AddDays(-1),
            PreviousBalanceCents = 1_000,
            PaymentsCents = -1_000,
            CurrentChargesCents = 4_321,
            AmountDueCents = 4_321,
            Kind = BillKind.Rebill,
            ReplacesBillId = 41,
        };
        bill.Cancel(At, "supervisor", "Misread meter", 77, new RequestKey("supervisor", "cancel-key"));
        bill.LinkReplacement(78);
        var batch = new BillingBatch();
        batch.Bills.Add(bill);

        await using (var write = await db.Database.BeginTransactionAsync())
        {
            await BillingBulkWriter.WriteAsync(db, batch, default);
            await write.CommitAsync();
        }

        await using var fresh = database.Context();
        var read = await fresh.Bills.AsNoTracking().SingleAsync(b => b.Id == bill.Id);
        Assert.Empty(Differences(fresh, bill, read));
        Assert.Equal((BillStatus.Canceled, "Misread meter", 78L), (read.Status, read.CancelReason, read.ReplacedByBillId));
    }

    /// <summary>Each property EF Core maps for the row whose value read back differs from the one written, but those left out.</summary>
    private static List<string> Differences(OpenCisDbContext db, object written, object read, params string[] leftOut)
    {
        var readBack = db.Entry(read);
        return db.Entry(written).Properties
            .Where(p => !leftOut.Contains(p.Metadata.Name))
            .Select(p => (p.Metadata.Name, Written: p.CurrentValue, Read: readBack.Property(p.Metadata.Name).CurrentValue))
            .Where(p => !Equals(p.Written, p.Read))
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name}: wrote {p.Written ?? "null"}, read back {p.Read ?? "null"}"))
            .ToList();
    }
}
