using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Bulk;
using OpenCIS.Storage.Ledger;

namespace OpenCIS.UseCases.Billing;

/// <summary>How long the writers took to write a run's rows into one kind of scratch copy, and how much of it was commits.</summary>
public sealed record BillingWritePass(TimeSpan Writing, TimeSpan Committing);

/// <summary>
/// A billing run's rows written again by the writers alone: into copies of the tables with every
/// index (<see cref="Indexed"/>, the write limit) and into copies with only their primary keys
/// (<see cref="Bare"/>), so the difference is what the database spends keeping the other indexes.
/// </summary>
public sealed record BillingWriteLimitOutcome(int Bills, int Chunks, int Lanes, BillingWritePass Indexed, BillingWritePass Bare)
{
    public double BillsPerSecond => Indexed.Writing > TimeSpan.Zero ? Bills / Indexed.Writing.TotalSeconds : 0;

    /// <summary>Per bill, what the secondary indexes added to the write.</summary>
    public TimeSpan IndexUpkeepPerBill => Bills == 0 ? TimeSpan.Zero : (Indexed.Writing - Bare.Writing) / Bills;
}

/// <summary>
/// The write limit of a finished billing run: how fast the run's rows could be written if loading,
/// rating and posting cost nothing. The run's bills with their segments, lines and removed meters,
/// their transactions with GL lines, their open items, the allocations that settled older items,
/// and the run's exceptions are read back chunk by chunk, cut as the run cut them. The same bulk
/// writer (<see cref="BillingBulkWriter"/>) writes them again, one transaction per chunk, over as
/// many lanes as the run had, set up as the run's lanes are, into empty copies of their tables
/// (<see cref="ScratchTables"/>); then again into bare copies without their secondary indexes.
/// Only the writing is timed: a few chunks are read into memory between timed stretches, so
/// memory stays bounded at any size of run. The copies are dropped at the end.
/// </summary>
public sealed class MeasureBillingWriteLimit(OpenCisDbContext db, DatabaseSettings settings)
{
    /// <summary>Chunks read ahead for each lane before a timed stretch of writing.</summary>
    private const int ChunksPerLane = 2;

    /// <summary>Leaves the copies in place at the end, for a test to read them.</summary>
    internal bool KeepCopies { get; set; }

