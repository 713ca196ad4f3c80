using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.ServiceOrders;
using OpenCIS.Storage;
using OpenCIS.Storage.Metering;

namespace OpenCIS.UseCases.Metering;

public enum ReviewDecision
{
    /// <summary>The read is right after all: it bills as read.</summary>
    Accept,

    /// <summary>The read was mistyped or misread: a corrected read replaces it.</summary>
    Correct,

    /// <summary>The read cannot be trusted and no new one is coming soon: an estimate replaces it.</summary>
    Estimate,

    /// <summary>Send someone to read the meter again: a re-read service order; nothing bills until the new read.</summary>
    RequestReRead,
}

public sealed record ReviewItem(long ReadId, string AccountNumber, string CycleCode, string MeterSerial, DateOnly ReadOn, long Reading, string Source, string Status, string? Reasons, long? PriorReading, DateOnly? PriorReadOn);

/// <summary>
/// The review queue: suspect and rejected reads that no one has decided yet, and the decisions on
/// them. Every decision records who, when and why on the read and in the audit trail; a correction
/// or estimate is a new read, so the original stays as it came in.
/// </summary>
public sealed class ReviewReads(OpenCisDbContext db, TimeProvider clock)
{
    public const int QueueLimit = 1_000;

    public async Task<IReadOnlyList<ReviewItem>> QueueAsync(string? cycleCode, CancellationToken cancellationToken = default)
    {
        var pending = db.Reads.AsNoTracking().Where(r => (r.Status == ReadStatus.Suspect || r.Status == ReadStatus.Rejected) && r.ReviewedBy == null);
        var rows = await pending
            .Join(db.Meters, r => r.MeterId, m => m.Id, (r, m) => new { r, m.Serial })
            .Join(db.ServiceAgreements.Where(a => a.EndedOn == null), x => x.r.ServicePointId, a => a.ServicePointId, (x, a) => new { x.r, x.Serial, a.AccountId })
            .Join(db.Accounts, x => x.AccountId, a => a.Id, (x, a) => new { x.r, x.Serial, a.AccountNumber, a.CycleCode })
            .Where(x => cycleCode == null || x.CycleCode == cycleCode)
            .OrderBy(x => x.CycleCode).ThenBy(x => x.AccountNumber).ThenBy(x => x.r.ReadOn)
            .Take(QueueLimit)
            .ToListAsync(cancellationToken);
        var meterIds = rows.Select(x => x.r.MeterId).Distinct().ToList();
        var history = (await db.Reads.AsNoTracking()
                .Where(r => meterIds.Contains(r.MeterId) && ReadStatuses.Billable.Contains(r.Status))
                .Select(r => new { r.MeterId, r.ReadOn, r.Reading }).ToListAsync(cancellationToken))
            .ToLookup(r => r.MeterId);
        return rows.Select(x =>
        {
            var prior = history[x.r.MeterId].Where(h => h.ReadOn < x.r.ReadOn).MaxBy(h => h.ReadOn);
            return new ReviewItem(x.r.Id, x.AccountNumber, x.CycleCode, x.Serial, x.r.ReadOn, x.r.Reading, x.r.Source.ToString(), x.r.Status.ToString(), x.r.Reasons, prior?.Reading, prior?.ReadOn);
        }).ToList();
    }

    /// <summary>Decides one or many reads the same way, in one transaction: all of them or none.</summary>
    public async Task<int> DecideAsync(IReadOnlyCollection<long> readIds, ReviewDecision decision, string reason, long? correctedReading, string user, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("Say why: every review decision is recorded with its reason.", "reason");
        }

        if (readIds.Count is 0 or > QueueLimit)
        {
            throw new DomainException($"Choose between 1 and {QueueLimit} reads.", "readIds");
        }

