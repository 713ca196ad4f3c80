using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Metering;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage;
using OpenCIS.Storage.Metering;

namespace OpenCIS.UseCases.Metering;

public sealed record RevalidationOutcome(int Checked, int Changed, int Valid, int Suspect, int Rejected, string Message);

/// <summary>
/// Runs validation again over the unreviewed reads of a cycle's read window for a business date,
/// as a clerk does before billing (after thresholds change, or after an earlier read was corrected).
/// Reviewed and estimated reads keep their status.
/// </summary>
public sealed class RevalidateReads(OpenCisDbContext db, ReadValidator validator, TimeProvider clock)
{
    public async Task<RevalidationOutcome> ExecuteAsync(string cycleCode, DateOnly businessDate, string user, CancellationToken cancellationToken = default)
    {
        var cycle = await db.BillingCycles.AsNoTracking().SingleOrDefaultAsync(c => c.Code == cycleCode, cancellationToken)
            ?? throw new Core.Common.DomainException($"There is no billing cycle '{cycleCode}'.", "cycle");
        var windowStart = businessDate.AddDays(-cycle.ReadWindowDays + 1);
        var servicePoints = db.ServiceAgreements.Where(a => a.EndedOn == null)
            .Join(db.Accounts.Where(a => a.CycleCode == cycleCode), a => a.AccountId, a => a.Id, (sa, a) => sa.ServicePointId);
        var reads = await db.Reads
            .Where(r => r.ReadOn >= windowStart && r.ReadOn <= businessDate && r.ReviewedBy == null && r.Source != ReadSource.Estimate
                && (r.Status == ReadStatus.Valid || r.Status == ReadStatus.Suspect || r.Status == ReadStatus.Rejected)
                && servicePoints.Contains(r.ServicePointId))
            .ToListAsync(cancellationToken);
        var meterIds = reads.Select(r => r.MeterId).Distinct().ToList();
        var meters = await db.Meters.AsNoTracking().Where(m => meterIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
        var byId = reads.ToDictionary(r => r.Id);
        var toJudge = reads.Select(read => new ReadToJudge(meters[read.MeterId], read.ServicePointId, read.ReadOn, read.Reading, read.Flags, read.Source, read.Id)).ToList();
        var verdicts = await validator.JudgeAsync(toJudge, byId.Keys, cancellationToken);
        var changed = 0;
        foreach (var (judged, verdict) in verdicts)
        {
            var read = byId[judged.ReadId];
            if (read.Revalidate(verdict))
            {
                changed++;
                AuditLog.Record(db, clock.GetUtcNow(), user, "MeterRead", read.Id, null, "Revalidate read", null, new { read.Status, read.Reasons }, $"Validation run for cycle {cycleCode} on {businessDate:yyyy-MM-dd}");
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        var valid = verdicts.Count(v => v.Verdict.Status == ReadStatus.Valid);
        var suspect = verdicts.Count(v => v.Verdict.Status == ReadStatus.Suspect);
        var rejected = verdicts.Count(v => v.Verdict.Status == ReadStatus.Rejected);
        return new RevalidationOutcome(reads.Count, changed, valid, suspect, rejected,
            $"Validated {reads.Count:N0} unreviewed reads of cycle {cycleCode} from {windowStart:yyyy-MM-dd} to {businessDate:yyyy-MM-dd}: {valid:N0} valid, {suspect:N0} suspect, {rejected:N0} rejected; {changed:N0} changed status.");
    }
}
