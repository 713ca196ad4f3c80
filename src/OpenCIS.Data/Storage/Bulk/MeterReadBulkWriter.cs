using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using SQLitePCL;
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
        // The rows are encoded here in PostgreSQL's binary COPY format and sent as raw bytes: the
        // typed importer spends more per field (a converter lookup and an async step each) than the
        // field costs, and on two cores the server needs that time for its own work.
        var copy = await connection.BeginRawBinaryCopyAsync($"COPY meter_reads ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        var completed = false;
        try
        {
            var rowsOut = new PgBinaryRows();
            var recordedBy = System.Text.Encoding.UTF8.GetBytes(batch.RecordedBy);
            foreach (var row in rows)
            {
                rowsOut.StartRow(11);
                rowsOut.Int64(row.MeterId);
                rowsOut.Int64(row.ServicePointId);
                rowsOut.Date(row.ReadOn);
                rowsOut.Int64(row.Reading);
                rowsOut.Bytes(EnumUtf8<ReadSource>.Names[(int)row.Source]);
                rowsOut.Bytes(EnumUtf8<ReadStatus>.Names[(int)row.Status]);
                rowsOut.Int32((int)row.Flags);
                rowsOut.Text(row.Reasons);
                rowsOut.TimestampTz(batch.RecordedAt);
                rowsOut.Bytes(recordedBy);
                rowsOut.Int64(batch.ImportedFileId);
                if (rowsOut.Full)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await rowsOut.FlushAsync(copy, cancellationToken);
                }
            }

            rowsOut.End();
            await rowsOut.FlushAsync(copy, cancellationToken);
            completed = true;
        }
        finally
        {
            if (!completed)
            {
                // Disposing a raw COPY commits what was sent; a failed write must abandon it instead.
                await copy.CancelAsync();
            }

            await copy.DisposeAsync();
        }
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

    /// <summary>
    /// Rows in PostgreSQL's binary COPY format (a signature and header, then per row a field count and
    /// each field as a length and its bytes in network order, then a trailer), gathered in one buffer.
    /// </summary>
    private sealed class PgBinaryRows
    {
        private const int FlushAt = 60 * 1024;
        private static readonly DateOnly DateEpoch = new(2000, 1, 1);
        private static readonly long TimestampEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        private static readonly byte[] Signature = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];
        private byte[] buffer = new byte[FlushAt + (64 * 1024)];
        private int length;

        public PgBinaryRows()
        {
            Signature.CopyTo(buffer, 0);
            length = Signature.Length;
            Int32Raw(0); // flags
            Int32Raw(0); // header extension length
        }

        public bool Full => length >= FlushAt;

        public void StartRow(short fields)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt16BigEndian(buffer.AsSpan(length), fields);
            length += 2;
        }

        public void Int64(long value)
        {
            Int32Raw(8);
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(length), value);
            length += 8;
        }

        public void Int32(int value)
        {
            Int32Raw(4);
            Int32Raw(value);
        }

        /// <summary>A date: days since 2000-01-01.</summary>
        public void Date(DateOnly value)
        {
            Int32Raw(4);
            Int32Raw(value.DayNumber - DateEpoch.DayNumber);
        }

        /// <summary>A timestamp with time zone: microseconds since 2000-01-01 UTC.</summary>
        public void TimestampTz(DateTimeOffset value) => Int64((value.UtcTicks - TimestampEpochTicks) / TimeSpan.TicksPerMicrosecond);

        public void Bytes(ReadOnlySpan<byte> value)
        {
            Room(4 + value.Length);
            Int32Raw(value.Length);
            value.CopyTo(buffer.AsSpan(length));
            length += value.Length;
        }

        public void Text(string? value)
        {
            if (value is null)
            {
                Int32Raw(-1);
                return;
            }

            Room(4 + System.Text.Encoding.UTF8.GetMaxByteCount(value.Length));
            var written = System.Text.Encoding.UTF8.GetBytes(value, buffer.AsSpan(length + 4));
            Int32Raw(written);
            length += written;
        }

        public void End()
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt16BigEndian(buffer.AsSpan(length), -1);
            length += 2;
        }

        public async Task FlushAsync(Stream stream, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken);
            length = 0;
        }

        /// <summary>Rows are flushed well before the buffer's end; only a very long text needs it to grow.</summary>
        private void Room(int bytes)
        {
            if (length + bytes > buffer.Length)
            {
                Array.Resize(ref buffer, (length + bytes) * 2);
            }
        }

        private void Int32Raw(int value)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(length), value);
            length += 4;
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
