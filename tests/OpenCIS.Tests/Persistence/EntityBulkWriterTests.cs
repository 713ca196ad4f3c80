using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Metering;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Bulk;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Metering;
using OpenCIS.Storage.Rating;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// The large city's set-up rows go past SaveChanges (<see cref="EntityBulkWriter"/>): a city's rows saved by EF Core,
/// written again in bulk into an empty database, must come out as the same rows, column for column, with the same ids.
/// </summary>
public sealed class EntityBulkWriterTests
{
    /// <summary>The tables of a city's set-up, parents first.</summary>
    private static readonly string[] SetUpTables =
        ["premises", "customers", "service_points", "meters", "accounts", "account_customers", "service_agreements", "meter_reads", "meter_events"];

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_city_written_in_bulk_is_the_city_SaveChanges_wrote(TestProvider provider)
    {
        await using var saved = await TestDatabases.CreateAsync(provider, "bulk set-up saved");
        await saved.MigrateAsync();
        await using var bulk = await TestDatabases.CreateAsync(provider, "bulk set-up written");
        await bulk.MigrateAsync();

        await using (var db = saved.Context())
        {
            var accounts = await TinyCity.BuildAsync(db, 3);
            // What the tiny city leaves empty: an identity number, notices by e-mail, an impervious area, attributes, a set event.
            var customer = await db.Customers.SingleAsync(c => c.Id == accounts[0].CustomerId);
            customer.SetIdentityNumber(IdentityNumberKind.Ssn, "cipher", "6789", "hash");
            customer.ChooseNoticeDelivery(true);
            var premise = await db.Premises.SingleAsync(p => p.Id == db.Accounts.Single(a => a.Id == accounts[1].AccountId).PremiseId);
            premise.ImperviousArea = 2_450.5m;
            var trash = await db.ServiceAgreements.SingleAsync(a => a.AccountId == accounts[2].AccountId && a.Service == OpenCIS.Core.Billing.Service.Trash);
            trash.Attributes = "size=96;backyard=yes";
            db.MeterEvents.Add(new MeterEvent { MeterId = accounts[0].MeterId, ServicePointId = accounts[0].WaterServicePointId, Kind = MeterEventKind.Set, OccurredOn = TinyCity.OpenedOn, Reading = 1_000, Notes = "Set", RecordedBy = "test", RecordedAt = FixedClock.DemoToday });
            await db.SaveChangesAsync();
        }

        await using (var from = saved.Context())
        await using (var to = bulk.Context())
        {
            // What the set-up rows point at, copied as they are.
            to.BillingCycles.AddRange(await from.BillingCycles.AsNoTracking().ToListAsync());
            to.RateSchedules.AddRange(await from.RateSchedules.AsNoTracking().ToListAsync());
            await to.SaveChangesAsync();

            var premises = await from.Premises.AsNoTracking().OrderBy(x => x.Id).ToListAsync();
            var customers = await from.Customers.AsNoTracking().OrderBy(x => x.Id).ToListAsync();
            var points = await from.ServicePoints.AsNoTracking().OrderBy(x => x.Id).ToListAsync();
            var meters = await from.Meters.AsNoTracking().OrderBy(x => x.Id).ToListAsync();
            var accounts = await from.Accounts.AsNoTracking().OrderBy(x => x.Id).ToListAsync();
            var roles = await from.AccountCustomers.AsNoTracking().OrderBy(x => x.Id).ToListAsync();
            var agreements = await from.ServiceAgreements.AsNoTracking().OrderBy(x => x.Id).ToListAsync();
            var reads = await from.Reads.AsNoTracking().OrderBy(x => x.Id).ToListAsync();
            var events = await from.MeterEvents.AsNoTracking().OrderBy(x => x.Id).ToListAsync();
            var savedIds = new[] { premises.Select(x => x.Id), customers.Select(x => x.Id), meters.Select(x => x.Id), reads.Select(x => x.Id) }.Select(i => i.ToList()).ToList();

            await using (var transaction = await to.Database.BeginTransactionAsync())
            {
                await EntityBulkWriter.AddAsync(to, premises, default);
                await EntityBulkWriter.AddAsync(to, customers, default);
                await EntityBulkWriter.AddAsync(to, points, default);
                await EntityBulkWriter.NumberAsync(to, meters, default);
                await EntityBulkWriter.InsertAsync(to, meters, default);
                await EntityBulkWriter.AddAsync(to, accounts, default);
                await EntityBulkWriter.AddAsync(to, roles, default);
                await EntityBulkWriter.AddAsync(to, agreements, default);
                await EntityBulkWriter.AddAsync(to, reads, default);
                await EntityBulkWriter.AddAsync(to, events, default);
                await transaction.CommitAsync();
            }

            // An empty database numbers them as the first one did.
            Assert.Equal(savedIds, new[] { premises.Select(x => x.Id), customers.Select(x => x.Id), meters.Select(x => x.Id), reads.Select(x => x.Id) }.Select(i => i.ToList()).ToList());
        }

        await AssertSameRowsAsync(saved, bulk);

        // A column set by id in bulk, as SaveChanges sets it on loaded rows.
        await using (var db = saved.Context())
        {
            foreach (var premise in await db.Premises.ToListAsync())
            {
                premise.ImperviousArea = 1_000m + premise.Id;
            }

            await db.SaveChangesAsync();
        }

        await using (var db = bulk.Context())
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var ids = await db.Premises.Select(p => p.Id).ToListAsync();
            await EntityBulkWriter.UpdateAsync<Premise, decimal?>(db, [.. ids.Select(id => (id, (decimal?)(1_000m + id)))], nameof(Premise.ImperviousArea), default);
            await transaction.CommitAsync();
        }

