using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using SQLitePCL;

namespace OpenCIS.Storage.Bulk;

/// <summary>
/// Where one row's fields go, in column order: a PostgreSQL binary COPY stream or the parameters of
/// a prepared SQLite INSERT. Values are written in the forms EF Core reads back (dates as
/// yyyy-MM-dd text and decimals as text on SQLite, enums as their names on both).
/// </summary>
internal interface IFieldWriter
{
    void Int64(long value);

    void Int64(long? value);

    void Int32(int value);

    void Bool(bool value);

    void Date(DateOnly value);

    void Date(DateOnly? value);

    void Timestamp(DateTimeOffset value);

    void Timestamp(DateTimeOffset? value);

    void Text(string? value);

    /// <summary>Text already in UTF-8 (an enum's name, a repeated value encoded once).</summary>
    void Utf8(ReadOnlySpan<byte> value);

    void Decimal(decimal? value);
}

/// <summary>A column of a table that a bulk write leaves to the database, and why the row it writes is still the row EF Core would save.</summary>
internal sealed record UnwrittenColumn(string Name, string Reason);

/// <summary>
/// The columns a bulk write fills, in the order its rows write them, and every other column of the
/// table with the reason it is left out. The rows go past EF Core, so nothing else notices a column
/// the entity gained and the writer forgot: <c>BulkWriterColumnTests</c> holds these lists against
/// the EF model's columns for the table.
/// </summary>
internal sealed class BulkColumns(string table, string[] written, params UnwrittenColumn[] unwritten)
{
    public string Table { get; } = table;
    public IReadOnlyList<string> Written { get; } = written;
    public IReadOnlyList<UnwrittenColumn> Unwritten { get; } = unwritten;
}

/// <summary>A table as a bulk write sees it: its columns and how one row fills them.</summary>
internal sealed class BulkTable<T>(BulkColumns columns, Action<IFieldWriter, T> write)
{
    public BulkTable(string name, string[] columns, Action<IFieldWriter, T> write, params UnwrittenColumn[] unwritten)
        : this(new BulkColumns(name, columns, unwritten), write)
    {
    }

    public string Name => Columns.Table;
    public BulkColumns Columns { get; } = columns;
    public Action<IFieldWriter, T> Write { get; } = write;
}

/// <summary>Every table a bulk writer fills, for the test that checks each against the EF model.</summary>
internal static class BulkTables
{
    public static IReadOnlyList<BulkColumns> All =>
    [
        LedgerBulkWriter.Tables.Transactions.Columns,
        LedgerBulkWriter.Tables.GlEntries.Columns,
        LedgerBulkWriter.Tables.OpenItems.Columns,
        LedgerBulkWriter.Tables.Allocations.Columns,
        BillingBulkWriter.Tables.Bills.Columns,
        BillingBulkWriter.Tables.Segments.Columns,
        BillingBulkWriter.Tables.Lines.Columns,
        BillingBulkWriter.Tables.RemovedMeters.Columns,
        BillingBulkWriter.Tables.Exceptions.Columns,
        PaymentBulkWriter.Payments.Columns,
        MeterReadBulkWriter.Reads,
        IntervalDayBulkWriter.Days.Columns,
        CollectionsBulkWriter.Tables.Events.Columns,
        CollectionsBulkWriter.Tables.Standings.Columns,
    ];
}

