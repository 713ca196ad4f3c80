using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Collections;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.UseCases.Demo;

/// <summary>What one piece of batch work left behind: whether it finished, what it did twice and what it failed to do.</summary>
public sealed record WorkCheck(bool Completed, int Duplicates, int Losses, string Detail)
{
    public bool Clean => Completed && Duplicates == 0 && Losses == 0;
}

/// <summary>ACH debits a return file can answer: the debit file's text and the trace numbers of entries not yet returned.</summary>
public sealed record ReturnableAch(string DebitFile, DateOnly SettlementDate, IReadOnlyList<string> TraceNumbers);

/// <summary>
/// What <c>opencis bench crash</c> reads after a killed and re-run piece of batch work, to count what was posted twice
/// and what was lost: a billing run's accounts, a lockbox file's items, a return file's traces, a collections run's
/// chunks and events. It only reads; the work itself runs through the ordinary commands in a child process.
/// </summary>
public sealed class CrashAudit(OpenCisDbContext db, DatabaseSummary summary)
{
    /// <summary>
    /// Everything the harness's work can add, as one comparable text: what a file import can add (postings, GL
    /// entries, open items, payments, suspense, returns), and bills, billing exceptions and collection events. Work
    /// run again after it completed must leave it unchanged.
    /// </summary>
    public async Task<string> FingerprintAsync(CancellationToken cancellationToken) =>
        string.Join(",", await summary.ImportFingerprintAsync(cancellationToken),
            await db.Bills.LongCountAsync(cancellationToken),
            await db.BillingExceptions.LongCountAsync(cancellationToken),
            await db.CollectionEvents.LongCountAsync(cancellationToken));

    /// <summary>
    /// The fingerprint and how far batch work has got: runs started, chunks committed, files begun. A kill that leaves
    /// this as it was landed before the work did anything.
    /// </summary>
    public async Task<string> ProgressAsync(CancellationToken cancellationToken)
    {
        var parts = new long[]
        {
            await db.BillingRuns.LongCountAsync(cancellationToken),
            await db.BillingRunChunks.LongCountAsync(c => c.Status == BillingChunkStatus.Done, cancellationToken),
            await db.CollectionRuns.LongCountAsync(cancellationToken),
            await db.CollectionRunChunks.LongCountAsync(c => c.Status == BillingChunkStatus.Done, cancellationToken),
            await db.ImportedFiles.LongCountAsync(cancellationToken),
            await db.ImportedFileChunks.LongCountAsync(cancellationToken),
        };
        return $"{await FingerprintAsync(cancellationToken)};{string.Join(",", parts)}";
    }

    /// <summary>The cycles billed at least once, each with the date of its last run.</summary>
    public async Task<IReadOnlyList<(string Cycle, DateOnly LastRun)>> BilledCyclesAsync(CancellationToken cancellationToken)
    {
        var runs = await db.BillingRuns.AsNoTracking().GroupBy(r => r.CycleCode)
            .Select(g => new { Cycle = g.Key, Last = g.Max(r => r.BusinessDate) }).ToListAsync(cancellationToken);
        return [.. runs.OrderBy(r => r.Cycle, StringComparer.Ordinal).Select(r => (r.Cycle, r.Last))];
    }

    /// <summary>
    /// A billing run: completed, each account its chunks selected billed or listed as an exception once (a bill and an
    /// exception for one account count as a duplicate), and the run's own totals equal to what is on file.
    /// </summary>
    public async Task<WorkCheck> BillingRunAsync(string cycle, DateOnly businessDate, CancellationToken cancellationToken)
    {
        var run = await db.BillingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.CycleCode == cycle && r.BusinessDate == businessDate, cancellationToken);
        if (run is null)
        {
            return new WorkCheck(false, 0, 0, $"no billing run of cycle {cycle} on {businessDate:yyyy-MM-dd}");
        }

