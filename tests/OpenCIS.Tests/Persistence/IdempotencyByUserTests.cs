using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Payments.Drawers;
using OpenCIS.UseCases.Receivables;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// An Idempotency-Key is its sender's own, on both databases: two users sending the same key and request
/// each get a posting of their own (before, the second was answered with the first user's receipt), a
/// user's retry gets their own first result back, and a user's key on a different request is refused.
/// </summary>
public sealed class IdempotencyByUserTests
{
    private const string Key = "shared-key-1";

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Two_cashiers_taking_a_payment_under_the_same_key_each_post_their_own(TestProvider provider)
    {
        await using var city = await PaymentCity.StartAsync(provider, "payment keys by user");
        var number = city.Accounts[0].AccountNumber;
        var request = new TakePaymentRequest(number, Money.FromCents(2500), Tender.MoneyOrder, null, PaymentSource.Api, Key);
        var before = await BalanceAsync(city, 0);

        var first = await city.RunAsync<TakePayment, PaymentReceipt>(w => w.ExecuteAsync(request, "cashier-a"));
        var second = await city.RunAsync<TakePayment, PaymentReceipt>(w => w.ExecuteAsync(request, "cashier-b"));
        var firstAgain = await city.RunAsync<TakePayment, PaymentReceipt>(w => w.ExecuteAsync(request, "cashier-a"));
        var secondAgain = await city.RunAsync<TakePayment, PaymentReceipt>(w => w.ExecuteAsync(request with { IdempotencyKey = $"  {Key} " }, "cashier-b"));
        var refused = await Assert.ThrowsAsync<DomainException>(() =>
            city.RunAsync<TakePayment, PaymentReceipt>(w => w.ExecuteAsync(request with { Amount = Money.FromCents(2600) }, "cashier-a")));

        Assert.NotEqual(first.ReceiptNumber, second.ReceiptNumber);
        Assert.False(first.AlreadyPosted);
        Assert.False(second.AlreadyPosted);
        Assert.Equal((first.ReceiptNumber, true), (firstAgain.ReceiptNumber, firstAgain.AlreadyPosted));
        Assert.Equal((second.ReceiptNumber, true), (secondAgain.ReceiptNumber, secondAgain.AlreadyPosted));
        Assert.Equal("Idempotency-Key", refused.Field);
        Assert.Contains(first.ReceiptNumber, refused.Message, StringComparison.Ordinal);
        Assert.Equal(before - 5000, await BalanceAsync(city, 0));
        await using var db = city.Fresh();
        Assert.Equal(new[] { "cashier-a", "cashier-b" }, await db.Payments.Where(p => p.IdempotencyKey == Key).OrderBy(p => p.Id).Select(p => p.Cashier).ToListAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Two_cashiers_taking_a_drawer_payment_under_the_same_key_each_post_into_their_own_drawer(TestProvider provider)
    {
        await using var city = await PaymentCity.StartAsync(provider, "drawer payment keys by user");
        var drawerA = await city.RunAsync<OpenDrawer, DrawerOpened>(w => w.ExecuteAsync("cashier-a", Money.FromCents(10_000)));
        var drawerB = await city.RunAsync<OpenDrawer, DrawerOpened>(w => w.ExecuteAsync("cashier-b", Money.FromCents(10_000)));
        var request = new DrawerPaymentRequest(city.Accounts[1].AccountNumber, Money.FromCents(4000), [new TenderPart(Tender.Cash, Money.FromCents(5000), null, null, null)], Key);
        var before = await BalanceAsync(city, 1);

        var first = await city.RunAsync<TakeDrawerPayment, DrawerReceipt>(w => w.ExecuteAsync(request, "cashier-a"));
        var second = await city.RunAsync<TakeDrawerPayment, DrawerReceipt>(w => w.ExecuteAsync(request, "cashier-b"));
        var firstAgain = await city.RunAsync<TakeDrawerPayment, DrawerReceipt>(w => w.ExecuteAsync(request, "cashier-a"));
        var refused = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<TakeDrawerPayment, DrawerReceipt>(w =>
            w.ExecuteAsync(request with { Tenders = [new TenderPart(Tender.Cash, Money.FromCents(4000), null, null, null)] }, "cashier-a")));

        Assert.Equal((drawerA.DrawerId, "cashier-a", false), (first.DrawerId, first.Cashier, first.AlreadyPosted));
        Assert.Equal((drawerB.DrawerId, "cashier-b", false), (second.DrawerId, second.Cashier, second.AlreadyPosted));
        Assert.Equal((first.ReceiptNumber, first.DrawerId, true), (firstAgain.ReceiptNumber, firstAgain.DrawerId, firstAgain.AlreadyPosted));
        Assert.Equal("Idempotency-Key", refused.Field);
        Assert.Equal(before - 8000, await BalanceAsync(city, 1));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Two_clerks_requesting_an_adjustment_and_two_supervisors_writing_off_under_the_same_key_each_get_their_own(TestProvider provider)
    {
        await using var city = await PaymentCity.StartAsync(provider, "adjustment and write-off keys by user");
        var number = city.Accounts[2].AccountNumber;
        var adjustment = new AdjustmentRequest(number, "COURTESY", Money.FromCents(-1000), "Missed trash pickup", null, Key);
        var before = await BalanceAsync(city, 2);

        var clerkA = await city.RunAsync<RequestAdjustment, AdjustmentOutcome>(w => w.ExecuteAsync(adjustment, "clerk-a"));
        var clerkB = await city.RunAsync<RequestAdjustment, AdjustmentOutcome>(w => w.ExecuteAsync(adjustment, "clerk-b"));
        var clerkAAgain = await city.RunAsync<RequestAdjustment, AdjustmentOutcome>(w => w.ExecuteAsync(adjustment, "clerk-a"));
        var refusedAdjustment = await Assert.ThrowsAsync<DomainException>(() =>
            city.RunAsync<RequestAdjustment, AdjustmentOutcome>(w => w.ExecuteAsync(adjustment with { Note = "Another reason" }, "clerk-a")));

        Assert.NotEqual(clerkA.Adjustment.AdjustmentId, clerkB.Adjustment.AdjustmentId);
        Assert.Equal(("Posted", "clerk-a", "Posted", "clerk-b"), (clerkA.Adjustment.Status, clerkA.Adjustment.RequestedBy, clerkB.Adjustment.Status, clerkB.Adjustment.RequestedBy));
        Assert.Equal((clerkA.Adjustment.AdjustmentId, true), (clerkAAgain.Adjustment.AdjustmentId, clerkAAgain.AlreadyRequested));
        Assert.Equal("Idempotency-Key", refusedAdjustment.Field);
        Assert.Equal(before - 2000, await BalanceAsync(city, 2));

        // The receivables workflows keep their keys the same way: the same key from the clerks above is the supervisors' too.
        var writeOff = new WriteOffRequest(number, Money.FromCents(500), "SMALLBAL", "Agreed with the customer", Key);
        var superA = await city.RunAsync<WriteOffBalance, WriteOffOutcome>(w => w.ExecuteAsync(writeOff, "super-a"));
        var superB = await city.RunAsync<WriteOffBalance, WriteOffOutcome>(w => w.ExecuteAsync(writeOff, "super-b"));
        var superAAgain = await city.RunAsync<WriteOffBalance, WriteOffOutcome>(w => w.ExecuteAsync(writeOff, "super-a"));
        var refusedWriteOff = await Assert.ThrowsAsync<DomainException>(() =>
            city.RunAsync<WriteOffBalance, WriteOffOutcome>(w => w.ExecuteAsync(writeOff with { Amount = Money.FromCents(600) }, "super-a")));

        Assert.NotEqual(superA.WriteOff.WriteOffId, superB.WriteOff.WriteOffId);
        Assert.Equal((superA.WriteOff.WriteOffId, true), (superAAgain.WriteOff.WriteOffId, superAAgain.AlreadyDone));
        Assert.Equal("Idempotency-Key", refusedWriteOff.Field);
        Assert.Equal(before - 3000, await BalanceAsync(city, 2));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_stored_answers_of_the_API_are_kept_by_user_and_key(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "stored answers by user");
        await database.MigrateAsync();
        var store = new IdempotentRequests(DatabaseSettings.FromConnectionString(database.ConnectionString));
        var answer = new IdempotentRequest
        {
            Key = Key, Fingerprint = "A", Method = "POST", Path = "/api/drawers/current/close", UserName = "cashier-a", StatusCode = 200, ResponseBody = "{\"drawerId\":1}",
            CreatedAt = FixedClock.DemoToday,
        };

        Assert.True(await store.RecordAsync(answer, CancellationToken.None));
        Assert.Null(await store.FindAsync(new RequestKey("cashier-b", Key), CancellationToken.None));
        Assert.True(await store.RecordAsync(new IdempotentRequest
        {
            Key = Key, Fingerprint = "A", Method = "POST", Path = "/api/drawers/current/close", UserName = "cashier-b", StatusCode = 200, ResponseBody = "{\"drawerId\":2}",
            CreatedAt = FixedClock.DemoToday,
        }, CancellationToken.None));
        // The same user's key twice: the second record loses, as a racing retry's would.
        Assert.False(await store.RecordAsync(new IdempotentRequest
        {
            Key = Key, Fingerprint = "B", Method = "POST", Path = "/api/drawers/current/close", UserName = "cashier-a", StatusCode = 200, ResponseBody = "{}",
            CreatedAt = FixedClock.DemoToday,
        }, CancellationToken.None));

        Assert.Equal("{\"drawerId\":1}", (await store.FindAsync(new RequestKey("cashier-a", Key), CancellationToken.None))!.ResponseBody);
        Assert.Equal("{\"drawerId\":2}", (await store.FindAsync(new RequestKey("cashier-b", Key), CancellationToken.None))!.ResponseBody);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_migrated_key_indexes_are_the_models_and_each_leads_with_the_user(TestProvider provider)
    {
        await using var migrated = await TestDatabases.CreateAsync(provider, "key indexes");
        await using var fromModel = await TestDatabases.CreateAsync(provider, "key indexes");
        await migrated.MigrateAsync();
        await using (var db = fromModel.Context())
        {
            Assert.True(await db.Database.EnsureCreatedAsync());
        }

        var migratedIndexes = await KeyIndexesAsync(migrated);
        var modelIndexes = await KeyIndexesAsync(fromModel);

        Assert.Equal(modelIndexes, migratedIndexes);
        // Sixteen key columns on rows (the bankruptcy cases' and the trustee payments' the last), and the stored answers' primary key.
        Assert.Equal(17, migratedIndexes.Count);
        Assert.All(migratedIndexes, index => Assert.Equal(2, index.Columns.Split(',').Length));
        Assert.All(migratedIndexes, index => Assert.EndsWith("key", index.Columns, StringComparison.Ordinal));
        Assert.Contains(migratedIndexes, index => index.Table == "payments" && index.Columns == "cashier,idempotency_key");
        Assert.Contains(migratedIndexes, index => index.Table == "idempotent_requests" && index.Columns == "user_name,key");
    }

    private static async Task<long> BalanceAsync(PaymentCity city, int account)
    {
        await using var db = city.Fresh();
        var accountId = city.Accounts[account].AccountId;
        return await db.OpenItems.Where(o => o.AccountId == accountId).SumAsync(o => o.OpenCents);
    }

    /// <summary>Every unique index over a key column, and the stored answers' primary key: table, name, columns in order, and its filter if any.</summary>
    private static async Task<List<(string Table, string Name, string Columns, bool Partial)>> KeyIndexesAsync(TestDatabase database)
    {
        await using var db = database.Context();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = database.Provider == TestProvider.Postgres
            ? """
              SELECT t.relname, i.relname, string_agg(a.attname, ',' ORDER BY k.ordinality), x.indpred IS NOT NULL
              FROM pg_index x
              JOIN pg_class i ON i.oid = x.indexrelid
              JOIN pg_class t ON t.oid = x.indrelid
              JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
              CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ordinality)
              JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
              WHERE x.indisunique
              GROUP BY t.relname, i.relname, x.indpred IS NOT NULL
              """
            : """
              SELECT m.tbl_name, l.name, (SELECT group_concat(name, ',') FROM (SELECT c.name FROM pragma_index_info(l.name) c ORDER BY c.seqno)), l.partial
              FROM sqlite_master m
              JOIN pragma_index_list(m.name) l
              WHERE m.type = 'table' AND l."unique" = 1
              """;
        var indexes = new List<(string, string, string, bool)>();
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var (table, name, columns) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
            if (columns.Split(',').Any(c => c.EndsWith("idempotency_key", StringComparison.Ordinal)) || table == "idempotent_requests")
            {
                // SQLite names a primary key's index itself; the columns are what the model and the migration must agree on.
                indexes.Add((table, name.StartsWith("sqlite_autoindex_", StringComparison.Ordinal) ? "primary key" : name, columns,
                    Convert.ToBoolean(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        return indexes.Order().ToList();
    }
}
