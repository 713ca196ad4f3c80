using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using SQLitePCL;
using OpenCIS.Core.Metering;
using OpenCIS.Storage.Metering;

namespace OpenCIS.Storage.Bulk;

/// <summary>A new read as an import writes it; who recorded it, when, and from which file come with the <see cref="ReadBatch"/>.</summary>
public readonly record struct NewRead(long MeterId, long ServicePointId, DateOnly ReadOn, long Reading, ReadSource Source, ReadStatus Status, DeviceFlags Flags, string? Reasons);

/// <summary>What every read of one write shares.</summary>
public sealed record ReadBatch(DateTimeOffset RecordedAt, string RecordedBy, long? ImportedFileId);

/// <summary>
/// Writes many new meter reads at once, past EF Core: binary COPY on PostgreSQL, prepared
/// many-row INSERTs on SQLite. Rows go into the caller's open transaction, so a failure anywhere in
/// a file leaves nothing behind. Column formats are the ones EF Core writes, so EF reads these rows
/// back like any other (the read import tests check that on both databases).
/// </summary>
public static class MeterReadBulkWriter
{
    /// <summary>
    /// A read's own fields, then those every read of the batch shares (bound once per statement on SQLite).
    /// What a <see cref="NewRead"/> does not carry is left to the database.
    /// </summary>
    internal static readonly BulkColumns Reads = new("meter_reads",
        ["meter_id", "service_point_id", "read_on", "reading", "source", "status", "flags", "reasons", "recorded_at", "recorded_by", "imported_file_id"],
        new UnwrittenColumn("id", "The identity column numbers them: nothing written with a read points at it."),
        new UnwrittenColumn("estimate_method", "Imports and the demo seed record reads taken from meters; an estimated read is recorded one at a time through EF Core (AverageBill)."),
        new UnwrittenColumn("reviewed_by", "A new read has not been reviewed yet; ReviewReads records who did, through EF Core."),
        new UnwrittenColumn("reviewed_at", "A new read has not been reviewed yet; ReviewReads records when, through EF Core."));

    private static readonly string Columns = string.Join(", ", Reads.Written);

    public static async Task WriteAsync(OpenCisDbContext db, ReadBatch batch, IReadOnlyList<NewRead> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var (_, transaction) = BulkInsert.Open(db);
        if (db.Database.IsNpgsql())
        {
            await CopyAsync((NpgsqlConnection)db.Database.GetDbConnection(), batch, rows, cancellationToken);
        }
        else
        {
            Insert((SqliteConnection)db.Database.GetDbConnection(), (SqliteTransaction)transaction, batch, rows);
        }
    }

    /// <summary>PostgreSQL: the rows as raw binary COPY (<see cref="BulkInsert"/>), what the batch shares encoded once.</summary>
    private static Task CopyAsync(NpgsqlConnection connection, ReadBatch batch, IReadOnlyList<NewRead> rows, CancellationToken cancellationToken)
    {
        var recordedBy = System.Text.Encoding.UTF8.GetBytes(batch.RecordedBy);
        var table = new BulkTable<NewRead>(Reads, (w, row) =>
        {
            w.Int64(row.MeterId);
            w.Int64(row.ServicePointId);
            w.Date(row.ReadOn);
            w.Int64(row.Reading);
            w.Utf8(EnumUtf8<ReadSource>.Of(row.Source));
            w.Utf8(EnumUtf8<ReadStatus>.Of(row.Status));
            w.Int32((int)row.Flags);
            w.Text(row.Reasons);
            w.Timestamp(batch.RecordedAt);
            w.Utf8(recordedBy);
            w.Int64(batch.ImportedFileId);
        });
        return BulkInsert.WriteAsync(connection, table, rows, cancellationToken);
    }

    /// <summary>Rows per INSERT on SQLite: one statement step costs about as much as binding several rows, so rows go in sixties.</summary>
    private const int RowsPerStatement = 64;

    /// <summary>Parameters of one row; the batch's shared values are bound once per statement, after the rows'.</summary>
    private const int ColumnCount = 8;

    private static void Insert(SqliteConnection connection, SqliteTransaction transaction, ReadBatch batch, IReadOnlyList<NewRead> rows)
    {
        // Statements are prepared once and bound and stepped through SQLite's own API: a profile of the
        // same loop through SqliteCommand spent nine tenths of its time in the wrapper, not in SQLite.
        // Each step inserts many rows; what the rows share is bound once (bindings outlive a reset);
        // text goes in as UTF-8 bytes kept or formatted in one buffer, not as a new array per value.
        // The statements run inside the caller's transaction because they run on the same connection.
        _ = transaction;
        var handle = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var buffer = new Utf8Buffer();
        var full = rows.Count / RowsPerStatement;
        if (full > 0)
        {
            using var many = Prepare(handle, RowsPerStatement, batch);
            for (var statement = 0; statement < full; statement++)
            {
                for (var row = 0; row < RowsPerStatement; row++)
                {
                    Bind(many, row * ColumnCount, rows[(statement * RowsPerStatement) + row], buffer);
                }

                SqliteNative.Step(many, handle);
            }
        }

        if (rows.Count % RowsPerStatement > 0)
        {
            using var one = Prepare(handle, 1, batch);
            for (var row = full * RowsPerStatement; row < rows.Count; row++)
            {
                Bind(one, 0, rows[row], buffer);
                SqliteNative.Step(one, handle);
            }
        }
    }

    private static sqlite3_stmt Prepare(sqlite3 handle, int rowCount, ReadBatch batch)
    {
        var shared = rowCount * ColumnCount;
        var values = string.Join(", ", Enumerable.Range(0, rowCount).Select(row =>
            "(" + string.Join(", ", Enumerable.Range(1, ColumnCount).Select(column => $"?{(row * ColumnCount) + column}")) + $", ?{shared + 1}, ?{shared + 2}, ?{shared + 3})"));
        SqliteNative.Check(raw.sqlite3_prepare_v2(handle, $"INSERT INTO meter_reads ({Columns}) VALUES {values}", out var statement), handle);
        raw.sqlite3_bind_text(statement, shared + 1, SqliteNative.Timestamp(batch.RecordedAt));
        raw.sqlite3_bind_text(statement, shared + 2, batch.RecordedBy);
        if (batch.ImportedFileId is { } fileId)
        {
            raw.sqlite3_bind_int64(statement, shared + 3, fileId);
        }
        else
        {
            raw.sqlite3_bind_null(statement, shared + 3);
        }
        return statement;
    }

    private static void Bind(sqlite3_stmt statement, int offset, in NewRead row, Utf8Buffer buffer)
    {
        raw.sqlite3_bind_int64(statement, offset + 1, row.MeterId);
        raw.sqlite3_bind_int64(statement, offset + 2, row.ServicePointId);
        raw.sqlite3_bind_text(statement, offset + 3, buffer.Date(row.ReadOn));
        raw.sqlite3_bind_int64(statement, offset + 4, row.Reading);
        raw.sqlite3_bind_text(statement, offset + 5, EnumUtf8<ReadSource>.Names[(int)row.Source]);
        raw.sqlite3_bind_text(statement, offset + 6, EnumUtf8<ReadStatus>.Names[(int)row.Status]);
        raw.sqlite3_bind_int64(statement, offset + 7, (int)row.Flags);
        if (row.Reasons is null)
        {
            raw.sqlite3_bind_null(statement, offset + 8);
        }
        else
        {
            raw.sqlite3_bind_text(statement, offset + 8, buffer.Encode(row.Reasons));
        }
    }
}