    public async Task<BillingWriteLimitOutcome> ExecuteAsync(long runId, int workers, CancellationToken cancellationToken = default)
    {
        var run = await db.BillingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken)
            ?? throw new DomainException($"There is no billing run {runId}.", "run");
        var chunks = await db.BillingRunChunks.AsNoTracking().Where(c => c.BillingRunId == runId).OrderBy(c => c.Sequence)
            .Select(c => new { c.FirstAccountId, c.LastAccountId }).ToListAsync(cancellationToken);
        var lanes = Math.Max(1, Math.Min(workers, chunks.Count));
        var settled = await SettledItemsAsync(runId, cancellationToken);
        var passes = new List<Pass>();
        try
        {
            foreach (var indexed in new[] { true, false })
            {
                var pass = new Pass(await ScratchTables.CreateAsync(settings, ScratchTables.Billing, settled, indexed, cancellationToken));
                passes.Add(pass);
                for (var lane = 0; lane < lanes; lane++)
                {
                    pass.Lanes.Add(await RunBilling.OpenLaneAsync(pass.Settings, cancellationToken));
                }
            }

            var (bills, stretches) = (0, 0);
            foreach (var stretch in chunks.Chunk(lanes * ChunksPerLane))
            {
                var batches = new List<BillingBatch>();
                foreach (var chunk in stretch)
                {
                    batches.Add(await LoadAsync(run, chunk.FirstAccountId, chunk.LastAccountId, cancellationToken));
                }

                bills += batches.Sum(b => b.Bills.Count);
                // The writer renumbers the new rows each time: the second pass writes the same rows under its own ids.
                // The passes take turns going first, so neither always finds the server's caches as the other left them.
                foreach (var pass in stretches++ % 2 == 0 ? passes : Enumerable.Reverse(passes))
                {
                    await pass.WriteAsync(batches, cancellationToken);
                }
            }

            return new BillingWriteLimitOutcome(bills, chunks.Count, lanes, passes[0].Outcome, passes[1].Outcome);
        }
        finally
        {
            foreach (var pass in passes)
            {
                foreach (var laneDb in pass.Lanes)
                {
                    await laneDb.DisposeAsync();
                }
            }

            foreach (var indexed in new[] { true, false }.Where(_ => !KeepCopies))
            {
                await ScratchTables.DropAsync(settings, indexed, CancellationToken.None);
            }
        }
    }

    /// <summary>One kind of copy: its lanes, and the time spent writing into it.</summary>
    private sealed class Pass(DatabaseSettings settings)
    {
        private TimeSpan writing;
        private long committing;

        public DatabaseSettings Settings { get; } = settings;
        public List<OpenCisDbContext> Lanes { get; } = [];
        public BillingWritePass Outcome => new(writing, Stopwatch.GetElapsedTime(0, committing));

        /// <summary>Writes the chunks over the lanes, a transaction each, timing the whole stretch.</summary>
        public async Task WriteAsync(IReadOnlyList<BillingBatch> batches, CancellationToken cancellationToken)
        {
            var queue = new System.Collections.Concurrent.ConcurrentQueue<BillingBatch>(batches);
            using var writeTurn = new SemaphoreSlim(1, 1);
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Lanes.Select(laneDb => Task.Run(async () =>
            {
                var isPostgres = laneDb.Database.IsNpgsql();
                while (queue.TryDequeue(out var batch))
                {
                    if (!isPostgres)
                    {
                        // One writer at a time, as the run's lanes take turns on SQLite.
                        await writeTurn.WaitAsync(cancellationToken);
                    }

                    try
                    {
                        await using var transaction = await laneDb.Database.BeginTransactionAsync(cancellationToken);
                        await BillingBulkWriter.WriteAsync(laneDb, batch, cancellationToken);
                        var commit = Stopwatch.GetTimestamp();
                        await transaction.CommitAsync(cancellationToken);
                        Interlocked.Add(ref committing, Stopwatch.GetTimestamp() - commit);
                    }
                    finally
                    {
                        if (!isPostgres)
                        {
                            writeTurn.Release();
                        }
                    }
                }
            }, cancellationToken)));
            writing += clock.Elapsed;
        }
    }

    /// <summary>Older open items that the run's postings settled: the writes update their open amounts, so the copies hold them.</summary>
    private async Task<List<long>> SettledItemsAsync(long runId, CancellationToken cancellationToken)
    {
        var postings = db.Bills.Where(b => b.BillingRunId == runId && b.FinancialTransactionId != null).Select(b => b.FinancialTransactionId!.Value);
        var runItems = db.OpenItems.Where(o => postings.Contains(o.FinancialTransactionId)).Select(o => o.Id);
        var credits = db.ItemAllocations.Where(a => runItems.Contains(a.ChargeItemId) && !runItems.Contains(a.CreditItemId)).Select(a => a.CreditItemId);
        var charges = db.ItemAllocations.Where(a => runItems.Contains(a.CreditItemId) && !runItems.Contains(a.ChargeItemId)).Select(a => a.ChargeItemId);
        return await credits.Concat(charges).Distinct().ToListAsync(cancellationToken);
    }

    /// <summary>
    /// One chunk's rows as the run's batch held them. They are read with tracking, so that each row's
    /// references to the others (a bill to its posting, an item to its transaction, an allocation to its
    /// items) are the objects themselves, which the writer renumbers as it writes.
    /// </summary>
    private async Task<BillingBatch> LoadAsync(BillingRun run, long first, long last, CancellationToken cancellationToken)
    {
        await using var load = settings.CreateContext();
        var runId = run.Id;
        var bills = await load.Bills.Where(b => b.BillingRunId == runId && b.AccountId >= first && b.AccountId <= last)
            .Include(b => b.Segments).ThenInclude(s => s.Lines)
            .Include(b => b.Segments).ThenInclude(s => s.RemovedMeters)
            .AsSplitQuery().OrderBy(b => b.AccountId).ToListAsync(cancellationToken);
        var postingIds = bills.Where(b => b.FinancialTransactionId is not null).Select(b => b.FinancialTransactionId!.Value).ToArray();
        var postings = (await load.FinancialTransactions.Where(t => postingIds.Contains(t.Id)).Include(t => t.GlEntries).ToListAsync(cancellationToken))
            .OrderBy(t => t.Id).ToList();
        var items = (await load.OpenItems.Where(o => postingIds.Contains(o.FinancialTransactionId)).ToListAsync(cancellationToken)).OrderBy(o => o.Id).ToList();
        var itemIds = items.Select(i => i.Id).ToArray();
        // Allocations made by the run itself, not by payments since.
        var allocations = (await load.ItemAllocations.Where(a => itemIds.Contains(a.ChargeItemId) || itemIds.Contains(a.CreditItemId)).ToListAsync(cancellationToken))
            .Where(a => a.AllocatedAt >= run.StartedAt && (run.CompletedAt is null || a.AllocatedAt <= run.CompletedAt)).OrderBy(a => a.Id).ToList();
        var own = itemIds.ToHashSet();
        var settledIds = allocations.SelectMany(a => new[] { a.ChargeItemId, a.CreditItemId }).Where(id => !own.Contains(id)).Distinct().ToArray();
        var settled = await load.OpenItems.Where(o => settledIds.Contains(o.Id)).ToListAsync(cancellationToken);
        var exceptions = await load.BillingExceptions.Where(x => x.BillingRunId == runId && x.AccountId >= first && x.AccountId <= last).OrderBy(x => x.AccountId).ToListAsync(cancellationToken);

        var batch = new BillingBatch();
        batch.Bills.AddRange(bills);
        batch.Transactions.AddRange(postings);
        batch.NewItems.AddRange(items);
        batch.Allocations.AddRange(allocations);
        foreach (var item in settled)
        {
            batch.ChangedItems.Add(item);
        }

        batch.Exceptions.AddRange(exceptions);
        return batch;
    }
}
