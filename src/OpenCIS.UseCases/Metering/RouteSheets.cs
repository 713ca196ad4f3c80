using OpenCIS.Core.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Metering;
using OpenCIS.Storage;
using OpenCIS.Storage.Metering;
using OpenCIS.Storage.Customers;

namespace OpenCIS.UseCases.Metering;

/// <summary>One stop on a reading route: the meter, where it is, its last billable read and the range expected now.</summary>
public sealed record RouteStop(
    int Sequence,
    string RouteCode,
    string AccountNumber,
    string ServiceAddress,
    long ServicePointId,
    string MeterSerial,
    int Dials,
    string Unit,
    long? LastReading,
    DateOnly? LastReadOn,
    long? ExpectedLow,
    long? ExpectedHigh);

/// <summary>
/// The reads of a route in route order: for the read sheet or handheld file, and for the route
/// read-entry screen, which shows the expected range beside each meter. The range is the last read
/// plus the average daily use times the days since, within the validation thresholds, so a reader
/// sees at once what validation would flag.
/// </summary>
public sealed class RouteSheets(OpenCisDbContext db, BusinessCalendar calendar)
{
    public const int MaximumStops = 20_000;

    public async Task<IReadOnlyList<string>> RoutesAsync(string? cycleCode, CancellationToken cancellationToken = default) =>
        await db.Accounts.Where(a => a.RouteCode != null && (cycleCode == null || a.CycleCode == cycleCode)).Select(a => a.RouteCode!).Distinct().OrderBy(r => r).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<RouteStop>> StopsAsync(string routeCode, DateOnly? readOn = null, CancellationToken cancellationToken = default)
    {
        var day = readOn ?? calendar.Today();
        var stops = await db.Accounts.AsNoTracking()
            .Where(a => a.RouteCode == routeCode && a.Status == AccountStatus.Active)
            .Join(db.Premises, a => a.PremiseId, p => p.Id, (a, p) => new { a.Id, a.AccountNumber, a.RouteSequence, Address = p.AddressLine1 })
            .Join(db.ServiceAgreements.Where(sa => sa.EndedOn == null), x => x.Id, sa => sa.AccountId, (x, sa) => new { x.AccountNumber, x.RouteSequence, x.Address, sa.ServicePointId })
            .Join(db.Meters.Where(m => m.Status == MeterStatus.Installed), x => x.ServicePointId, m => m.ServicePointId, (x, m) => new { x.AccountNumber, x.RouteSequence, x.Address, x.ServicePointId, Meter = m })
            .OrderBy(x => x.RouteSequence).ThenBy(x => x.Meter.Serial)
            .Take(MaximumStops)
            .ToListAsync(cancellationToken);
        var meterIds = stops.Select(s => s.Meter.Id).ToList();
        var since = day.AddDays(-ReadValidator.HistoryDays);
        var history = (await db.Reads.AsNoTracking()
                .Where(r => meterIds.Contains(r.MeterId) && r.ReadOn >= since && r.ReadOn <= day && ReadStatuses.Billable.Contains(r.Status))
                .Select(r => new { r.MeterId, r.ReadOn, r.Reading }).ToListAsync(cancellationToken))
            .ToLookup(r => r.MeterId);
        var thresholds = ValidationThresholds.Default;
        return stops.Select(stop =>
        {
            var reads = history[stop.Meter.Id].OrderBy(r => r.ReadOn).ToList();
            var last = reads.LastOrDefault();
            long? low = null, high = null;
            if (last is not null && reads.Count >= 2)
            {
                var usage = ConsumptionCalculator.Calculate(stop.Meter.Register, reads[0].Reading, last.Reading).Usage;
                var days = last.ReadOn.DayNumber - reads[0].ReadOn.DayNumber;
                var sinceLast = day.DayNumber - last.ReadOn.DayNumber;
                if (usage is not null && days > 0 && sinceLast > 0)
                {
                    // Total use over the history may wrap several times; this is only a guide for the reader.
                    var daily = usage.Value.Value / days / stop.Meter.Multiplier;
                    var maximum = MeterRegister.MaximumFor(stop.Meter.Dials);
                    low = (last.Reading + (long)(daily * sinceLast * thresholds.LowFactor)) % maximum;
                    high = (last.Reading + (long)Math.Ceiling(daily * sinceLast * thresholds.HighFactor)) % maximum;
                }
            }

            return new RouteStop(stop.RouteSequence, routeCode, stop.AccountNumber, stop.Address, stop.ServicePointId, stop.Meter.Serial, stop.Meter.Dials,
                Core.Common.UnitConversion.Abbreviation(stop.Meter.Unit), last?.Reading, last?.ReadOn, low, high);
        }).ToList();
    }

    /// <summary>The route as a CSV read sheet whose columns the read import accepts back (fill in read and read_time).</summary>
    public static string ToCsv(IReadOnlyList<RouteStop> stops)
    {
        var builder = new StringBuilder("route,sequence,account,service_address,service_point,meter,dials,unit,last_read,last_read_on,expected_low,expected_high,read,read_time\n");
        foreach (var s in stops)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{Csv.Field(s.RouteCode)},{s.Sequence},{s.AccountNumber},{Csv.Field(s.ServiceAddress)},{s.ServicePointId},{s.MeterSerial},{s.Dials},{s.Unit},{s.LastReading},{s.LastReadOn:yyyy-MM-dd},{s.ExpectedLow},{s.ExpectedHigh},,\n");
        }

        return builder.ToString();
    }
}