/// <summary>
/// Inserts many rows of one table inside the caller's open transaction: binary COPY on PostgreSQL,
/// many-row prepared INSERTs bound through SQLite's own API on SQLite. Ids are the caller's: the
/// rows carry them, so children can point at parents without reading anything back.
/// </summary>
internal static class BulkInsert
{
    /// <summary>The connection and the caller's open transaction every bulk write goes into, so a failure leaves nothing behind.</summary>
    public static (DbConnection Connection, DbTransaction Transaction) Open(DbContext db) =>
        (db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk writes need the caller's transaction, so a failure leaves nothing behind."));

    public static async Task WriteAsync<T>(DbConnection connection, BulkTable<T> table, IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (connection is NpgsqlConnection postgres)
        {
            await CopyAsync(postgres, table, rows, cancellationToken);
        }
        else
        {
            Insert((SqliteConnection)connection, table, rows);
        }
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, BulkTable<T> table, IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        var copy = await connection.BeginRawBinaryCopyAsync($"COPY {table.Name} ({string.Join(", ", table.Columns.Written)}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        var completed = false;
        try
        {
            var output = new PgBinaryRows();
            var fields = (short)table.Columns.Written.Count;
            foreach (var row in rows)
            {
                output.StartRow(fields);
                table.Write(output, row);
                if (output.Full)
                {
                    await output.FlushAsync(copy, cancellationToken);
                }
            }

            output.End();
            await output.FlushAsync(copy, cancellationToken);
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

    /// <summary>Rows per SQLite INSERT: one step costs about as much as binding several rows.</summary>
    private const int RowsPerStatement = 64;

    private static void Insert<T>(SqliteConnection connection, BulkTable<T> table, IReadOnlyList<T> rows)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var binder = new SqliteBinder(handle);
        var full = rows.Count / RowsPerStatement;
        if (full > 0)
        {
            using var many = Prepare(handle, table, RowsPerStatement);
            binder.Statement = many;
            for (var statement = 0; statement < full; statement++)
            {
                binder.Index = 0;
                for (var row = 0; row < RowsPerStatement; row++)
                {
                    table.Write(binder, rows[(statement * RowsPerStatement) + row]);
                }

                SqliteNative.Step(many, handle);
            }
        }

        if (rows.Count % RowsPerStatement > 0)
        {
            using var one = Prepare(handle, table, 1);
            binder.Statement = one;
            for (var row = full * RowsPerStatement; row < rows.Count; row++)
            {
                binder.Index = 0;
                table.Write(binder, rows[row]);
                SqliteNative.Step(one, handle);
            }
        }
    }

    private static sqlite3_stmt Prepare<T>(sqlite3 handle, BulkTable<T> table, int rowCount)
    {
        var row = "(" + string.Join(", ", Enumerable.Repeat("?", table.Columns.Written.Count)) + ")";
        var sql = $"INSERT INTO {table.Name} ({string.Join(", ", table.Columns.Written)}) VALUES {string.Join(", ", Enumerable.Repeat(row, rowCount))}";
        SqliteNative.Check(raw.sqlite3_prepare_v2(handle, sql, out var statement), handle);
        return statement;
    }

    /// <summary>Binds fields to the next parameters of a prepared statement.</summary>
    private sealed class SqliteBinder(sqlite3 handle) : IFieldWriter
    {
        private readonly Utf8Buffer buffer = new();

        public sqlite3_stmt Statement { get; set; } = null!;

        public int Index { get; set; }

        public void Int64(long value) => Bound(raw.sqlite3_bind_int64(Statement, ++Index, value));

        public void Int64(long? value)
        {
            if (value is { } v)
            {
                Int64(v);
            }
            else
            {
                Null();
            }
        }

        public void Int32(int value) => Int64(value);

        public void Bool(bool value) => Int64(value ? 1 : 0);

        public void Date(DateOnly value) => Utf8(buffer.Date(value));

        public void Date(DateOnly? value)
        {
            if (value is { } v)
            {
                Date(v);
            }
            else
            {
                Null();
            }
        }

        public void Timestamp(DateTimeOffset value) => Utf8(buffer.Encode(SqliteNative.Timestamp(value)));

        public void Timestamp(DateTimeOffset? value)
        {
            if (value is { } v)
            {
                Timestamp(v);
            }
            else
            {
                Null();
            }
        }

        public void Text(string? value)
        {
            if (value is null)
            {
                Null();
            }
            else
            {
                Utf8(buffer.Encode(value));
            }
        }

        public void Utf8(ReadOnlySpan<byte> value) => Bound(raw.sqlite3_bind_text(Statement, ++Index, value));

        public void Decimal(decimal? value)
        {
            if (value is { } v)
            {
                // The text EF Core's SQLite provider writes for a decimal.
                Utf8(buffer.Encode(v.ToString("0.0###########################", CultureInfo.InvariantCulture)));
            }
            else
            {
                Null();
            }
        }

        private void Null() => Bound(raw.sqlite3_bind_null(Statement, ++Index));

        private void Bound(int result)
        {
            if (result != raw.SQLITE_OK)
            {
                SqliteNative.Check(result, handle);
            }
        }
    }
}

internal static class SqliteNative
{
    public static void Step(sqlite3_stmt statement, sqlite3 handle)
    {
        var result = raw.sqlite3_step(statement);
        if (result != raw.SQLITE_DONE)
        {
            Check(result, handle);
        }

        raw.sqlite3_reset(statement);
    }

    public static void Check(int result, sqlite3 handle)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite error {result}: {raw.sqlite3_errmsg(handle).utf8_to_string()}", result);
        }
    }

    /// <summary>The text form EF Core's SQLite provider uses for a DateTimeOffset.</summary>
    public static string Timestamp(DateTimeOffset value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
}

/// <summary>One buffer that dates and other text are written into as UTF-8 for binding (SQLite copies bound text).</summary>
internal sealed class Utf8Buffer
{
    private byte[] buffer = new byte[256];

    public ReadOnlySpan<byte> Date(DateOnly date)
    {
        date.TryFormat(buffer, out var written, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return buffer.AsSpan(0, written);
    }

    public ReadOnlySpan<byte> Encode(string value)
    {
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (length > buffer.Length)
        {
            buffer = new byte[length];
        }

        return buffer.AsSpan(0, Encoding.UTF8.GetBytes(value, buffer));
    }
}

/// <summary>
/// Rows in PostgreSQL's binary COPY format (a signature and header, then per row a field count and
/// each field as a length and its bytes in network order, then a trailer), gathered in one buffer.
/// </summary>
internal sealed class PgBinaryRows : IFieldWriter
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
        BinaryPrimitives.WriteInt16BigEndian(buffer.AsSpan(length), fields);
        length += 2;
    }

    public void Int64(long value)
    {
        Int32Raw(8);
        BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(length), value);
        length += 8;
    }

