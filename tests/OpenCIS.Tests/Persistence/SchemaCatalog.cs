using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace OpenCIS.Tests.Persistence;

/// <summary>A column as the catalog describes it: the type in the database's own spelling, and whether the database numbers it (identity, AUTOINCREMENT).</summary>
internal sealed record CatalogColumn(string Table, string Column, string Type, bool Nullable, bool Generated)
{
    public override string ToString() => $"{Type} {(Nullable ? "NULL" : "NOT NULL")}{(Generated ? " generated" : "")}";
}

/// <summary>A table's primary key. SQLite keeps no name for it.</summary>
internal sealed record CatalogPrimaryKey(string Table, string? Name, string Columns)
{
    public override string ToString() => $"{Name ?? "(unnamed)"} ({Columns})";
}

/// <summary>An index other than the primary key's; the filter in the database's own form (PostgreSQL rewrites it, SQLite keeps the text).</summary>
internal sealed record CatalogIndex(string Table, string Name, string Columns, bool Unique, string? Filter)
{
    public override string ToString() => $"{(Unique ? "unique " : "")}({Columns}){(Filter is null ? "" : $" WHERE {Filter}")}";
}

/// <summary>A foreign key, known by its table and columns (SQLite keeps no constraint name).</summary>
internal sealed record CatalogForeignKey(string Table, string? Name, string Columns, string PrincipalTable, string PrincipalColumns, string OnDelete)
{
    public override string ToString() => $"{Name ?? "(unnamed)"} ({Columns}) REFERENCES {PrincipalTable} ({PrincipalColumns}) ON DELETE {OnDelete}";
}

