using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Metering;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Demo;

/// <summary>A month of reads for the demo city, for benchmarks and tests that bill past the seeded year.</summary>
public static class DemoReads
{
    /// <summary>
    /// A read file (meter, read, read_time) for every installed meter of a cycle's accounts: its last
    /// billable read of the past months (valid, accepted or estimated) plus the use between its last two, read on
    /// <paramref name="readOn"/>.
    /// </summary>
    public static async Task<byte[]> NextMonthAsync(OpenCisDbContext db, string cycle, DateOnly readOn, CancellationToken cancellationToken = default)
    {
        var points = db.ServiceAgreements.Where(a => a.EndedOn == null)
            .Join(db.Accounts.Where(a => a.CycleCode == cycle), sa => sa.AccountId, a => a.Id, (sa, a) => sa.ServicePointId);
        var meters = await db.Meters.AsNoTracking().Where(m => m.Status == MeterStatus.Installed && m.ServicePointId != null && points.Contains(m.ServicePointId.Value))
            .Select(m => new { m.Id, m.Serial, m.Dials }).ToListAsync(cancellationToken);
        var meterIds = meters.Select(m => m.Id).ToList();
        var since = readOn.AddDays(-100);
        // Billable reads, not only valid ones: after an accepted suspect read or an estimate, the next read goes on from it
        // (from an older valid read it would run backwards and be rejected, month after month, until the meter had none).
        var recent = (await db.Reads.AsNoTracking().Where(r => r.ReadOn >= since && ReadStatuses.Billable.Contains(r.Status) && meterIds.Contains(r.MeterId))
                .Select(r => new { r.MeterId, r.ReadOn, r.Reading }).ToListAsync(cancellationToken))
            .GroupBy(r => r.MeterId).ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.ReadOn).Take(2).Select(r => r.Reading).ToList());
        var csv = new StringBuilder("meter,read,read_time\n");
        foreach (var meter in meters.Where(m => recent.ContainsKey(m.Id)))
        {
            var reads = recent[meter.Id];
            var monthly = reads.Count == 2 ? Math.Max(1, reads[0] - reads[1]) : 1;
            csv.Append(meter.Serial).Append(',').Append((reads[0] + monthly) % MeterRegister.MaximumFor(meter.Dials)).Append(',')
                .Append(readOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}
