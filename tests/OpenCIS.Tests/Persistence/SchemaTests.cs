using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Persistence;

/// <summary>The hand-written SQL migrations, on both databases: fresh install, model drift, upgrade in place.</summary>
public sealed class SchemaTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_empty_database_migrates_to_the_latest_version_and_a_second_run_applies_nothing(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "schema migration");
        await using var db = database.Context();
        var migrator = new SchemaMigrator(db);

        Assert.Equal(0, await migrator.CurrentVersionAsync());
        var first = await migrator.MigrateAsync();
        var second = await migrator.MigrateAsync();

        Assert.Equal(0, first.FromVersion);
        Assert.Equal(SchemaMigrator.LatestVersion, first.ToVersion);
        Assert.Equal(SchemaMigrator.All.Select(m => m.Version), first.Applied.Select(m => m.Version));
        Assert.Equal(SchemaMigrator.LatestVersion, second.FromVersion);
        Assert.Equal(SchemaMigrator.LatestVersion, second.ToVersion);
        Assert.Empty(second.Applied);
        Assert.Equal(SchemaMigrator.LatestVersion, await migrator.CurrentVersionAsync());
        Assert.True(SchemaMigrator.LatestVersion >= 2, "expected at least the initial and audit-trail migrations");
    }

    /// <summary>
    /// PostgreSQL has no foreign keys on the bulk-written ledger and bill tables (migration 0004; README,
    /// "Batch writes bypass EF Core"): the database would check each child row and lock its parent, which
    /// cost more than the insert. The model keeps the relationships, so these are the model's foreign keys
    /// that the migrations leave out on PostgreSQL, by name: any other missing foreign key is drift.
    /// </summary>
    private static readonly string[] ForeignKeysPostgresLeavesToTheBulkWriters =
    [
        "fk_gl_entries_financial_transactions_financial_transaction_id",
        "fk_open_items_financial_transactions_financial_transaction_id",
        "fk_bills_financial_transactions_financial_transaction_id",
        "fk_bill_segments_bills_bill_id",
        "fk_bill_lines_bill_segments_bill_segment_id",
        "fk_bill_removed_meters_bill_segments_bill_segment_id",
        "fk_item_allocations_open_items_charge_item_id",
        "fk_item_allocations_open_items_credit_item_id",
        "fk_payments_financial_transactions_financial_transaction_id",
    ];

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_migrated_schema_has_exactly_the_columns_keys_indexes_and_foreign_keys_of_the_EF_model(TestProvider provider)
    {
        var (migrations, model) = await MigratedAndModelSchemasAsync(provider, "schema drift check");

        var differences = SchemaComparison.Differences(migrations, LeaveOutBulkForeignKeys(provider, model, migrations, out var exceptions));
        Assert.True(differences.Count == 0 && exceptions.Count == 0,
            $"Migrations and EF model differ on {provider} ({differences.Count + exceptions.Count}):\n{string.Join("\n", exceptions.Concat(differences))}");
        Assert.Contains(model.Columns, c => c is { Table: "audit_entries", Column: "reason", Nullable: true });
        Assert.True(model.Columns.Select(c => c.Table).Distinct().Count() > 20);
        Assert.Contains(model.Indexes, i => i is { Table: "drawer_sessions", Name: "ix_drawer_sessions_open_cashier", Unique: true, Filter: not null });
        Assert.Contains(model.ForeignKeys, f => f is { Table: "payment_tenders", Columns: "payment_id", PrincipalTable: "payments", OnDelete: "CASCADE" });
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_drift_check_names_each_difference_with_its_table_and_both_sides(TestProvider provider)
    {
        TestDatabases.Require(provider, "the drift check's own check");
        await using var migrated = await TestDatabases.CreateAsync(provider, "the drift check's own check");
        await using var fromModel = await TestDatabases.CreateAsync(provider, "the drift check's own check");
        await migrated.MigrateAsync();
        await using (var db = fromModel.Context())
        {
            Assert.True(await db.Database.EnsureCreatedAsync());
        }

        var model = await SchemaCatalog.ReadAsync(fromModel);
        // Whatever drift the migrations really have is the test above's to report; this one looks only at what it adds.
        var unchanged = await SchemaCatalog.ReadAsync(migrated);
        var before = SchemaComparison.Differences(unchanged, LeaveOutBulkForeignKeys(provider, model, unchanged, out var exceptionsBefore)).Concat(exceptionsBefore).ToList();

        // Drift a migration could bring: an index that lost its uniqueness, a filter that changed, an index and a column the model never had.
        await using (var db = migrated.Context())
        {
            await db.Database.ExecuteSqlRawAsync("DROP INDEX ix_payments_cashier_idempotency_key");
            await db.Database.ExecuteSqlRawAsync("CREATE INDEX ix_payments_cashier_idempotency_key ON payments (cashier, idempotency_key)");
            await db.Database.ExecuteSqlRawAsync("DROP INDEX ix_drawer_sessions_open_cashier");
            await db.Database.ExecuteSqlRawAsync("CREATE UNIQUE INDEX ix_drawer_sessions_open_cashier ON drawer_sessions (cashier) WHERE status <> 'Approved'");
            await db.Database.ExecuteSqlRawAsync("CREATE INDEX ix_payments_cashier ON payments (cashier)");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE payments ADD COLUMN note text");
            if (provider == TestProvider.Postgres)
            {
                // SQLite changes neither a column's type nor a table's foreign keys in place. A foreign key
                // the list says PostgreSQL leaves out, made anyway, shows the list itself is checked.
                await db.Database.ExecuteSqlRawAsync("ALTER TABLE payments ALTER COLUMN cashier TYPE character varying(10)");
                await db.Database.ExecuteSqlRawAsync("ALTER TABLE payment_tenders DROP CONSTRAINT fk_payment_tenders_payments_payment_id");
                await db.Database.ExecuteSqlRawAsync(
                    "ALTER TABLE bill_lines ADD CONSTRAINT fk_bill_lines_bill_segments_bill_segment_id FOREIGN KEY (bill_segment_id) REFERENCES bill_segments (id) ON DELETE CASCADE");
            }
        }

        var migrations = await SchemaCatalog.ReadAsync(migrated);
        var differences = SchemaComparison.Differences(migrations, LeaveOutBulkForeignKeys(provider, model, migrations, out var exceptions)).Concat(exceptions).Except(before);

        var expected = new List<string>
        {
            "index payments.ix_payments_cashier_idempotency_key: the migrations have (cashier, idempotency_key); the model has unique (cashier, idempotency_key)",
            "index payments.ix_payments_cashier: the migrations have (cashier); the model has none",
            provider == TestProvider.Postgres
                ? "column payments.note: the migrations have text NULL; the model has none"
                : "column payments.note: the migrations have TEXT NULL; the model has none",
            provider == TestProvider.Postgres
                ? "index drawer_sessions.ix_drawer_sessions_open_cashier: the migrations have unique (cashier) WHERE ((status)::text <> 'Approved'::text); the model has unique (cashier) WHERE ((status)::text = 'Open'::text)"
                : "index drawer_sessions.ix_drawer_sessions_open_cashier: the migrations have unique (cashier) WHERE status <> 'Approved'; the model has unique (cashier) WHERE status = 'Open'",
        };
        if (provider == TestProvider.Postgres)
        {
            expected.Add("column payments.cashier: the migrations have character varying(10) NOT NULL; the model has text NOT NULL");
            expected.Add("foreign key payment_tenders (payment_id): the model has fk_payment_tenders_payments_payment_id (payment_id) REFERENCES payments (id) ON DELETE CASCADE; the migrations have none");
            expected.Add("foreign key fk_bill_lines_bill_segments_bill_segment_id: listed as left out on PostgreSQL, but the migrations create it");
            expected.Add("foreign key bill_lines (bill_segment_id): the migrations have fk_bill_lines_bill_segments_bill_segment_id (bill_segment_id) REFERENCES bill_segments (id) ON DELETE CASCADE; the model has none");
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), differences.Order(StringComparer.Ordinal));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_catalog_read_back_holds_every_column_key_index_and_foreign_key_of_the_EF_model_metadata(TestProvider provider)
    {
        // The drift check compares two catalogs; this checks the catalog reader against the model itself,
        // so that a table, index or foreign key it failed to read could not hide drift on both sides at once.
        TestDatabases.Require(provider, "the catalog reader's check");
        await using var fromModel = await TestDatabases.CreateAsync(provider, "the catalog reader's check");
        await using var db = fromModel.Context();
        Assert.True(await db.Database.EnsureCreatedAsync());
        var relational = db.GetService<IDesignTimeModel>().Model.GetRelationalModel();

        var read = await SchemaCatalog.ReadAsync(fromModel);
        var declared = ModelMetadata.Catalog(relational, provider);
        var differences = SchemaComparison.Differences(ModelMetadata.Comparable(read, provider), declared)
            .Select(d => d.Replace("the migrations have", "the catalog has", StringComparison.Ordinal)).ToList();

        Assert.True(differences.Count == 0, $"The catalog of a database EF Core created differs from the model's metadata on {provider}:\n{string.Join("\n", differences)}");
        Assert.Equal(relational.Tables.Sum(t => t.Indexes.Count()), read.Indexes.Count);
        Assert.Equal(relational.Tables.Sum(t => t.ForeignKeyConstraints.Count()), read.ForeignKeys.Count);
    }

    /// <summary>
    /// The migrated and model schemas read from two new databases on the same server, one built by the
    /// migrations, the other by EF Core from the model.
    /// </summary>
    private static async Task<(SchemaCatalog Migrations, SchemaCatalog Model)> MigratedAndModelSchemasAsync(TestProvider provider, string what)
    {
        await using var migrated = await TestDatabases.CreateAsync(provider, what);
        await using var fromModel = await TestDatabases.CreateAsync(provider, what);
        await migrated.MigrateAsync();
        await using (var db = fromModel.Context())
        {
            Assert.True(await db.Database.EnsureCreatedAsync());
        }

        return (await SchemaCatalog.ReadAsync(migrated), await SchemaCatalog.ReadAsync(fromModel));
    }

    /// <summary>
    /// The model's schema less the foreign keys PostgreSQL leaves to the bulk writers. Each one named
    /// must be in the model and absent from the migrations, or the list itself has drifted: that is
    /// reported in <paramref name="exceptions"/>.
    /// </summary>
    private static SchemaCatalog LeaveOutBulkForeignKeys(TestProvider provider, SchemaCatalog model, SchemaCatalog migrations, out List<string> exceptions)
    {
        exceptions = [];
        if (provider != TestProvider.Postgres)
        {
            return model;
        }

        foreach (var name in ForeignKeysPostgresLeavesToTheBulkWriters)
        {
            if (!model.ForeignKeys.Any(f => f.Name == name))
            {
                exceptions.Add($"foreign key {name}: listed as left out on PostgreSQL, but the model has no such foreign key");
            }

            if (migrations.ForeignKeys.Any(f => f.Name == name))
            {
                exceptions.Add($"foreign key {name}: listed as left out on PostgreSQL, but the migrations create it");
            }
        }

        return model with { ForeignKeys = model.ForeignKeys.Where(f => !ForeignKeysPostgresLeavesToTheBulkWriters.Contains(f.Name)).ToList() };
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_version_1_database_upgrades_in_place_keeping_its_data(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "upgrade in place");
        await database.MigrateAsync(1);
        await using (var db = database.Context())
        {
            Assert.Equal(1, await new SchemaMigrator(db).CurrentVersionAsync());
            Assert.DoesNotContain(await ColumnsAsync(database), c => c.Table == "audit_entries");
            // Raw SQL, so the rows are written the way version 1 knew them, not the way today's model would.
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO billing_cycles (code, name, read_day_of_month, due_days, read_window_days) VALUES ('C7', 'Cycle 7 - Old town', 12, 21, 10)");
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO premises (address_line1, city, state, zip, parcel_id, owner_of_record) VALUES ('1 Old Mill Rd', 'Riverbend', 'OR', '97401', 'R100001-00001', 'A. Miller')");
        }

        MigrationResult upgrade;
        await using (var db = database.Context())
        {
            upgrade = await new SchemaMigrator(db).MigrateAsync();
        }

        Assert.Equal(1, upgrade.FromVersion);
        Assert.Equal(SchemaMigrator.LatestVersion, upgrade.ToVersion);
        Assert.Equal(SchemaMigrator.All.Select(m => m.Version).Where(v => v > 1), upgrade.Applied.Select(m => m.Version));
        await using (var db = database.Context())
        {
            var cycle = await db.BillingCycles.SingleAsync();
            Assert.Equal(("C7", "Cycle 7 - Old town", 12, 21), (cycle.Code, cycle.Name, cycle.ReadDayOfMonth, cycle.DueDays));
            var premise = await db.Premises.SingleAsync();
            Assert.Equal("1 Old Mill Rd, Riverbend, OR 97401", premise.FullAddress);
            Assert.Equal(0, await db.AuditEntries.CountAsync());
        }

        Assert.Contains(await ColumnsAsync(database), c => c.Table == "audit_entries" && c.Column == "before");
    }

    /// <summary>Every (table, column, nullable) in the database's default schema.</summary>
    internal static async Task<HashSet<(string Table, string Column, bool Nullable)>> ColumnsAsync(TestDatabase database)
    {
        await using var db = database.Context();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = database.Provider == TestProvider.Postgres
            ? "SELECT table_name, column_name, is_nullable = 'YES' FROM information_schema.columns WHERE table_schema = current_schema()"
            : "SELECT m.name, p.name, p.\"notnull\" = 0 FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'";
        var columns = new HashSet<(string, string, bool)>();
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add((reader.GetString(0), reader.GetString(1), Convert.ToBoolean(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return columns;
    }
}
