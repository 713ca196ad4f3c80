using System.Data.Common;
using Microsoft.EntityFrameworkCore;
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

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_migrated_schema_has_exactly_the_tables_and_columns_of_the_EF_model(TestProvider provider)
    {
        await using var migrated = await TestDatabases.CreateAsync(provider, "schema drift check");
        await using var fromModel = await TestDatabases.CreateAsync(provider, "schema drift check");
        await migrated.MigrateAsync();
        await using (var db = fromModel.Context())
        {
            Assert.True(await db.Database.EnsureCreatedAsync());
        }

        var migratedColumns = await ColumnsAsync(migrated);
        var modelColumns = await ColumnsAsync(fromModel);

        // The migrations' own history and the Quartz.NET job store's tables (0018) are not EF entities.
        migratedColumns.RemoveWhere(c => c.Table == "schema_migrations" || c.Table.StartsWith("qrtz_", StringComparison.Ordinal));
        var missing = modelColumns.Except(migratedColumns).Order().ToList();
        var extra = migratedColumns.Except(modelColumns).Order().ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"Migrations and EF model differ on {provider}.\nIn the model, not the migrations: {string.Join("; ", missing)}\nIn the migrations, not the model: {string.Join("; ", extra)}");
        Assert.Contains(("audit_entries", "reason", true), modelColumns);
        Assert.True(modelColumns.Select(c => c.Table).Distinct().Count() > 20);
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