        await AssertSameRowsAsync(saved, bulk);
        await using var check = bulk.Context();
        Assert.Equal(1_001m, (await check.Premises.SingleAsync(p => p.Id == 1)).ImperviousArea);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_bulk_write_outside_a_transaction_is_refused(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "bulk set-up refused");
        await database.MigrateAsync();
        await using var db = database.Context();
        var premise = new Premise { AddressLine1 = "1 Main St", City = "Riverbend", State = "OR", Zip = "97401", ParcelId = "P1", OwnerOfRecord = "Owner" };

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => EntityBulkWriter.AddAsync(db, [premise], default));

        Assert.Contains("transaction", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.Premises.CountAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Indexes_deferred_for_a_load_come_back_as_they_were_defined(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "deferred indexes");
        await database.MigrateAsync();
        await using var db = database.Context();
        var before = await IndexesAsync(db);

        var deferred = await DeferredIndexes.DropAsync(db, ["customers", "meter_reads"], default);

        // The customers' search indexes and the reads' are gone; their keys stay, and the review queue's partial index.
        Assert.Contains("ix_customers_display_name", deferred.Names);
        Assert.Contains("ix_meter_reads_meter_id_read_on", deferred.Names);
        Assert.DoesNotContain("ix_meter_reads_awaiting_review", deferred.Names);
        Assert.All(deferred.Names, name => Assert.StartsWith("ix_", name, StringComparison.Ordinal));
        var during = await IndexesAsync(db);
        Assert.Equal(before.Count - deferred.Names.Count, during.Count);
        Assert.DoesNotContain(during, i => deferred.Names.Contains(i.Name));

        await deferred.RestoreAsync(default);

        var after = await IndexesAsync(db);
        Assert.Empty(before.Except(after));
        Assert.Empty(after.Except(before));
    }

    /// <summary>Every index of the schema with its definition, as the database reports it.</summary>
    private static async Task<List<(string Name, string Definition)>> IndexesAsync(OpenCisDbContext db)
    {
        await db.Database.OpenConnectionAsync();
        await using DbCommand command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = db.Database.IsNpgsql()
            ? "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname"
            : "SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name";
        await using var reader = await command.ExecuteReaderAsync();
        var indexes = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            indexes.Add((reader.GetString(0), reader.GetString(1)));
        }

        return indexes;
    }

    private static async Task AssertSameRowsAsync(TestDatabase saved, TestDatabase bulk)
    {
        await using var from = saved.Context();
        await using var to = bulk.Context();
        foreach (var table in SetUpTables)
        {
            var expected = await RowsAsync(from, table);
            var actual = await RowsAsync(to, table);
            Assert.True(expected.Count > 0, $"{table} has rows to compare");
            Assert.Equal(expected, actual);
        }
    }

    /// <summary>Every column of every row, as the database stores it, in id order.</summary>
    private static async Task<List<string>> RowsAsync(OpenCisDbContext db, string table)
    {
        await db.Database.OpenConnectionAsync();
        await using DbCommand command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"SELECT * FROM {table} ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i =>
                $"{reader.GetName(i)}={(reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))}")));
        }

        return rows;
    }
}
