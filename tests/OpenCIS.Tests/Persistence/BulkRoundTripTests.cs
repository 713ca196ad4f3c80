using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.Storage.Bulk;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// A row the bulk writers save must read back through EF Core as the row EF Core would have saved:
/// every mapped property, including those today's batches leave empty (a payment's drawer and change
/// due), on both databases.
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
