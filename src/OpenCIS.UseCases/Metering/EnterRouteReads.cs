using System.Globalization;
using System.Text;
using OpenCIS.UseCases.Metering.Import;
using OpenCIS.Storage.Metering;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Metering;

public sealed record KeyedRead(string MeterSerial, long Reading);

/// <summary>
/// Reads keyed on the route screen go through the same import as a handheld file: the same checks,
/// the same validation and review queue, and the same protection against posting a sheet twice.
/// </summary>
public sealed class EnterRouteReads(ImportReads import)
{
    public Task<ReadImportOutcome> ExecuteAsync(string routeCode, DateOnly readOn, IReadOnlyList<KeyedRead> reads, string user, CancellationToken cancellationToken = default)
    {
        var csv = new StringBuilder("meter,read,read_time,read_method\n");
        foreach (var read in reads)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{read.MeterSerial},{read.Reading},{readOn:yyyy-MM-dd},handheld\n");
        }

        return import.ExecuteAsync($"route {routeCode} {readOn:yyyy-MM-dd} keyed by {user}", Encoding.UTF8.GetBytes(csv.ToString()), ReadFileFormat.Csv, null, user, cancellationToken);
    }
}
