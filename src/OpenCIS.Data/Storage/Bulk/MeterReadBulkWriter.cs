using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using SQLitePCL;
using NpgsqlTypes;
using OpenCIS.Data.Metering;

namespace OpenCIS.Data.Storage.Bulk;

/// <summary>
/// Writes many meter reads at once, past EF Core: binary COPY on PostgreSQL, one prepared INSERT
/// reused for every row on SQLite. Rows go into the caller's open transaction, so a failure
/// anywhere in a file leaves nothing behind. Column formats are the ones EF Core writes, so EF
/// reads these rows back like any other (a persistence test checks that on both databases).
/// </summary>
public static class MeterReadBulkWriter
{
    private const string Columns = "meter_id, service_point_id, read_on, reading, source, status, flags, reasons, estimate_method, recorded_at, recorded_by, reviewed_by, reviewed_at, imported_file_id";

    public static async Task WriteAsync(OpenCisDbContext db, IReadOnlyList<MeterRead> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk writes need the caller's transaction, so a failed file leaves nothing behind.");
        if (db.Database.IsNpgsql())
        {
            await CopyAsync((NpgsqlConnection)db.Database.GetDbConnection(), rows, cancellationToken);
        }
        else
        {
            Insert((SqliteConnection)db.Database.GetDbConnection(), (SqliteTransaction)transaction, rows);
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<MeterRead> rows, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync($"COPY meter_reads ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        // Rows are written synchronously: an awaited call per field costs more than the field itself.
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            importer.StartRow();
            importer.Write(row.MeterId, NpgsqlDbType.Bigint);
            importer.Write(row.ServicePointId, NpgsqlDbType.Bigint);
            importer.Write(row.ReadOn, NpgsqlDbType.Date);
            importer.Write(row.Reading, NpgsqlDbType.Bigint);
            importer.Write(EnumText(row.Source), NpgsqlDbType.Varchar);
            importer.Write(EnumText(row.Status), NpgsqlDbType.Varchar);
            importer.Write((int)row.Flags, NpgsqlDbType.Integer);
            WriteNullable(importer, row.Reasons, NpgsqlDbType.Text);
            WriteNullable(importer, row.EstimateMethod, NpgsqlDbType.Text);
            importer.Write(row.RecordedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            importer.Write(row.RecordedBy, NpgsqlDbType.Text);
            WriteNullable(importer, row.ReviewedBy, NpgsqlDbType.Text);
            if (row.ReviewedAt is { } reviewedAt)
            {
                importer.Write(reviewedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            }
            else
            {
                importer.WriteNull();
            }

            if (row.ImportedFileId is { } fileId)
            {
                importer.Write(fileId, NpgsqlDbType.Bigint);
            }
            else
            {
                importer.WriteNull();
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private static void WriteNullable(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(value, type);
        }
    }

    private static void Insert(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<MeterRead> rows)
    {
        // One statement, prepared once, bound and stepped per row through SQLite's own API: a profile of
        // the same loop through SqliteCommand spent nine tenths of its time in the wrapper, not in SQLite.
        // The statement runs inside the caller's transaction because it runs on the same connection.
        _ = transaction;
        var handle = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        Check(raw.sqlite3_prepare_v2(handle, $"INSERT INTO meter_reads ({Columns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)", out var statement), handle);
        using (statement)
        {
            foreach (var row in rows)
            {
                raw.sqlite3_bind_int64(statement, 1, row.MeterId);
                raw.sqlite3_bind_int64(statement, 2, row.ServicePointId);
                raw.sqlite3_bind_text(statement, 3, row.ReadOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                raw.sqlite3_bind_int64(statement, 4, row.Reading);
                raw.sqlite3_bind_text(statement, 5, EnumText(row.Source));
                raw.sqlite3_bind_text(statement, 6, EnumText(row.Status));
                raw.sqlite3_bind_int64(statement, 7, (int)row.Flags);
                BindText(statement, 8, row.Reasons);
                BindText(statement, 9, row.EstimateMethod);
                raw.sqlite3_bind_text(statement, 10, SqliteTimestamp(row.RecordedAt));
                raw.sqlite3_bind_text(statement, 11, row.RecordedBy);
                BindText(statement, 12, row.ReviewedBy);
                BindText(statement, 13, row.ReviewedAt is { } when ? SqliteTimestamp(when) : null);
                if (row.ImportedFileId is { } file)
                {
                    raw.sqlite3_bind_int64(statement, 14, file);
                }
                else
                {
                    raw.sqlite3_bind_null(statement, 14);
                }

                var result = raw.sqlite3_step(statement);
                if (result != raw.SQLITE_DONE)
                {
                    Check(result, handle);
                }

                raw.sqlite3_reset(statement);
            }
        }
    }

    private static void BindText(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(statement, index);
        }
        else
        {
            raw.sqlite3_bind_text(statement, index, value);
        }
    }

    private static void Check(int result, sqlite3 handle)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite error {result}: {raw.sqlite3_errmsg(handle).utf8_to_string()}", result);
        }
    }

    private static string EnumText<T>(T value) where T : struct, Enum => EnumNames<T>.Names[value];

    private static class EnumNames<T> where T : struct, Enum
    {
        public static readonly Dictionary<T, string> Names = Enum.GetValues<T>().ToDictionary(v => v, v => v.ToString());
    }

    /// <summary>The text form EF Core's SQLite provider uses for a DateTimeOffset.</summary>
    private static string SqliteTimestamp(DateTimeOffset value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture);
}
