using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using SQLitePCL;
using NpgsqlTypes;
using OpenCIS.Core.Metering;
using OpenCIS.Data.Metering;

namespace OpenCIS.Data.Storage.Bulk;

/// <summary>A new read as an import writes it; who recorded it, when, and from which file come with the <see cref="ReadBatch"/>.</summary>
public readonly record struct NewRead(long MeterId, long ServicePointId, DateOnly ReadOn, long Reading, ReadSource Source, ReadStatus Status, DeviceFlags Flags, string? Reasons);

/// <summary>What every read of one write shares.</summary>
public sealed record ReadBatch(DateTimeOffset RecordedAt, string RecordedBy, long ImportedFileId);

/// <summary>
/// Writes many new meter reads at once, past EF Core: binary COPY on PostgreSQL, prepared
/// many-row INSERTs on SQLite. Rows go into the caller's open transaction, so a failure anywhere in
/// a file leaves nothing behind. Column formats are the ones EF Core writes, so EF reads these rows
/// back like any other (the read import tests check that on both databases).
/// </summary>
public static class MeterReadBulkWriter
{
    private const string Columns = "meter_id, service_point_id, read_on, reading, source, status, flags, reasons, recorded_at, recorded_by, imported_file_id";

    public static async Task WriteAsync(OpenCisDbContext db, ReadBatch batch, IReadOnlyList<NewRead> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk writes need the caller's transaction, so a failed file leaves nothing behind.");
        if (db.Database.IsNpgsql())
        {
            await CopyAsync((NpgsqlConnection)db.Database.GetDbConnection(), batch, rows, cancellationToken);
        }
        else
        {
            Insert((SqliteConnection)db.Database.GetDbConnection(), (SqliteTransaction)transaction, batch, rows);
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, ReadBatch batch, IReadOnlyList<NewRead> rows, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync($"COPY meter_reads ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        var recordedAt = batch.RecordedAt.ToUniversalTime();
        // Rows are written synchronously: an awaited call per field costs more than the field itself.
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            importer.StartRow();
            importer.Write(row.MeterId, NpgsqlDbType.Bigint);
            importer.Write(row.ServicePointId, NpgsqlDbType.Bigint);
            importer.Write(row.ReadOn, NpgsqlDbType.Date);
            importer.Write(row.Reading, NpgsqlDbType.Bigint);
            importer.Write(EnumText<ReadSource>.Names[(int)row.Source], NpgsqlDbType.Varchar);
            importer.Write(EnumText<ReadStatus>.Names[(int)row.Status], NpgsqlDbType.Varchar);
            importer.Write((int)row.Flags, NpgsqlDbType.Integer);
            if (row.Reasons is null)
            {
                importer.WriteNull();
            }
            else
            {
                importer.Write(row.Reasons, NpgsqlDbType.Text);
            }

            importer.Write(recordedAt, NpgsqlDbType.TimestampTz);
            importer.Write(batch.RecordedBy, NpgsqlDbType.Text);
            importer.Write(batch.ImportedFileId, NpgsqlDbType.Bigint);
        }

        await importer.CompleteAsync(cancellationToken);
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

                Step(many, handle);
            }
        }

        if (rows.Count % RowsPerStatement > 0)
        {
            using var one = Prepare(handle, 1, batch);
            for (var row = full * RowsPerStatement; row < rows.Count; row++)
            {
                Bind(one, 0, rows[row], buffer);
                Step(one, handle);
            }
        }
    }

    private static sqlite3_stmt Prepare(sqlite3 handle, int rowCount, ReadBatch batch)
    {
        var shared = rowCount * ColumnCount;
        var values = string.Join(", ", Enumerable.Range(0, rowCount).Select(row =>
            "(" + string.Join(", ", Enumerable.Range(1, ColumnCount).Select(column => $"?{(row * ColumnCount) + column}")) + $", ?{shared + 1}, ?{shared + 2}, ?{shared + 3})"));
        Check(raw.sqlite3_prepare_v2(handle, $"INSERT INTO meter_reads ({Columns}) VALUES {values}", out var statement), handle);
        raw.sqlite3_bind_text(statement, shared + 1, SqliteTimestamp(batch.RecordedAt));
        raw.sqlite3_bind_text(statement, shared + 2, batch.RecordedBy);
        raw.sqlite3_bind_int64(statement, shared + 3, batch.ImportedFileId);
        return statement;
    }

    private static void Step(sqlite3_stmt statement, sqlite3 handle)
    {
        var result = raw.sqlite3_step(statement);
        if (result != raw.SQLITE_DONE)
        {
            Check(result, handle);
        }

        raw.sqlite3_reset(statement);
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

    /// <summary>One buffer that dates and other text are written into as UTF-8 for binding (SQLite copies bound text).</summary>
    private sealed class Utf8Buffer
    {
        private byte[] buffer = new byte[256];

        public ReadOnlySpan<byte> Date(DateOnly date)
        {
            date.TryFormat(buffer, out var written, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            return buffer.AsSpan(0, written);
        }

        public ReadOnlySpan<byte> Encode(string value)
        {
            var length = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
            if (length > buffer.Length)
            {
                buffer = new byte[length];
            }

            return buffer.AsSpan(0, System.Text.Encoding.UTF8.GetBytes(value, buffer));
        }
    }

    private static class EnumUtf8<T> where T : struct, Enum
    {
        public static readonly byte[][] Names = EnumText<T>.Names.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
    }

    private static class EnumText<T> where T : struct, Enum
    {
        // Indexed by the enum's value (these enums number their members from zero).
        public static readonly string[] Names = Enum.GetValues<T>().OrderBy(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture))
            .Select((v, i) => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) == i ? v.ToString() : throw new InvalidOperationException($"{typeof(T).Name} must number its members from zero."))
            .ToArray();
    }

    private static void Check(int result, sqlite3 handle)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite error {result}: {raw.sqlite3_errmsg(handle).utf8_to_string()}", result);
        }
    }

    /// <summary>The text form EF Core's SQLite provider uses for a DateTimeOffset.</summary>
    private static string SqliteTimestamp(DateTimeOffset value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture);
}
