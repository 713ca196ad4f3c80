using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Metering;
using OpenCIS.Storage;
using OpenCIS.Storage.Metering;

namespace OpenCIS.UseCases.Metering;

public sealed record WorklistEntry(string Kind, string Rule, string Reason, string AccountNumber, string ServiceAddress, string MeterSerial, long ServicePointId);

/// <summary>
/// The tampering and defective-meter worklists: every metered service point's last year of
/// billable reads, examined by the core <see cref="Detection"/> rules. Service points are read in
/// chunks with a fixed number of queries each, so the whole city is examined without a query per meter.
/// </summary>
public sealed class DetectionWorklists(OpenCisDbContext db, BusinessCalendar calendar)
{
    private const int ChunkSize = 2_000;

    public async Task<IReadOnlyList<WorklistEntry>> BuildAsync(WorklistKind? kind = null, CancellationToken cancellationToken = default)
    {
        var since = calendar.Today().AddDays(-ReadValidator.HistoryDays);
        var points = await db.Meters.AsNoTracking().Where(m => m.Status == MeterStatus.Installed && m.ServicePointId != null)
            .Join(db.ServicePoints, m => m.ServicePointId, p => p.Id, (m, p) => new { Meter = m, p.State, p.PremiseId })
            .Join(db.ServiceAgreements.Where(a => a.EndedOn == null), x => x.Meter.ServicePointId, a => a.ServicePointId, (x, a) => new { x.Meter, x.State, x.PremiseId, a.AccountId })
            .Join(db.Accounts, x => x.AccountId, a => a.Id, (x, a) => new { x.Meter, x.State, x.PremiseId, x.AccountId, a.AccountNumber })
            .Join(db.Premises, x => x.PremiseId, p => p.Id, (x, p) => new { x.Meter, x.State, x.AccountId, x.AccountNumber, p.AddressLine1 })
            .OrderBy(x => x.AccountNumber)
            .ToListAsync(cancellationToken);
        var entries = new List<WorklistEntry>();
        foreach (var chunk in points.Chunk(ChunkSize))
        {
            var meterIds = chunk.Select(x => x.Meter.Id).ToList();
            var pointIds = chunk.Select(x => x.Meter.ServicePointId!.Value).ToList();
            var removals = (await db.MeterEvents.AsNoTracking()
                    .Where(e => e.Kind == MeterEventKind.Removed && e.ServicePointId != null && pointIds.Contains(e.ServicePointId.Value) && e.OccurredOn >= since)
                    .ToListAsync(cancellationToken))
                .GroupBy(e => e.ServicePointId!.Value).ToDictionary(g => g.Key, g => g.MaxBy(e => e.OccurredOn)!);
            var removedIds = removals.Values.Select(e => e.MeterId).ToList();
            var removedMeters = await db.Meters.AsNoTracking().Where(m => removedIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
            var allIds = meterIds.Concat(removedIds).ToList();
            // When the field cut service: use read before that day was use while the service was on.
            var accountIds = chunk.Select(x => x.AccountId).Distinct().ToList();
            var disconnectedOn = (await db.ServiceOrders.AsNoTracking()
                    .Where(o => o.Kind == Storage.ServiceOrders.ServiceOrderKind.DisconnectForNonPayment && o.Status == Storage.ServiceOrders.ServiceOrderStatus.Completed
                        && o.Result == Storage.ServiceOrders.ServiceOrderResult.Disconnected && o.AccountId != null && accountIds.Contains(o.AccountId.Value))
                    .Select(o => new { AccountId = o.AccountId!.Value, o.CompletedOn })
                    .ToListAsync(cancellationToken))
                .GroupBy(o => o.AccountId).ToDictionary(g => g.Key, g => g.Max(o => o.CompletedOn));
            var reads = (await db.Reads.AsNoTracking()
                    .Where(r => allIds.Contains(r.MeterId) && r.ReadOn >= since && ReadStatuses.Billable.Contains(r.Status))
                    .Select(r => new { r.MeterId, r.ReadOn, r.Reading, r.Flags })
                    .ToListAsync(cancellationToken))
                .ToLookup(r => r.MeterId);

            foreach (var point in chunk)
            {
                var history = reads[point.Meter.Id].OrderBy(r => r.ReadOn).Select(r => new HistoryPoint(r.ReadOn, r.Reading, r.Flags)).ToImmutableArray();
                DateOnly? removedOn = null;
                decimal? dailyBefore = null;
                if (removals.TryGetValue(point.Meter.ServicePointId!.Value, out var removal) && removedMeters.TryGetValue(removal.MeterId, out var old))
                {
                    removedOn = removal.OccurredOn;
                    var oldReads = reads[old.Id].OrderBy(r => r.ReadOn).ToList();
                    if (oldReads.Count >= 2 && ConsumptionCalculator.Calculate(old.Register, oldReads[0].Reading, oldReads[^1].Reading).Usage is { } usage)
                    {
                        var days = oldReads[^1].ReadOn.DayNumber - oldReads[0].ReadOn.DayNumber;
                        dailyBefore = days > 0 ? usage.Value / days : null;
                    }
                }

                var state = point.State == ServicePointState.Disconnected && history.Length > 0
                    && disconnectedOn.GetValueOrDefault(point.AccountId) is { } cutOn && cutOn >= history[^1].ReadOn
                    ? ServicePointState.ActiveOccupied
                    : point.State;
                var findings = Detection.Examine(new DetectionInput(point.Meter.Register, state, point.Meter.SetOn, removedOn, dailyBefore, history));
                entries.AddRange(findings.Where(f => kind is null || f.Kind == kind)
                    .Select(f => new WorklistEntry(f.Kind.ToString(), f.Rule, f.Reason, point.AccountNumber, point.AddressLine1, point.Meter.Serial, point.Meter.ServicePointId!.Value)));
            }
        }

        return entries;
    }
}