/// <summary>
/// A database's schema as its own catalog reports it (SQLite: sqlite_master and the table, index and
/// foreign key pragmas; PostgreSQL: pg_catalog), so that a migrated database and one created from the
/// EF model on the same server can be compared in the server's own terms: PostgreSQL normalizes both
/// sides' types and index filters the same way.
/// </summary>
internal sealed record SchemaCatalog(
    IReadOnlyList<CatalogColumn> Columns,
    IReadOnlyList<CatalogPrimaryKey> PrimaryKeys,
    IReadOnlyList<CatalogIndex> Indexes,
    IReadOnlyList<CatalogForeignKey> ForeignKeys)
{
    /// <summary>The migrator's own bookkeeping, which the EF model does not map.</summary>
    public const string MigrationsTable = "schema_migrations";

    /// <summary>Tables no EF entity maps: the migrator's history and the Quartz.NET job store's own tables (qrtz_*), which Quartz reads and writes itself.</summary>
    public static bool IsUnmapped(string table) => table == MigrationsTable || table.StartsWith("qrtz_", StringComparison.Ordinal);

    public static async Task<SchemaCatalog> ReadAsync(TestDatabase database)
    {
        await using var db = database.Context();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var catalog = database.Provider == TestProvider.Postgres ? await ReadPostgresAsync(connection) : await ReadSqliteAsync(connection);
        return new SchemaCatalog(
            catalog.Columns.Where(c => !IsUnmapped(c.Table)).ToList(),
            catalog.PrimaryKeys.Where(k => !IsUnmapped(k.Table)).ToList(),
            catalog.Indexes.Where(i => !IsUnmapped(i.Table)).ToList(),
            catalog.ForeignKeys.Where(f => !IsUnmapped(f.Table)).ToList());
    }

    private const string SqliteTables = "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";

    private static async Task<SchemaCatalog> ReadSqliteAsync(DbConnection connection)
    {
        var columns = new List<CatalogColumn>();
        var keyParts = new List<(string Table, long Position, string Column)>();
        foreach (var row in await RowsAsync(connection,
            $"SELECT t.name, c.name, c.type, c.\"notnull\", c.pk, t.sql FROM ({SqliteTables}) t JOIN pragma_table_info(t.name) c ORDER BY t.name, c.cid"))
        {
            var (table, column, position) = (row.Text(0), row.Text(1), row.Number(4));
            // Only an INTEGER PRIMARY KEY declared AUTOINCREMENT is numbered past every id ever used, which IdBlocks relies on.
            var generated = position > 0 && row.Text(5).Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase);
            columns.Add(new CatalogColumn(table, column, row.Text(2).ToUpperInvariant(), row.Number(3) == 0, generated));
            if (position > 0)
            {
                keyParts.Add((table, position, column));
            }
        }

        var primaryKeys = keyParts.GroupBy(k => k.Table)
            .Select(g => new CatalogPrimaryKey(g.Key, null, string.Join(", ", g.OrderBy(k => k.Position).Select(k => k.Column))))
            .ToList();

        var indexes = (await RowsAsync(connection,
                $"SELECT t.name, i.name, i.\"unique\", c.seqno, c.name, s.sql FROM ({SqliteTables}) t JOIN pragma_index_list(t.name) i JOIN pragma_index_info(i.name) c " +
                "LEFT JOIN sqlite_master s ON s.type = 'index' AND s.name = i.name WHERE i.origin <> 'pk'"))
            .GroupBy(row => (row.Text(0), row.Text(1)))
            .Select(g => new CatalogIndex(g.Key.Item1, g.Key.Item2,
                string.Join(", ", g.OrderBy(row => row.Number(3)).Select(row => row.OptionalText(4) ?? "(expression)")),
                g.First().Number(2) == 1,
                SqliteFilter(g.First().OptionalText(5))))
            .ToList();

        var foreignKeys = (await RowsAsync(connection,
                $"SELECT t.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_delete FROM ({SqliteTables}) t JOIN pragma_foreign_key_list(t.name) f"))
            .GroupBy(row => (row.Text(0), row.Number(1)))
            .Select(g =>
            {
                var parts = g.OrderBy(row => row.Number(2)).ToList();
                return new CatalogForeignKey(g.Key.Item1, null,
                    string.Join(", ", parts.Select(row => row.Text(4))), parts[0].Text(3),
                    string.Join(", ", parts.Select(row => row.OptionalText(5) ?? "(primary key)")), parts[0].Text(6).ToUpperInvariant());
            })
            .ToList();

        return new SchemaCatalog(columns, primaryKeys, indexes, foreignKeys);
    }

    /// <summary>
    /// SQLite keeps an index's CREATE statement as written; the filter is what follows its WHERE,
    /// with identifier quotes and spacing (which EF Core and a hand-written migration may spell
    /// differently without meaning anything different) taken out.
    /// </summary>
    internal static string? SqliteFilter(string? createIndex)
    {
        if (createIndex is null)
        {
            return null;
        }

        var where = Regex.Match(createIndex, @"\)\s+WHERE\s+(?<filter>.+)$", RegexOptions.IgnoreCase | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
        return where.Success
            ? Regex.Replace(where.Groups["filter"].Value.Replace("\"", "", StringComparison.Ordinal), @"\s+", " ", RegexOptions.None, TimeSpan.FromSeconds(1)).Trim().TrimEnd(';')
            : null;
    }

    private const string PostgresTables =
        "SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')";

    /// <summary>The names of a table's columns listed by number in an int2 array (an index's or constraint's keys), in order.</summary>
    private static string PostgresColumnNames(string table, string numbers) =>
        $"(SELECT string_agg(a.attname, ', ' ORDER BY k.position) FROM unnest({numbers}::int2[]) WITH ORDINALITY k(number, position) " +
        $"JOIN pg_attribute a ON a.attrelid = {table} AND a.attnum = k.number)";

    private static async Task<SchemaCatalog> ReadPostgresAsync(DbConnection connection)
    {
        var columns = (await RowsAsync(connection,
                $"SELECT t.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull, a.attidentity <> '' " +
                $"FROM ({PostgresTables}) t JOIN pg_attribute a ON a.attrelid = t.oid WHERE a.attnum > 0 AND NOT a.attisdropped"))
            .Select(row => new CatalogColumn(row.Text(0), row.Text(1), row.Text(2), row.Flag(3), row.Flag(4)))
            .ToList();

        var indexes = (await RowsAsync(connection,
                $"SELECT t.relname, i.relname, x.indisunique, pg_get_expr(x.indpred, x.indrelid), {PostgresColumnNames("x.indrelid", "x.indkey")} " +
                $"FROM ({PostgresTables}) t JOIN pg_index x ON x.indrelid = t.oid JOIN pg_class i ON i.oid = x.indexrelid WHERE NOT x.indisprimary"))
            .Select(row => new CatalogIndex(row.Text(0), row.Text(1), row.OptionalText(4) ?? "(expression)", row.Flag(2), row.OptionalText(3)))
            .ToList();

        var constraints = await RowsAsync(connection,
            $"SELECT t.relname, c.conname, c.contype::text, {PostgresColumnNames("c.conrelid", "c.conkey")}, p.relname, " +
            $"{PostgresColumnNames("c.confrelid", "c.confkey")}, c.confdeltype::text " +
            $"FROM ({PostgresTables}) t JOIN pg_constraint c ON c.conrelid = t.oid LEFT JOIN pg_class p ON p.oid = c.confrelid WHERE c.contype IN ('p', 'f')");
        var primaryKeys = constraints.Where(row => row.Text(2) == "p")
            .Select(row => new CatalogPrimaryKey(row.Text(0), row.Text(1), row.Text(3)))
            .ToList();
        var foreignKeys = constraints.Where(row => row.Text(2) == "f")
            .Select(row => new CatalogForeignKey(row.Text(0), row.Text(1), row.Text(3), row.Text(4), row.Text(5), PostgresAction(row.Text(6))))
            .ToList();

        return new SchemaCatalog(columns, primaryKeys, indexes, foreignKeys);
    }

    /// <summary>pg_constraint's one-letter referential actions, spelled as SQLite's pragma and the SQL standard spell them.</summary>
    private static string PostgresAction(string code) => code switch
    {
        "a" => "NO ACTION",
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        _ => throw new InvalidOperationException($"Unknown referential action '{code}' in pg_constraint."),
    };

    private static async Task<List<CatalogRow>> RowsAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<CatalogRow>();
        while (await reader.ReadAsync())
        {
            var values = new object?[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(new CatalogRow(values));
        }

        return rows;
    }

    /// <summary>One row of a catalog query; a value the query guarantees is there fails loudly if it is not.</summary>
    private sealed class CatalogRow(object?[] values)
    {
        public string Text(int index) => OptionalText(index) ?? throw new InvalidOperationException($"The catalog gave no value in column {index}.");

        public string? OptionalText(int index) => (string?)values[index];

        public long Number(int index) => Convert.ToInt64(values[index] ?? throw new InvalidOperationException($"The catalog gave no value in column {index}."), System.Globalization.CultureInfo.InvariantCulture);

        public bool Flag(int index) => (bool)(values[index] ?? throw new InvalidOperationException($"The catalog gave no value in column {index}."));
    }
}

