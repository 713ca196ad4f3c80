using Microsoft.Data.Sqlite;
using Npgsql;

namespace OpenCIS.Storage.Bulk;

/// <summary>
/// Empty copies of the tables a billing run writes, for the billing benchmark's write limit: how fast
/// the bulk writers alone write a run's rows. Each copy keeps its table's columns, primary key,
/// checks and foreign keys, and (unless asked for a bare copy) its other indexes, so the database
/// does the same upkeep for a row as in the real table; only the rows already there are missing, so
/// the limit it gives is if anything a little high. A bare copy, beside the full one, tells what the
/// secondary indexes cost.
/// <list type="bullet">
/// <item>PostgreSQL: tables of the schema <c>bench_scratch</c> (<c>bench_scratch_bare</c>) in the
/// same database, made LIKE the real ones, with the real keys added after the loaded rows are copied
/// in. A connection whose search path starts with the schema reaches them by the same names. A
/// reference to a table that is not copied (accounts, the run) goes to the real table.</item>
/// <item>SQLite: a database file beside the city's, made by the same CREATE statements.</item>
/// </list>
/// </summary>
public static class ScratchTables
{
    internal static string Schema(bool secondaryIndexes) => secondaryIndexes ? "bench_scratch" : "bench_scratch_bare";

    /// <summary>What a billing run writes: its postings, its bills and its exceptions.</summary>
    public static readonly IReadOnlyList<string> Billing =
        ["financial_transactions", "gl_entries", "open_items", "item_allocations", "bills", "bill_segments", "bill_lines", "bill_removed_meters", "billing_exceptions"];

    /// <summary>
    /// Makes fresh empty copies of <paramref name="tables"/> (dropping any left by an earlier
    /// measurement), with or without their secondary indexes, copies in the open items with the ids
    /// in <paramref name="loadedItems"/> (older items the writes will settle, which the copies'
    /// foreign keys point at), and returns the settings whose contexts write into the copies.
    /// </summary>
    public static async Task<DatabaseSettings> CreateAsync(DatabaseSettings settings, IReadOnlyList<string> tables, IReadOnlyCollection<long> loadedItems, bool secondaryIndexes,
        CancellationToken cancellationToken)
    {
        if (settings.Provider == DatabaseProvider.Postgres)
        {
            return await CreatePostgresAsync(settings, tables, loadedItems, Schema(secondaryIndexes), secondaryIndexes, cancellationToken);
        }

        return await CreateSqliteAsync(settings, tables, loadedItems, secondaryIndexes, cancellationToken);
    }

