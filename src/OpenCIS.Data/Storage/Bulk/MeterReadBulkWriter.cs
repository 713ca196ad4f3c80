using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
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
        // One prepared statement, bound and stepped per row. (Multi-row VALUES lists were tried and are far
        // slower here: SQLite looks each named parameter up by name, so binding grows with the square of the row count.)
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO meter_reads ({Columns}) VALUES ($meter, $point, $on, $reading, $source, $status, $flags, $reasons, $estimate, $at, $by, $reviewedBy, $reviewedAt, $file)";
        var meter = command.Parameters.Add("$meter", SqliteType.Integer);
        var point = command.Parameters.Add("$point", SqliteType.Integer);
        var on = command.Parameters.Add("$on", SqliteType.Text);
        var reading = command.Parameters.Add("$reading", SqliteType.Integer);
        var source = command.Parameters.Add("$source", SqliteType.Text);
        var status = command.Parameters.Add("$status", SqliteType.Text);
        var flags = command.Parameters.Add("$flags", SqliteType.Integer);
        var reasons = command.Parameters.Add("$reasons", SqliteType.Text);
        var estimate = command.Parameters.Add("$estimate", SqliteType.Text);
        var at = command.Parameters.Add("$at", SqliteType.Text);
        var by = command.Parameters.Add("$by", SqliteType.Text);
        var reviewedBy = command.Parameters.Add("$reviewedBy", SqliteType.Text);
        var reviewedAt = command.Parameters.Add("$reviewedAt", SqliteType.Text);
        var file = command.Parameters.Add("$file", SqliteType.Integer);
        command.Prepare();
        foreach (var row in rows)
        {
            meter.Value = row.MeterId;
            point.Value = row.ServicePointId;
            on.Value = row.ReadOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            reading.Value = row.Reading;
            source.Value = EnumText(row.Source);
            status.Value = EnumText(row.Status);
            flags.Value = (int)row.Flags;
            reasons.Value = (object?)row.Reasons ?? DBNull.Value;
            estimate.Value = (object?)row.EstimateMethod ?? DBNull.Value;
            at.Value = SqliteTimestamp(row.RecordedAt);
            by.Value = row.RecordedBy;
            reviewedBy.Value = (object?)row.ReviewedBy ?? DBNull.Value;
            reviewedAt.Value = row.ReviewedAt is { } when ? SqliteTimestamp(when) : DBNull.Value;
            file.Value = (object?)row.ImportedFileId ?? DBNull.Value;
            command.ExecuteNonQuery();
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