/// <summary>
/// One schema against another, element by element: every column, primary key, index and foreign key
/// that one side has and the other lacks, or that both have with a different type, nullability,
/// uniqueness, filter, column list, target or delete rule, as one line naming the table, the element
/// and both sides.
/// </summary>
internal static class SchemaComparison
{
    public static List<string> Differences(SchemaCatalog migrations, SchemaCatalog model) =>
    [
        .. Compare("column", migrations.Columns, model.Columns, c => (c.Table, c.Column), c => $"{c.Table}.{c.Column}"),
        .. Compare("primary key", migrations.PrimaryKeys, model.PrimaryKeys, k => k.Table, k => k.Table),
        .. Compare("index", migrations.Indexes, model.Indexes, i => (i.Table, i.Name), i => $"{i.Table}.{i.Name}"),
        .. Compare("foreign key", migrations.ForeignKeys, model.ForeignKeys, f => (f.Table, f.Columns), f => $"{f.Table} ({f.Columns})"),
    ];

    private static IEnumerable<string> Compare<T, TKey>(string what, IEnumerable<T> migrations, IEnumerable<T> model, Func<T, TKey> key, Func<T, string> name)
        where T : notnull
        where TKey : notnull
    {
        var inMigrations = migrations.ToDictionary(key);
        var inModel = model.ToDictionary(key);
        foreach (var (id, migrated) in inMigrations.OrderBy(p => name(p.Value), StringComparer.Ordinal))
        {
            if (!inModel.TryGetValue(id, out var modelled))
            {
                yield return $"{what} {name(migrated)}: the migrations have {migrated}; the model has none";
            }
            else if (!migrated.Equals(modelled))
            {
                yield return $"{what} {name(migrated)}: the migrations have {migrated}; the model has {modelled}";
            }
        }

        foreach (var (_, modelled) in inModel.Where(p => !inMigrations.ContainsKey(p.Key)).OrderBy(p => name(p.Value), StringComparer.Ordinal))
        {
            yield return $"{what} {name(modelled)}: the model has {modelled}; the migrations have none";
        }
    }
}