        if (decision == ReviewDecision.Correct && (readIds.Count != 1 || correctedReading is null))
        {
            throw new DomainException("A correction is for one read and needs the corrected reading.", "correctedReading");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var reads = await db.Reads.Where(r => readIds.Contains(r.Id)).ToListAsync(cancellationToken);
        var missing = readIds.Except(reads.Select(r => r.Id)).ToList();
        if (missing.Count > 0)
        {
            throw new DomainException($"There is no read {string.Join(", ", missing)}.", "readIds");
        }

        var now = clock.GetUtcNow();
        var meters = await db.Meters.AsNoTracking().Where(m => reads.Select(r => r.MeterId).Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
        var pointIds = reads.Select(r => r.ServicePointId).Distinct().ToList();
        var accountByPoint = (await db.ServiceAgreements.AsNoTracking().Where(a => pointIds.Contains(a.ServicePointId) && a.EndedOn == null)
                .Select(a => new { a.ServicePointId, a.AccountId }).ToListAsync(cancellationToken))
            .GroupBy(a => a.ServicePointId).ToDictionary(g => g.Key, g => (long?)g.First().AccountId);
        foreach (var read in reads)
        {
            var before = new { read.Status, read.Reading, read.Reasons };
            switch (decision)
            {
                case ReviewDecision.Accept:
                    read.Review(ReadStatus.Overridden, $"Accepted by {user}: {reason}", user, now);
                    break;
                case ReviewDecision.Correct:
                    var meter = meters[read.MeterId];
                    if (correctedReading is not { } corrected || !meter.Register.Fits(corrected))
                    {
                        throw new DomainException($"{correctedReading:N0} does not fit the {meter.Dials} dials of meter {meter.Serial}.", "correctedReading");
                    }

                    read.Review(ReadStatus.Rejected, $"Corrected by {user} to {corrected:N0}: {reason}", user, now);
                    db.Reads.Add(MeterRead.Record(read.MeterId, read.ServicePointId, read.ReadOn, corrected, read.Source,
                        new ReadVerdict(ReadStatus.Overridden, [$"Corrects read {read.Id} ({read.Reading:N0}): {reason}"], null), read.Flags, user, now));
                    break;
                case ReviewDecision.Estimate:
                    var estimate = await EstimateAsync(read, meters[read.MeterId], cancellationToken);
                    read.Review(ReadStatus.Rejected, $"Replaced by an estimate by {user}: {reason}", user, now);
                    db.Reads.Add(MeterRead.Record(read.MeterId, read.ServicePointId, read.ReadOn, estimate.Reading, ReadSource.Estimate,
                        new ReadVerdict(ReadStatus.Estimated, [$"Estimated in place of read {read.Id}: {reason}"], null), DeviceFlags.None, user, now, null, estimate.Method));
                    break;
                case ReviewDecision.RequestReRead:
                    read.Review(ReadStatus.Rejected, $"Re-read requested by {user}: {reason}", user, now);
                    db.ServiceOrders.Add(ServiceOrder.Create(ServiceOrderKind.ReRead, accountByPoint.GetValueOrDefault(read.ServicePointId), null, read.ServicePointId, read.MeterId, 3,
                        DateOnly.FromDateTime(now.UtcDateTime).AddDays(3),
                        $"Re-read meter {meters[read.MeterId].Serial}: read of {read.ReadOn:yyyy-MM-dd} ({read.Reading:N0}) was {before.Status}. {read.Reasons}", user, now));
                    break;
                default:
                    throw new DomainException($"Unknown decision {decision}.", "decision");
            }

            var accountId = accountByPoint.GetValueOrDefault(read.ServicePointId);
            AuditLog.Record(db, now, user, "MeterRead", read.Id, accountId, $"Review read: {decision}", before, new { read.Status, CorrectedReading = correctedReading }, reason);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return reads.Count;
    }

    private async Task<(long Reading, string Method)> EstimateAsync(MeterRead read, Meter meter, CancellationToken cancellationToken)
    {
        var billable = await db.Reads.AsNoTracking()
            .Where(r => r.MeterId == read.MeterId && r.ReadOn < read.ReadOn && ReadStatuses.Billable.Contains(r.Status))
            .OrderBy(r => r.ReadOn).ToListAsync(cancellationToken);
        if (billable.Count == 0)
        {
            throw new DomainException($"Meter {meter.Serial} has no earlier read to estimate from; request a re-read instead.", "decision");
        }

        var history = new List<UsageHistory>();
        for (var i = 1; i < billable.Count; i++)
        {
            if (ConsumptionCalculator.Calculate(meter.Register, billable[i - 1].Reading, billable[i].Reading).Usage is { } usage)
            {
                history.Add(new UsageHistory(billable[i - 1].ReadOn, billable[i].ReadOn, usage.Value));
            }
        }

        var prior = billable[^1];
        var estimate = Estimation.Estimate(history, prior.ReadOn, read.ReadOn, meter.Unit)
            ?? throw new DomainException($"Meter {meter.Serial} has too little history to estimate; request a re-read instead.", "decision");
        return (meter.Register.ReadingAfter(prior.Reading, estimate.Usage), estimate.Method);
    }
}