        var chunks = await db.BillingRunChunks.AsNoTracking().Where(c => c.BillingRunId == run.Id).ToListAsync(cancellationToken);
        var billed = await db.Bills.AsNoTracking().Where(b => b.BillingRunId == run.Id).Select(b => b.AccountId).ToListAsync(cancellationToken);
        var excepted = await db.BillingExceptions.AsNoTracking().Where(x => x.BillingRunId == run.Id).Select(x => x.AccountId).ToListAsync(cancellationToken);
        var decided = billed.Concat(excepted).ToList();
        var duplicates = decided.Count - decided.Distinct().Count();
        var expected = chunks.Sum(c => c.AccountCount);
        var losses = Math.Max(0, expected - decided.Distinct().Count());
        var completed = run.Status == BillingRunStatus.Completed && chunks.All(c => c.Status == BillingChunkStatus.Done);
        if (completed && (run.BillsCreated != billed.Count || run.ExceptionCount != excepted.Count))
        {
            duplicates += Math.Max(0, billed.Count - run.BillsCreated) + Math.Max(0, excepted.Count - run.ExceptionCount);
            losses += Math.Max(0, run.BillsCreated - billed.Count) + Math.Max(0, run.ExceptionCount - excepted.Count);
        }

        return new WorkCheck(completed, duplicates, losses,
            $"billing run #{run.Id} {run.Status}: {expected} accounts selected, {billed.Count} bills, {excepted.Count} exceptions");
    }

    /// <summary>A lockbox file: each item, known by its bank reference, posted as one payment or held in suspense once.</summary>
    public async Task<WorkCheck> LockboxFileAsync(string sha256, IReadOnlyList<string> references, CancellationToken cancellationToken)
    {
        var kind = ImportLockbox.KindOf(LockboxFormat.Bai2);
        var file = await db.ImportedFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Kind == kind && f.Sha256 == sha256, cancellationToken);
        if (file is null)
        {
            return new WorkCheck(false, 0, references.Count, "the lockbox file is not on file");
        }

        var posted = await db.Payments.AsNoTracking().Where(p => p.ImportedFileId == file.Id).Select(p => p.Reference).ToListAsync(cancellationToken);
        var held = await db.SuspenseItems.AsNoTracking().Where(s => s.ImportedFileId == file.Id).Select(s => s.Reference).ToListAsync(cancellationToken);
        var counts = posted.Concat(held).GroupBy(r => r ?? "", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var duplicates = references.Sum(r => Math.Max(0, counts.GetValueOrDefault(r) - 1));
        var losses = references.Count(r => counts.GetValueOrDefault(r) == 0);
        var strangers = counts.Keys.Count(k => !references.Contains(k, StringComparer.Ordinal));
        return new WorkCheck(file.RecordCount > 0 || posted.Count + held.Count > 0, duplicates + strangers, losses,
            $"lockbox file #{file.Id}: {references.Count} items, {posted.Count} payments, {held.Count} in suspense");
    }

    /// <summary>
    /// Entries of the latest ACH debit file that still has some not returned: debits with a payment, that payment not
    /// returned at the counter either. Null when no debit file has <paramref name="count"/> such entries.
    /// </summary>
    public async Task<ReturnableAch?> ReturnableAchAsync(int count, CancellationToken cancellationToken)
    {
        var files = await db.AchFiles.AsNoTracking().Where(f => f.EntryCount > 0).OrderByDescending(f => f.Id)
            .Select(f => new { f.Id, f.SettlementDate }).Take(24).ToListAsync(cancellationToken);
        foreach (var file in files)
        {
            var traces = await db.AchEntries.AsNoTracking()
                .Where(e => e.AchFileId == file.Id && !e.IsPrenote && e.AmountCents > 0 && e.PaymentId != null
                    && !db.AchReturns.Any(r => r.AchEntryId == e.Id)
                    && !db.PaymentReturns.Any(r => r.PaymentId == e.PaymentId))
                .OrderBy(e => e.TraceSequence).Select(e => e.TraceNumber).Take(count).ToListAsync(cancellationToken);
            if (traces.Count == count)
            {
                var content = await db.AchFiles.AsNoTracking().Where(f => f.Id == file.Id).Select(f => f.Content).SingleAsync(cancellationToken);
                return new ReturnableAch(content, file.SettlementDate, traces);
            }
        }

        return null;
    }

    /// <summary>The settlement date of the latest ACH debit file, or null when none was generated.</summary>
    public async Task<DateOnly?> LastAchSettlementAsync(CancellationToken cancellationToken) =>
        await db.AchFiles.AsNoTracking().OrderByDescending(f => f.SettlementDate).Select(f => (DateOnly?)f.SettlementDate).FirstOrDefaultAsync(cancellationToken);

    /// <summary>A return file's traces: each returned once, its payment reversed by a transaction of its own.</summary>
    public async Task<WorkCheck> AchReturnsAsync(IReadOnlyList<string> traceNumbers, CancellationToken cancellationToken)
    {
        var returns = await db.AchReturns.AsNoTracking()
            .Join(db.AchEntries.Where(e => traceNumbers.Contains(e.TraceNumber)), r => r.AchEntryId, e => e.Id, (r, e) => new { e.TraceNumber, r.ReversalTransactionId })
            .ToListAsync(cancellationToken);
        var counts = returns.GroupBy(r => r.TraceNumber, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var duplicates = counts.Values.Sum(c => c - 1) + returns.Where(r => r.ReversalTransactionId != null).GroupBy(r => r.ReversalTransactionId).Sum(g => g.Count() - 1);
        var losses = traceNumbers.Count(t => !counts.ContainsKey(t)) + returns.Count(r => r.ReversalTransactionId is null);
        return new WorkCheck(counts.Count > 0, duplicates, losses, $"{traceNumbers.Count} traces returned, {returns.Count} returns on file");
    }

    /// <summary>The day after the last collections run, or null when none has run.</summary>
    public async Task<DateOnly?> NextCollectionsDateAsync(CancellationToken cancellationToken) =>
        (await db.CollectionRuns.AsNoTracking().OrderByDescending(r => r.BusinessDate).Select(r => (DateOnly?)r.BusinessDate).FirstOrDefaultAsync(cancellationToken))?.AddDays(1);

    /// <summary>
    /// A collections run: completed with every chunk done and the chunks covering the accounts it selected; no account
    /// given the same action on the same step and bill twice; every late charge and door hanger fee posted once.
    /// </summary>
    public async Task<WorkCheck> CollectionRunAsync(DateOnly businessDate, CancellationToken cancellationToken)
    {
        var run = await db.CollectionRuns.AsNoTracking().SingleOrDefaultAsync(r => r.BusinessDate == businessDate, cancellationToken);
        if (run is null)
        {
            return new WorkCheck(false, 0, 0, $"no collections run on {businessDate:yyyy-MM-dd}");
        }

        var chunks = await db.CollectionRunChunks.AsNoTracking().Where(c => c.CollectionRunId == run.Id).ToListAsync(cancellationToken);
        var events = await db.CollectionEvents.AsNoTracking().Where(e => e.CollectionRunId == run.Id)
            .Select(e => new { e.AccountId, e.Action, e.Step, e.BillReference, e.AmountCents, e.FinancialTransactionId }).ToListAsync(cancellationToken);
        var duplicates = events.Count - events.Select(e => (e.AccountId, e.Action, e.Step, e.BillReference)).Distinct().Count();
        var fees = events.Where(e => e.Action is CollectionAction.LateCharge or CollectionAction.DoorHanger && e.AmountCents > 0).ToList();
        duplicates += fees.Where(e => e.FinancialTransactionId != null).GroupBy(e => e.FinancialTransactionId).Sum(g => g.Count() - 1);
        var losses = fees.Count(e => e.FinancialTransactionId is null) + Math.Max(0, run.AccountsSelected - chunks.Sum(c => c.AccountCount));
        var lateCharges = events.Count(e => e.Action == CollectionAction.LateCharge);
        var completed = run.Status == CollectionRunStatus.Completed && chunks.All(c => c.Status == BillingChunkStatus.Done);
        if (completed && run.LateCharges != lateCharges)
        {
            duplicates += Math.Max(0, lateCharges - run.LateCharges);
            losses += Math.Max(0, run.LateCharges - lateCharges);
        }

        return new WorkCheck(completed, duplicates, losses,
            $"collections run #{run.Id} {run.Status}: {run.AccountsSelected} accounts selected, {events.Count} events, {lateCharges} late charges");
    }
}