/// <summary>The EF model's own metadata (its relational model: tables, columns, keys, indexes, foreign keys) in a catalog's terms.</summary>
internal static class ModelMetadata
{
    /// <summary>Stands for a filter's text on PostgreSQL, which stores the filter rewritten, not as the model wrote it.</summary>
    private const string Filtered = "(filtered)";

    public static SchemaCatalog Catalog(IRelationalModel model, TestProvider provider)
    {
        var sqlite = provider == TestProvider.Sqlite;
        var tables = model.Tables.ToList();
        return new SchemaCatalog(
            tables.SelectMany(t => t.Columns.Select(c => new CatalogColumn(t.Name, c.Name, sqlite ? c.StoreType.ToUpperInvariant() : c.StoreType, c.IsNullable, false))).ToList(),
            tables.Where(t => t.PrimaryKey is not null)
                .Select(t => new CatalogPrimaryKey(t.Name, sqlite ? null : t.PrimaryKey!.Name, Names(t.PrimaryKey!.Columns))).ToList(),
            tables.SelectMany(t => t.Indexes.Select(i => new CatalogIndex(t.Name, i.Name, Names(i.Columns), i.IsUnique,
                i.Filter is null ? null : sqlite ? SchemaCatalog.SqliteFilter($"CREATE INDEX x ON t (c) WHERE {i.Filter}") : Filtered))).ToList(),
            tables.SelectMany(t => t.ForeignKeyConstraints.Select(f => new CatalogForeignKey(t.Name, sqlite ? null : f.Name, Names(f.Columns),
                f.PrincipalTable.Name, Names(f.PrincipalColumns), Action(f.OnDeleteAction)))).ToList());
    }

    /// <summary>A catalog without what the model's metadata cannot say in the database's terms: whether the database numbers a column, and on PostgreSQL a filter's text.</summary>
    public static SchemaCatalog Comparable(SchemaCatalog catalog, TestProvider provider) => catalog with
    {
        Columns = catalog.Columns.Select(c => c with { Generated = false }).ToList(),
        Indexes = provider == TestProvider.Postgres ? catalog.Indexes.Select(i => i with { Filter = i.Filter is null ? null : Filtered }).ToList() : catalog.Indexes,
    };

    private static string Names(IEnumerable<IColumn> columns) => string.Join(", ", columns.Select(c => c.Name));

    private static string Action(ReferentialAction action) => action switch
    {
        ReferentialAction.NoAction => "NO ACTION",
        ReferentialAction.Restrict => "RESTRICT",
        ReferentialAction.Cascade => "CASCADE",
        ReferentialAction.SetNull => "SET NULL",
        ReferentialAction.SetDefault => "SET DEFAULT",
        _ => throw new InvalidOperationException($"Unknown referential action {action}."),
    };
}