    public void Int64(long? value)
    {
        if (value is { } v)
        {
            Int64(v);
        }
        else
        {
            Int32Raw(-1);
        }
    }

    public void Int32(int value)
    {
        Int32Raw(4);
        Int32Raw(value);
    }

    public void Bool(bool value)
    {
        Int32Raw(1);
        buffer[length++] = value ? (byte)1 : (byte)0;
    }

    /// <summary>A date: days since 2000-01-01.</summary>
    public void Date(DateOnly value)
    {
        Int32Raw(4);
        Int32Raw(value.DayNumber - DateEpoch.DayNumber);
    }

    public void Date(DateOnly? value)
    {
        if (value is { } v)
        {
            Date(v);
        }
        else
        {
            Int32Raw(-1);
        }
    }

    /// <summary>A timestamp with time zone: microseconds since 2000-01-01 UTC.</summary>
    public void Timestamp(DateTimeOffset value) => Int64((value.UtcTicks - TimestampEpochTicks) / TimeSpan.TicksPerMicrosecond);

    public void Timestamp(DateTimeOffset? value)
    {
        if (value is { } v)
        {
            Timestamp(v);
        }
        else
        {
            Int32Raw(-1);
        }
    }

    public void Utf8(ReadOnlySpan<byte> value)
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

        Room(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var written = Encoding.UTF8.GetBytes(value, buffer.AsSpan(length + 4));
        Int32Raw(written);
        length += written;
    }

    /// <summary>
    /// A numeric: digit count, weight (of the first digit, in powers of 10,000), sign and display
    /// scale, then the digits in base 10,000.
    /// </summary>
    public void Decimal(decimal? value)
    {
        if (value is not { } v)
        {
            Int32Raw(-1);
            return;
        }

        var text = Math.Abs(v).ToString(CultureInfo.InvariantCulture);
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var integer = point < 0 ? text : text[..point];
        var fraction = point < 0 ? "" : text[(point + 1)..];
        var scale = (short)fraction.Length;
        integer = integer.TrimStart('0');
        integer = new string('0', (4 - (integer.Length % 4)) % 4) + integer;
        fraction = fraction.TrimEnd('0');
        fraction += new string('0', (4 - (fraction.Length % 4)) % 4);
        var digits = new List<short>();
        for (var i = 0; i < integer.Length; i += 4)
        {
            digits.Add(short.Parse(integer.AsSpan(i, 4), CultureInfo.InvariantCulture));
        }

        var weight = (short)(digits.Count - 1);
        for (var i = 0; i < fraction.Length; i += 4)
        {
            digits.Add(short.Parse(fraction.AsSpan(i, 4), CultureInfo.InvariantCulture));
        }

        // Leading zero groups lower the weight; trailing ones are dropped.
        var leading = 0;
        while (leading < digits.Count && digits[leading] == 0)
        {
            leading++;
            weight--;
        }

        var count = digits.Count - leading;
        while (count > 0 && digits[leading + count - 1] == 0)
        {
            count--;
        }

        if (count == 0)
        {
            weight = 0;
        }

        Room(4 + 8 + (2 * count));
        Int32Raw(8 + (2 * count));
        Int16Raw((short)count);
        Int16Raw(weight);
        Int16Raw(v < 0 && count > 0 ? (short)0x4000 : (short)0);
        Int16Raw(scale);
        for (var i = 0; i < count; i++)
        {
            Int16Raw(digits[leading + i]);
        }
    }

    public void End()
    {
        BinaryPrimitives.WriteInt16BigEndian(buffer.AsSpan(length), -1);
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
        BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(length), value);
        length += 4;
    }

    private void Int16Raw(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(buffer.AsSpan(length), value);
        length += 2;
    }
}

/// <summary>Enum names as UTF-8, indexed by value (these enums number their members from zero).</summary>
internal static class EnumUtf8<T> where T : struct, Enum
{
    public static readonly byte[][] Names = Enum.GetValues<T>().OrderBy(v => Convert.ToInt32(v, CultureInfo.InvariantCulture))
        .Select((v, i) => Convert.ToInt32(v, CultureInfo.InvariantCulture) == i ? Encoding.UTF8.GetBytes(v.ToString()) : throw new InvalidOperationException($"{typeof(T).Name} must number its members from zero."))
        .ToArray();

    public static ReadOnlySpan<byte> Of(T value) => Names[System.Runtime.CompilerServices.Unsafe.As<T, int>(ref value)];
}
