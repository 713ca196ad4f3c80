using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Metering;
using OpenCIS.Data.Billing;
using OpenCIS.Data.Customers;
using OpenCIS.Data.Storage;

namespace OpenCIS.Data.Metering;

/// <summary>A read about to be judged: which meter, when, what it says.</summary>
public sealed record ReadToJudge(Meter Meter, long ServicePointId, DateOnly ReadOn, long Reading, DeviceFlags Flags, ReadSource Source);

/// <summary>
/// Loads, in a few queries, what validation needs to judge a batch of reads (each meter's recent
/// reads, its service point's state and its cycle's read window), then judges every read with the
/// core <see cref="ReadValidation"/>. Reads of one meter are judged in date order, each becoming the
/// prior read of the next when it is billable.
/// </summary>
public sealed class ReadValidator(OpenCisDbContext db)
{
    /// <summary>How far back history is read to find the prior read and the average daily use.</summary>
    public const int HistoryDays = 400;

    public ValidationThresholds Thresholds { get; init; } = ValidationThresholds.Default;

    public async Task<IReadOnlyList<(ReadToJudge Read, ReadVerdict Verdict)>> JudgeAsync(IReadOnlyList<ReadToJudge> reads, IReadOnlyCollection<long>? excludeReadIds = null, CancellationToken cancellationToken = default)
    {
        if (reads.Count == 0)
        {
            return [];
        }

        var meterIds = reads.Select(r => r.Meter.Id).Distinct().ToList();
        var servicePointIds = reads.Select(r => r.ServicePointId).Distinct().ToList();
        var since = reads.Min(r => r.ReadOn).AddDays(-HistoryDays);
        var history = (await db.Reads.AsNoTracking()
                .Where(r => meterIds.Contains(r.MeterId) && r.ReadOn >= since)
                .Select(r => new { r.Id, r.MeterId, r.ReadOn, r.Reading, r.Status, r.Source })
                .ToListAsync(cancellationToken))
            .Where(r => excludeReadIds is null || !excludeReadIds.Contains(r.Id))
            .GroupBy(r => r.MeterId)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.ReadOn).Select(r => new HistoryRead(r.ReadOn, r.Reading, r.Status, r.Source)).ToList());
        var states = await db.ServicePoints.AsNoTracking().Where(p => servicePointIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.State, cancellationToken);
        var cycles = (await db.ServiceAgreements.AsNoTracking()
                .Where(a => servicePointIds.Contains(a.ServicePointId) && a.EndedOn == null)
                .Join(db.Accounts, a => a.AccountId, account => account.Id, (a, account) => new { a.ServicePointId, account.CycleCode })
                .Join(db.BillingCycles, x => x.CycleCode, c => c.Code, (x, c) => new { x.ServicePointId, c.ReadDayOfMonth, c.ReadWindowDays })
                .ToListAsync(cancellationToken))
            .GroupBy(x => x.ServicePointId)
            .ToDictionary(g => g.Key, g => (g.First().ReadDayOfMonth, g.First().ReadWindowDays));

        var results = new List<(ReadToJudge, ReadVerdict)>(reads.Count);
        foreach (var read in reads.OrderBy(r => r.Meter.Id).ThenBy(r => r.ReadOn))
        {
            var past = history.TryGetValue(read.Meter.Id, out var list) ? list : history[read.Meter.Id] = [];
            var billable = past.Where(h => h.ReadOn < read.ReadOn && IsBillable(h.Status)).ToList();
            var prior = billable.LastOrDefault();
            var duplicate = past.Any(h => h.ReadOn == read.ReadOn && h.Status != ReadStatus.Rejected);
            var consecutiveEstimates = billable.AsEnumerable().Reverse().TakeWhile(h => h.Source == ReadSource.Estimate).Count();
            var window = cycles.TryGetValue(read.ServicePointId, out var cycle) ? ReadWindow(read.ReadOn, cycle.ReadDayOfMonth, cycle.ReadWindowDays) : ((DateOnly, DateOnly)?)null;
            var candidate = new ReadCandidate(
                read.Meter.Register,
                read.Reading,
                read.ReadOn,
                read.Flags,
                prior is null ? null : new PriorRead(prior.Reading, prior.ReadOn),
                states.GetValueOrDefault(read.ServicePointId, ServicePointState.ActiveOccupied),
                AverageDailyUse(read.Meter, billable),
                consecutiveEstimates,
                window?.Item1,
                window?.Item2,
                duplicate,
                read.Meter.SetOn);
            var verdict = ReadValidation.Judge(candidate, Thresholds);
            results.Add((read, verdict));
            past.Add(new HistoryRead(read.ReadOn, read.Reading, verdict.Status, read.Source));
            past.Sort((a, b) => a.ReadOn.CompareTo(b.ReadOn));
        }

        return results;
    }

    /// <summary>
    /// A cycle is read around its read day: a read is in the window from <paramref name="windowDays"/>
    /// days before the nearest scheduled read day to two days after it.
    /// </summary>
    public static (DateOnly Start, DateOnly End) ReadWindow(DateOnly readOn, int readDayOfMonth, int windowDays)
    {
        DateOnly Scheduled(DateOnly month) => new(month.Year, month.Month, Math.Min(readDayOfMonth, DateTime.DaysInMonth(month.Year, month.Month)));
        var first = new DateOnly(readOn.Year, readOn.Month, 1);
        var nearest = new[] { Scheduled(first.AddMonths(-1)), Scheduled(first), Scheduled(first.AddMonths(1)) }
            .OrderBy(d => Math.Abs(d.DayNumber - readOn.DayNumber)).First();
        return (nearest.AddDays(-windowDays + 1), nearest.AddDays(2));
    }

    private static bool IsBillable(ReadStatus status) => status is ReadStatus.Valid or ReadStatus.Estimated or ReadStatus.Overridden;

    /// <summary>Average daily use over the meter's billable reads of the last year, or none if there is too little history.</summary>
    private static decimal? AverageDailyUse(Meter meter, List<HistoryRead> billable)
    {
        if (billable.Count < 2)
        {
            return null;
        }

        decimal total = 0m;
        for (var i = 1; i < billable.Count; i++)
        {
            var usage = ConsumptionCalculator.Calculate(meter.Register, billable[i - 1].Reading, billable[i].Reading).Usage;
            if (usage is null)
            {
                return null;
            }

            total += usage.Value.Value;
        }

        var days = billable[^1].ReadOn.DayNumber - billable[0].ReadOn.DayNumber;
        return days >= 20 ? total / days : null;
    }

    private sealed record HistoryRead(DateOnly ReadOn, long Reading, ReadStatus Status, ReadSource Source);
}