    /// <summary>Removes the copies.</summary>
    public static async Task DropAsync(DatabaseSettings settings, bool secondaryIndexes, CancellationToken cancellationToken)
    {
        if (settings.Provider == DatabaseProvider.Postgres)
        {
            await using var connection = new NpgsqlConnection(settings.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema(secondaryIndexes)} CASCADE", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

        DeleteSqliteFiles(SqliteScratchPath(settings, secondaryIndexes));
    }

    private static async Task<DatabaseSettings> CreatePostgresAsync(DatabaseSettings settings, IReadOnlyList<string> tables, IReadOnlyCollection<long> loadedItems, string schema,
        bool secondaryIndexes, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        string home;
        await using (var current = new NpgsqlCommand("SELECT current_schema()", connection))
        {
            home = (string)(await current.ExecuteScalarAsync(cancellationToken))!;
        }

        // The real keys, as PostgreSQL would write them from the real schema: a referenced table is named
        // without its schema, so under the scratch search path a copied table resolves to its copy. A copy
        // made LIKE its table with its indexes has its primary key already.
        var keys = new List<(string Table, string Name, string Definition)>();
        await using (var constraints = new NpgsqlCommand(
            """
            SELECT t.relname, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE (c.contype = 'f' OR (c.contype = 'p' AND NOT @indexes)) AND n.nspname = current_schema() AND t.relname = ANY(@tables)
            ORDER BY c.contype DESC, t.relname, c.conname
            """, connection))
        {
            constraints.Parameters.AddWithValue("tables", tables.ToArray());
            constraints.Parameters.AddWithValue("indexes", secondaryIndexes);
            await using var reader = await constraints.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                keys.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var create = new List<string> { $"DROP SCHEMA IF EXISTS {schema} CASCADE", $"CREATE SCHEMA {schema}" };
        create.AddRange(tables.Select(t => $"CREATE TABLE {schema}.{t} (LIKE {home}.{t} INCLUDING ALL{(secondaryIndexes ? "" : " EXCLUDING INDEXES")})"));
        foreach (var sql in create)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        // A copy's identity starts where its table's stands, so new ids never meet the loaded rows copied in.
        foreach (var table in tables)
        {
            await using var identity = new NpgsqlCommand(
                $"SELECT setval(pg_get_serial_sequence('{schema}.{table}', 'id'), GREATEST((SELECT MAX(id) FROM {home}.{table}), 1))", connection, transaction);
            await identity.ExecuteNonQueryAsync(cancellationToken);
        }

        if (tables.Contains("open_items") && loadedItems.Count > 0)
        {
            await using var copy = new NpgsqlCommand($"INSERT INTO {schema}.open_items SELECT * FROM {home}.open_items WHERE id = ANY(@ids)", connection, transaction);
            copy.Parameters.AddWithValue("ids", loadedItems.ToArray());
            await copy.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var path = new NpgsqlCommand($"SET LOCAL search_path = {schema}, {home}", connection, transaction))
        {
            await path.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (table, name, definition) in keys)
        {
            // NOT VALID: the rows copied in above point at rows that were not copied; every row written from now on is checked.
            var check = definition.StartsWith("FOREIGN KEY", StringComparison.Ordinal) ? " NOT VALID" : "";
            await using var command = new NpgsqlCommand($"ALTER TABLE {schema}.{table} ADD CONSTRAINT \"{name}\" {definition}{check}", connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return Copies(settings, secondaryIndexes, home);
    }

    /// <summary>The settings whose contexts reach the copies (on PostgreSQL, the real tables' schema named <paramref name="home"/>).</summary>
    internal static DatabaseSettings Copies(DatabaseSettings settings, bool secondaryIndexes, string home = "public")
    {
        if (settings.Provider == DatabaseProvider.Postgres)
        {
            var copies = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { SearchPath = $"{Schema(secondaryIndexes)},{home}" };
            return DatabaseSettings.FromConnectionString(copies.ConnectionString);
        }

        return DatabaseSettings.FromConnectionString(new SqliteConnectionStringBuilder(settings.ConnectionString) { DataSource = SqliteScratchPath(settings, secondaryIndexes), Pooling = false }.ConnectionString);
    }

    private static async Task<DatabaseSettings> CreateSqliteAsync(DatabaseSettings settings, IReadOnlyList<string> tables, IReadOnlyCollection<long> loadedItems, bool secondaryIndexes,
        CancellationToken cancellationToken)
    {
        var path = SqliteScratchPath(settings, secondaryIndexes);
        DeleteSqliteFiles(path);
        var city = new SqliteConnectionStringBuilder(settings.ConnectionString);
        var statements = new List<string>();
        await using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = city.DataSource, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString))
        {
            await source.OpenAsync(cancellationToken);
            await using var schema = source.CreateCommand();
            // A table's primary key is part of its CREATE TABLE; its other indexes are statements of their own.
            schema.CommandText = $"SELECT sql FROM sqlite_master WHERE tbl_name IN ({string.Join(", ", tables.Select(t => $"'{t}'"))}) AND sql IS NOT NULL"
                + (secondaryIndexes ? "" : " AND type = 'table'") + " ORDER BY type = 'index', name";
            await using var reader = await schema.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                statements.Add(reader.GetString(0));
            }
        }

        var scratch = Copies(settings, secondaryIndexes);
        await using (var connection = new SqliteConnection(scratch.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction();
            foreach (var sql in statements)
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            // A copy's ids start where its table's stand (AUTOINCREMENT's high-water mark, which the writers' id blocks
            // respect), so new ids never meet the loaded rows copied in. The copied rows point at transactions that are
            // not copied; the lanes write with the checks off too.
            await using var copy = connection.CreateCommand();
            copy.CommandText = "PRAGMA foreign_keys = OFF; ATTACH DATABASE $city AS city; "
                + string.Concat(tables.Select(t => $"INSERT INTO sqlite_sequence (name, seq) SELECT '{t}', MAX(id) FROM city.{t} HAVING MAX(id) IS NOT NULL; "))
                + (tables.Contains("open_items") ? "INSERT INTO open_items SELECT * FROM city.open_items WHERE id IN (SELECT value FROM json_each($ids)); " : "")
                + "DETACH DATABASE city;";
            copy.Parameters.AddWithValue("$city", Path.GetFullPath(city.DataSource));
            copy.Parameters.AddWithValue("$ids", "[" + string.Join(",", loadedItems) + "]");
            await copy.ExecuteNonQueryAsync(cancellationToken);
        }

        return scratch;
    }

    internal static string SqliteScratchPath(DatabaseSettings settings, bool secondaryIndexes)
    {
        var city = Path.GetFullPath(new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource);
        return Path.Combine(Path.GetDirectoryName(city)!, Path.GetFileNameWithoutExtension(city) + (secondaryIndexes ? ".scratch" : ".scratch-bare") + Path.GetExtension(city));
    }

    private static void DeleteSqliteFiles(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            File.Delete(file);
        }
    }
}
