using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Storage.Metering;

namespace OpenCIS.Storage.Bulk;

/// <summary>One meter's interval day as a head end delivers it: the meter, the interval length, the day, and the file it came in.</summary>
public readonly record struct NewIntervalDay(long MeterId, int IntervalMinutes, IntervalDay Day, long? ImportedFileId);

/// <summary>
/// Writes many new interval days at once, past EF Core (binary COPY on PostgreSQL, prepared many-row INSERTs on SQLite),
/// into the caller's open transaction: a year of AMI days for a city's electric meters, where EF would take minutes. The
/// days must be new; a file that replaces days already kept goes through EF Core (ImportReads).
/// </summary>
public static class IntervalDayBulkWriter
{
    internal static readonly BulkTable<NewIntervalDay> Days = new("interval_days",
        ["meter_id", "day", "unit", "hours", "peak_demand", "peak_minute", "interval_minutes", "imported_file_id"],
        (w, row) =>
        {
            w.Int64(row.MeterId);
            w.Date(row.Day.Day);
            w.Utf8(EnumUtf8<Unit>.Of(row.Day.Unit));
            w.Text(IntervalDayRow.FormatHours(row.Day.Hours));
            w.Decimal(decimal.Round(row.Day.PeakDemand, 6));
            w.Int32(row.Day.PeakMinute);
            w.Int32(row.IntervalMinutes);
            w.Int64(row.ImportedFileId);
        });

    public static async Task WriteAsync(OpenCisDbContext db, IReadOnlyList<NewIntervalDay> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await BulkInsert.WriteAsync(BulkInsert.Open(db).Connection, Days, rows, cancellationToken);
    }
}
