using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace OpenCIS.Storage.Bulk;

/// <summary>
/// The secondary indexes of a few tables, dropped while those tables are loaded in bulk and built again afterwards from
/// their own definitions, as the database itself reports them. Building an index over a million rows sorts them once;
/// keeping it up to date while they arrive inserts each key at a random place, a page read and a page written for each.
/// Only for tables nothing else uses meanwhile (the set-up of a city being seeded into an empty database): until
/// <see cref="RestoreAsync"/>, their queries scan and their unique keys are unchecked.
/// </summary>
public sealed class DeferredIndexes
{
    private readonly OpenCisDbContext db;
    private readonly List<(string Name, string Definition)> dropped;

    private DeferredIndexes(OpenCisDbContext db, List<(string Name, string Definition)> dropped)
    {
        this.db = db;
        this.dropped = dropped;
    }

    /// <summary>The indexes dropped, by name.</summary>
    public IReadOnlyList<string> Names => [.. dropped.Select(d => d.Name)];

    /// <summary>Drops every index of <paramref name="tables"/> but those that keep a primary key and the partial ones.</summary>
    public static async Task<DeferredIndexes> DropAsync(OpenCisDbContext db, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        var list = string.Join(", ", tables.Select(t => $"'{t}'"));
        var indexes = new List<(string Name, string Definition)>();
        await using (var command = connection.CreateCommand())
        {
            // SQLite lists a key's own index without SQL; PostgreSQL's primary keys are constraints' indexes. Partial indexes stay:
            // they hold few rows, and PostgreSQL reports their condition rewritten, which might no longer match the queries' own.
            command.CommandText = db.Database.IsNpgsql()
                ? $"""
                   SELECT i.indexname, i.indexdef FROM pg_indexes i
                   WHERE i.schemaname = current_schema() AND i.tablename IN ({list})
                     AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)
                     AND (SELECT x.indpred IS NULL FROM pg_index x WHERE x.indexrelid = format('%I.%I', i.schemaname, i.indexname)::regclass)
                   ORDER BY i.indexname
                   """
                : $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({list}) AND sql IS NOT NULL AND sql NOT LIKE '% WHERE %' ORDER BY name";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync(connection, $"DROP INDEX \"{name}\"", cancellationToken);
        }

        await db.Database.CloseConnectionAsync();
        return new DeferredIndexes(db, indexes);
    }

    /// <summary>Builds the dropped indexes again, each as it was defined.</summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        if (!db.Database.IsNpgsql())
        {
            // A build sorts its keys in temporary storage, which OpenCIS keeps in memory: for a million rows' indexes, that
            // is most of a gigabyte. On disk, for this connection, until it is opened again.
            await ExecuteAsync(connection, "PRAGMA temp_store = FILE", cancellationToken);
        }

        foreach (var (_, definition) in dropped)
        {
            await ExecuteAsync(connection, definition, cancellationToken);
        }

        await db.Database.CloseConnectionAsync();
        dropped.Clear();
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
