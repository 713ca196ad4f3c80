using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Metering;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;
using OpenCIS.Storage.Rating;
using OpenCIS.UseCases.Rating;
using OpenCIS.Storage;
using OpenCIS.Storage.Bulk;
using Microsoft.EntityFrameworkCore.Storage;
using OpenCIS.Storage.Billing;
using BillSegment = OpenCIS.Storage.Billing.BillSegment;

namespace OpenCIS.UseCases.Billing;

public sealed record BillingRunOutcome(
    long RunId,
    string CycleCode,
    DateOnly BusinessDate,
    bool AlreadyCompleted,
    bool Resumed,
    int AccountsSelected,
    int BillsCreated,
    int Exceptions,
    Money TotalBilled,
    string Message);

/// <summary>Accounts done so far out of the accounts the run selected.</summary>
public sealed record BillingProgress(int Done, int Total);

/// <summary>
/// Bills one cycle for one business date. The run is a record: asking again for a completed run
/// changes nothing and says so. When it starts, its accounts are cut into chunks of consecutive
/// account ids (<see cref="BillingRunChunk"/>). Workers (lanes) take pending chunks one at a time:
/// a fixed number of queries load a chunk's accounts with their agreements, meters, reads, last
/// bills and open items; the core decides every bill in memory; one database transaction writes
/// the chunk's bills, postings and exceptions through the bulk writer and marks the chunk done. A
/// crash loses only the chunks in flight; running the command again carries on with the pending
/// ones. On PostgreSQL a lane claims its chunk with a row lock that others skip, so several lanes
/// and several processes share one run; on SQLite one process's lanes share it (one writes while
/// another loads and rates) and the write re-checks that the chunk is still pending.
/// </summary>
public sealed class RunBilling(OpenCisDbContext db, DatabaseSettings settings, UnitConversion conversion, TimeProvider clock, Portal.EBills eBills)
{
    public const int DefaultChunkSize = 2500;

    /// <summary>Three lanes keep two cores busy: while one writes (and the database works), the others load and rate.</summary>
    public const int DefaultWorkers = 3;

    /// <summary>Accounts per chunk (one database transaction). Smaller chunks commit progress more often; larger ones write faster.</summary>
    public int ChunkSize { get; set; } = DefaultChunkSize;

    /// <summary>Lanes in this process: each loads, rates and writes one chunk at a time on a connection of its own.</summary>
    public int Workers { get; set; } = DefaultWorkers;

    /// <summary>A rest for each lane after each chunk, to leave the database room for the counters and the web screens during business hours.</summary>
    public TimeSpan PauseBetweenChunks { get; set; } = TimeSpan.Zero;

    /// <summary>Where the lanes spend their time, when set (the billing benchmark prints it).</summary>
    public BillingRunTimings? Timings { get; set; }

    private BillingRunTimings.Scope Time(string phase) => BillingRunTimings.Time(Timings, phase);

    public async Task<BillingRunOutcome> ExecuteAsync(string cycleCode, DateOnly businessDate, string user, IProgress<BillingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var cycle = await db.BillingCycles.AsNoTracking().SingleOrDefaultAsync(c => c.Code == cycleCode, cancellationToken)
            ?? throw new DomainException($"There is no billing cycle '{cycleCode}'.", "cycle");

        var run = await db.BillingRuns.SingleOrDefaultAsync(r => r.CycleCode == cycleCode && r.BusinessDate == businessDate, cancellationToken);
        if (run is { Status: BillingRunStatus.Completed })
        {
            // A run completed by a worker stopped before its e-bills were queued: they are queued now (each bill's once).
            await eBills.QueueForRunAsync(run.Id, cancellationToken);
            return Outcome(run, alreadyCompleted: true, resumed: false,
                $"Billing run #{run.Id} for cycle {cycleCode} on {businessDate:yyyy-MM-dd} already completed at {run.CompletedAt:yyyy-MM-dd HH:mm} UTC; nothing was billed again.");
        }

        var resumed = run is not null;
        if (run is null)
        {
            try
            {
                run = await StartAsync(cycleCode, businessDate, user, cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another worker started the same run a moment earlier: join it.
                var started = await FindRunAsync(cycleCode, businessDate, cancellationToken);
                if (started is null)
                {
                    throw;
                }

                run = started;
                resumed = true;
            }
        }
        else if (!await db.BillingRunChunks.AnyAsync(c => c.BillingRunId == run.Id, cancellationToken))
        {
            // A run begun before runs had chunks: its pending accounts become chunks now.
            run.Select(await AddChunksAsync(run.Id, cycleCode, businessDate, cancellationToken));
            await db.SaveChangesAsync(cancellationToken);
        }

        var runId = run.Id;
        var chunks = await db.BillingRunChunks.AsNoTracking().Where(c => c.BillingRunId == runId).OrderBy(c => c.Sequence).ToListAsync(cancellationToken);
        var total = run.AccountsSelected;
        var done = chunks.Where(c => c.Status == BillingChunkStatus.Done).Sum(c => c.AccountCount);
        progress?.Report(new BillingProgress(done, total));

        var tariffs = await TariffCatalog.LoadAsync(db, cancellationToken);
        var holidays = await Cycles.BillingCalendars.ForCycleAsync(db, cycle, cancellationToken);
        var pending = new System.Collections.Concurrent.ConcurrentQueue<BillingRunChunk>(chunks.Where(c => c.Status == BillingChunkStatus.Pending));
        var review = (await db.BillReviewRules.AsNoTracking().ToListAsync(cancellationToken)).ToDictionary(r => r.AccountClass, r => r.ToRules());
        var budgets = await db.BudgetPlans.AnyAsync(p => p.Status == BudgetPlanStatus.Active, cancellationToken);
        // The messages in force on the run's date are few: loaded once, each bill's chosen in memory.
        var messages = await BillMessageBook.InForceAsync(db, businessDate, businessDate, cancellationToken);
        using var writeTurn = new SemaphoreSlim(1, 1);
        var context = new RunContext(run.Id, run.CycleCode, businessDate, cycle, tariffs, holidays, user, pending, review, budgets, messages, writeTurn);
        var lanes = Enumerable.Range(1, Math.Max(1, Math.Min(Workers, pending.Count))).Select(lane => Task.Run(async () =>
        {
            await foreach (var finished in LaneAsync(context, lane, cancellationToken))
            {
                progress?.Report(new BillingProgress(Interlocked.Add(ref done, finished.AccountCount), total));
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(lanes);

        db.ChangeTracker.Clear();
        chunks = await db.BillingRunChunks.AsNoTracking().Where(c => c.BillingRunId == runId).ToListAsync(cancellationToken);
        run = await db.BillingRuns.SingleAsync(r => r.Id == runId, cancellationToken);
        var open = chunks.Count(c => c.Status != BillingChunkStatus.Done);
        if (open > 0)
        {
            // Other workers still hold chunks of this run; the last of them completes it.
            return Outcome(run, alreadyCompleted: false, resumed,
                $"Billing run #{run.Id} for cycle {cycleCode} on {businessDate:yyyy-MM-dd}: this worker is done; {open:N0} chunks are still being billed by other workers.");
        }

        if (run.Status == BillingRunStatus.Running)
        {
            // The run's totals are counted from its bills and exceptions, whoever wrote them.
            // A bill held for review is not issued: the run counts it apart ("held for review"), and its release counts it then.
            var bills = await db.Bills.Where(b => b.BillingRunId == runId && b.Status != BillStatus.Held).GroupBy(b => 1)
                .Select(g => new { Count = g.Count(), Billed = g.Sum(b => b.CurrentChargesCents) }).SingleOrDefaultAsync(cancellationToken);
            var exceptionCount = await db.BillingExceptions.CountAsync(x => x.BillingRunId == runId, cancellationToken);
            run.Complete(run.AccountsSelected, bills?.Count ?? 0, exceptionCount, Money.FromCents(bills?.Billed ?? 0), clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            // Paperless accounts' bills go by e-mail; the print file leaves them out.
            await eBills.QueueForRunAsync(runId, cancellationToken);
        }

        var verb = resumed ? "resumed and completed" : "completed";
        var heldCount = await db.Bills.CountAsync(b => b.BillingRunId == runId && b.Status == BillStatus.Held, cancellationToken);
        return Outcome(run, alreadyCompleted: false, resumed,
            $"Billing run #{run.Id} for cycle {cycleCode} on {businessDate:yyyy-MM-dd} {verb}: {run.BillsCreated:N0} bills totalling {Money.FromCents(run.TotalBilledCents)}, {run.ExceptionCount:N0} exceptions"
            + (heldCount > 0 ? $"; {heldCount:N0} held for review." : "."));
    }

    private async Task<BillingRun?> FindRunAsync(string cycleCode, DateOnly businessDate, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.BillingRuns.SingleOrDefaultAsync(r => r.CycleCode == cycleCode && r.BusinessDate == businessDate, cancellationToken);
    }

    private static BillingRunOutcome Outcome(BillingRun run, bool alreadyCompleted, bool resumed, string message) =>
        new(run.Id, run.CycleCode, run.BusinessDate, alreadyCompleted, resumed, run.AccountsSelected, run.BillsCreated, run.ExceptionCount, Money.FromCents(run.TotalBilledCents), message);

    private sealed record RunContext(long RunId, string CycleCode, DateOnly BusinessDate, BillingCycle Cycle, TariffCatalog Tariffs, HolidayCalendar Holidays, string User,
        System.Collections.Concurrent.ConcurrentQueue<BillingRunChunk> Pending, IReadOnlyDictionary<AccountClass, BillReviewRules> Review, bool HasBudgetPlans,
        ImmutableArray<BillMessage> Messages, SemaphoreSlim WriteTurn);

    /// <summary>Creates the run and its chunks in one transaction: a second starter finds them both or neither.</summary>
    private async Task<BillingRun> StartAsync(string cycleCode, DateOnly businessDate, string user, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var run = BillingRun.Start(cycleCode, businessDate, clock.GetUtcNow(), user);
        db.BillingRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        run.Select(await AddChunksAsync(run.Id, cycleCode, businessDate, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return run;
    }

    private async Task<int> AddChunksAsync(long runId, string cycleCode, DateOnly businessDate, CancellationToken cancellationToken)
    {
        var selected = await SelectAccounts(db, cycleCode, businessDate).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(cancellationToken);
        var done = (await db.Bills.Where(b => b.BillingRunId == runId).Select(b => b.AccountId).ToListAsync(cancellationToken))
            .Concat(await db.BillingExceptions.Where(x => x.BillingRunId == runId).Select(x => x.AccountId).ToListAsync(cancellationToken))
            .ToHashSet();
        var sequence = 0;
        foreach (var chunk in selected.Where(id => !done.Contains(id)).Chunk(ChunkSize))
        {
            db.BillingRunChunks.Add(new BillingRunChunk
            {
                BillingRunId = runId,
                Sequence = ++sequence,
                FirstAccountId = chunk[0],
                LastAccountId = chunk[^1],
                AccountCount = chunk.Length,
                Status = BillingChunkStatus.Pending,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        return selected.Count;
    }

    private static IQueryable<Account> SelectAccounts(OpenCisDbContext context, string cycleCode, DateOnly businessDate) =>
        context.Accounts.Where(a => a.CycleCode == cycleCode && a.Status == AccountStatus.Active && a.OpenedOn <= businessDate);

    /// <summary>
    /// One lane: takes a pending chunk, loads and rates it, writes it and marks it done in one
    /// transaction, and goes on until no chunk is left for it. Yields each chunk it finished.
    /// </summary>
    private async IAsyncEnumerable<BillingRunChunk> LaneAsync(RunContext run, int lane, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var laneDb = await OpenLaneAsync(settings, cancellationToken);
        var isPostgres = laneDb.Database.IsNpgsql();
        var worker = $"{Environment.MachineName}:{Environment.ProcessId}/{lane}";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            BillingRunChunk? chunk;
            BillingBatch batch;
            IDbContextTransaction transaction;
            if (isPostgres)
            {
                // The claim is a row lock held until this chunk commits; a crashed worker's lock dies with its connection.
                transaction = await laneDb.Database.BeginTransactionAsync(cancellationToken);
                chunk = await laneDb.BillingRunChunks.FromSqlInterpolated(
                        $"SELECT * FROM billing_run_chunks WHERE billing_run_id = {run.RunId} AND status = 'Pending' ORDER BY sequence LIMIT 1 FOR UPDATE SKIP LOCKED")
                    .AsNoTracking().SingleOrDefaultAsync(cancellationToken);
                if (chunk is null)
                {
                    await transaction.DisposeAsync();
                    yield break;
                }

                batch = await BillChunkAsync(laneDb, run, chunk, cancellationToken);
            }
            else
            {
                if (!run.Pending.TryDequeue(out chunk))
                {
                    yield break;
                }

                batch = await BillChunkAsync(laneDb, run, chunk, cancellationToken);
                using (Time("wait for the write lock"))
                {
                    // SQLite has one writer. The lanes take turns here rather than in SQLite's busy handler, which
                    // sleeps in growing steps and would leave the database idle for a while after each commit.
                    await run.WriteTurn.WaitAsync(cancellationToken);
                    try
                    {
                        transaction = await laneDb.Database.BeginTransactionAsync(cancellationToken);
                    }
                    catch
                    {
                        run.WriteTurn.Release();
                        throw;
                    }
                }
            }

            bool kept;
            try
            {
                kept = await WriteChunkAsync(laneDb, transaction, run, chunk, batch, worker, cancellationToken);
            }
            finally
            {
                if (!isPostgres)
                {
                    run.WriteTurn.Release();
                }
            }

            if (!kept)
            {
                // Another worker billed this chunk meanwhile: nothing of this one is kept.
                continue;
            }

            yield return chunk;
            if (PauseBetweenChunks > TimeSpan.Zero)
            {
                await Task.Delay(PauseBetweenChunks, cancellationToken);
            }
        }
    }

    /// <summary>A lane's context, its connection open for the whole run and set for writing chunks.</summary>
    internal static async Task<OpenCisDbContext> OpenLaneAsync(DatabaseSettings settings, CancellationToken cancellationToken)
    {
        var laneDb = settings.CreateContext();
        await laneDb.Database.OpenConnectionAsync(cancellationToken);
        if (!laneDb.Database.IsNpgsql())
        {
            // A chunk writes a few megabytes: let the write-ahead log grow past SQLite's default
            // 4 MB before a commit stops to copy it into the database; the next checkpoint does it.
            // The lane's rows point at rows it has just read (accounts, agreements, the run), which OpenCIS
            // never deletes, or at rows of its own batch, so SQLite need not look each parent up again:
            // about a third of a chunk's write. PostgreSQL checks every one of them, and the tests run
            // each writer on both databases. Every connection turns the checks back on when it opens.
            await laneDb.Database.ExecuteSqlRawAsync("PRAGMA wal_autocheckpoint = 16384; PRAGMA foreign_keys = OFF", cancellationToken);
        }

        return laneDb;
    }

    /// <summary>Marks the chunk done and writes its batch in <paramref name="transaction"/>, which it commits (or rolls back, when another worker billed the chunk meanwhile).</summary>
    private async Task<bool> WriteChunkAsync(OpenCisDbContext laneDb, IDbContextTransaction transaction, RunContext run, BillingRunChunk chunk, BillingBatch batch, string worker,
        CancellationToken cancellationToken)
    {
        await using (transaction)
        {
            var billed = batch.Bills.Sum(b => b.CurrentChargesCents);
            var marked = await laneDb.BillingRunChunks
                .Where(c => c.BillingRunId == run.RunId && c.Sequence == chunk.Sequence && c.Status == BillingChunkStatus.Pending)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(c => c.Status, BillingChunkStatus.Done)
                    .SetProperty(c => c.BillsCreated, batch.Bills.Count)
                    .SetProperty(c => c.ExceptionCount, batch.Exceptions.Count)
                    .SetProperty(c => c.BilledCents, billed)
                    .SetProperty(c => c.CompletedAt, clock.GetUtcNow())
                    .SetProperty(c => c.Worker, worker), cancellationToken);
            if (marked == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return false;
            }

            using (Time("write"))
            {
                await BillingBulkWriter.WriteAsync(laneDb, batch, cancellationToken);
            }

            using (Time("commit"))
            {
                await transaction.CommitAsync(cancellationToken);
            }

            return true;
        }
    }

    private async Task<BillingBatch> BillChunkAsync(OpenCisDbContext laneDb, RunContext run, BillingRunChunk chunk, CancellationToken cancellationToken)
    {
        var businessDate = run.BusinessDate;
        var now = clock.GetUtcNow();
        var readWindowStart = businessDate.AddDays(-run.Cycle.ReadWindowDays);
        var historyStart = businessDate.AddDays(-120);
        var (first, last, runId) = (chunk.FirstAccountId, chunk.LastAccountId, run.RunId);

        var selecting = Time("select accounts");
        var selected = await SelectAccounts(laneDb, run.CycleCode, businessDate)
            .Where(a => a.Id >= first && a.Id <= last
                && !laneDb.Bills.Any(b => b.BillingRunId == runId && b.AccountId == a.Id)
                && !laneDb.BillingExceptions.Any(x => x.BillingRunId == runId && x.AccountId == a.Id))
            .Select(a => new { a.Id, a.OpenedOn, a.Class, a.RouteCode })
            .ToListAsync(cancellationToken);
        selecting.Dispose();
        var chosen = selected.ToDictionary(a => a.Id);
        var accounts = selected.Select(a => new AccountToPlan(a.Id, a.OpenedOn)).ToList();
        var accountIds = accounts.Select(a => a.Id).Order().ToArray();
        var batch = new BillingBatch();
        if (accountIds.Length == 0)
        {
            return batch;
        }

        // A bill held by the pre-bill review waits for a clerk: the account is not billed again over it.
        var reviewing = Time("held bills and review history");
        var held = await laneDb.Bills.Where(b => b.Status == BillStatus.Held && accountIds.Contains(b.AccountId))
            .Select(b => new { b.Id, b.AccountId, b.PeriodStart, b.PeriodEnd }).ToDictionaryAsync(b => b.AccountId, cancellationToken);
        var history = run.Review.Values.Any(r => r.NeedsHistory) ? await ReviewHistoryAsync(laneDb, accountIds, businessDate, cancellationToken) : [];
        reviewing.Dispose();
        var loading = Time("billing facts");

        var facts = await BillingFacts.LoadAsync(laneDb, accounts, new BillingFactsWindow(businessDate, readWindowStart, businessDate, historyStart), run.Tariffs, cancellationToken, Timings);
        var lastBills = facts.LastBills;
        loading.Dispose();
        var activity = Time("activity since last bill");

        // Activity since each account's last bill: the transactions after that bill's own, each
        // account seeking from its own mark (an account without one, or whose last bill posted
        // nothing, gets all of its activity and is filtered by date below).
        var recent = await ActivitySinceAsync(laneDb, accountIds.Select(id => (id, lastBills.TryGetValue(id, out var bill) ? bill.FinancialTransactionId ?? 0 : 0)).ToList(), cancellationToken);
        var recentTransactions = recent.ToLookup(t => t.AccountId);
        activity.Dispose();
        var ledgering = Time("ledgers");
        // A bill charges the account: its unpaid charges are needed only as their sum (a credit bill loads its account whole below).
        var ledgers = await AccountLedger.LoadForChargesAsync(laneDb, accountIds, cancellationToken);
        ledgering.Dispose();
        var extras = Time("budgets and programs");
        var budgets = run.HasBudgetPlans ? await BudgetAccounts.LoadAsync(laneDb, accountIds, businessDate, cancellationToken) : [];
        // A message for a program's enrollees needs the chunk's enrollments on the bill date; most runs have none.
        var programs = run.Messages.Any(m => m.Target.ProgramCode is not null)
            ? await Assistance.EnrolledSpans.ProgramsOfAccountsAsync(laneDb, accountIds, businessDate, cancellationToken)
            : new Dictionary<long, IReadOnlySet<string>>();
        extras.Dispose();
        using var computing = Time("plan, rate, post in memory");

        var dueDate = BillingSchedule.DueDate(businessDate, run.Cycle.DueDays, run.Holidays);
        var description = $"Billing run #{run.RunId}, cycle {run.CycleCode}";
        foreach (var accountId in accountIds)
        {
            lastBills.TryGetValue(accountId, out var lastBill);
            if (held.TryGetValue(accountId, out var heldBill))
            {
                batch.Exceptions.Add(new BillingException
                {
                    BillingRunId = runId,
                    AccountId = accountId,
                    Reason = $"Bill {heldBill.Id} for {heldBill.PeriodStart:yyyy-MM-dd} to {heldBill.PeriodEnd:yyyy-MM-dd} is held for review; release or cancel it first.",
                });
                continue;
            }

            var plan = BillingPlanner.Plan(facts.Accounts[accountId], new PlanningRequest(BillPlanKind.Regular, readWindowStart, businessDate), run.Tariffs);
            var decision = plan.Input is null ? BillingDecision.Exception(plan.ExceptionReason!) : BillCalculator.Decide(plan.Input, conversion);
            if (decision.Bill is null)
            {
                batch.Exceptions.Add(new BillingException { BillingRunId = runId, AccountId = accountId, Reason = decision.ExceptionReason! });
                continue;
            }

            var ledger = ledgers[accountId];
            var since = recentTransactions[accountId].Where(t => lastBill switch
            {
                null => true,
                { FinancialTransactionId: { } billTransaction } => t.Id > billTransaction,
                // A bill that posted nothing (a rebill to zero) has no transaction to count from: its date is the mark.
                _ => t.EffectiveOn > lastBill.BillDate,
            }).ToList();
            var previousBalance = lastBill?.AmountDueCents ?? 0;
            var payments = since.Where(t => t.Type == FinancialTransactionType.Payment).Sum(t => t.AmountCents);
            var adjustments = since.Where(t => t.Type != FinancialTransactionType.Payment).Sum(t => t.AmountCents);
            if (previousBalance + payments + adjustments != ledger.Balance.Cents)
            {
                // The bill's summary must reconcile to the ledger; if it cannot, do not issue a bill that misstates the balance.
                batch.Exceptions.Add(new BillingException
                {
                    BillingRunId = runId,
                    AccountId = accountId,
                    Reason = $"Balance does not reconcile: previous bill {Money.FromCents(previousBalance)} + activity {Money.FromCents(payments + adjustments)} differs from the ledger balance {ledger.Balance}.",
                });
                continue;
            }

            var proposal = decision.Bill;
            var rules = run.Review.GetValueOrDefault(chosen[accountId].Class) ?? BillReviewRules.None;
            var reasons = rules.IsEmpty ? [] : BillReview.Reasons(proposal, rules, lastBill is null ? null : history.GetValueOrDefault(accountId) ?? new BillHistory(0, Money.Zero));
            FinancialTransaction? transaction = null;
            var isHeld = !reasons.IsEmpty;
            var budgetState = budgets.GetValueOrDefault(accountId);
            var budget = isHeld ? null : BudgetAccounts.Decide(budgetState, proposal, businessDate);
            if (!isHeld && BudgetAccounts.PostingFor(proposal, budget) is { } post)
            {
                if (!ledger.CanPost(post.Posting))
                {
                    ledger = (await AccountLedger.LoadManyAsync(laneDb, [accountId], cancellationToken, tracking: false))[accountId];
                }

                transaction = ledger.Post(batch, post.Posting, businessDate, dueDate, post.Parts, run.User, description, now);
            }

            // A held bill is kept with its reasons for a clerk, neither posted nor printed until it is released.
            var bill = new Bill
            {
                AccountId = accountId,
                BillingRunId = runId,
                BillDate = businessDate,
                DueDate = dueDate,
                PeriodStart = proposal.Period.Start,
                PeriodEnd = proposal.Period.End,
                PreviousBalanceCents = previousBalance,
                PaymentsCents = payments,
                AdjustmentsCents = adjustments,
                CurrentChargesCents = proposal.Total.Cents,
                AmountDueCents = isHeld ? ledger.Balance.Cents + proposal.Total.Cents : ledger.Balance.Cents,
                Transaction = transaction,
                Status = isHeld ? BillStatus.Held : BillStatus.Issued,
                HoldReasons = isHeld ? string.Join('\n', reasons) : null,
                Messages = run.Messages.IsEmpty ? null : BillMessages.Printed(BillMessages.For(run.Messages, businessDate,
                    new BillRecipient(run.CycleCode, chosen[accountId].Class.ToString(), chosen[accountId].RouteCode, programs.GetValueOrDefault(accountId) ?? ImmutableHashSet<string>.Empty))),
                Segments = proposal.Segments.Select(BillSegment.From).ToList(),
            };
            if (budget is not null)
            {
                BudgetAccounts.Record(bill, budget);
                if (budget.Plan != budgetState!.Plan.ToPlan())
                {
                    budgetState.Plan.Follow(budget.Plan);
                    batch.BudgetPlans.Add(budgetState.Plan);
                }
            }

            batch.Bills.Add(bill);
        }

        return batch;
    }

    /// <summary>Each account's issued bills of the last year: how many, and their average current charges, for the review's high and low rules.</summary>
    private static async Task<Dictionary<long, BillHistory>> ReviewHistoryAsync(OpenCisDbContext laneDb, long[] accountIds, DateOnly businessDate, CancellationToken cancellationToken)
    {
        var since = businessDate.AddMonths(-12);
        var rows = await laneDb.Bills.Where(b => accountIds.Contains(b.AccountId) && b.Status == BillStatus.Issued && b.BillDate > since)
            .GroupBy(b => b.AccountId).Select(g => new { AccountId = g.Key, Count = g.Count(), Sum = g.Sum(b => b.CurrentChargesCents) })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.AccountId, r => new BillHistory(r.Count, Money.Round((decimal)r.Sum / r.Count / 100m)));
    }

    private sealed record ActivityFact(long AccountId, long Id, FinancialTransactionType Type, long AmountCents, DateOnly EffectiveOn);

    /// <summary>
    /// Each account's transactions other than bills after a given transaction id, in one query that
    /// pairs every account with its own mark (PostgreSQL: two arrays unnested side by side; SQLite: a
    /// JSON array of pairs), so the index is sought from each account's mark instead of scanning
    /// everything after the earliest one.
    /// </summary>
    private static async Task<List<ActivityFact>> ActivitySinceAsync(OpenCisDbContext context, List<(long AccountId, long AfterTransactionId)> marks, CancellationToken cancellationToken)
    {
        var connection = context.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = context.Database.CurrentTransaction?.GetDbTransaction();
        var isPostgres = context.Database.IsNpgsql();
        if (isPostgres)
        {
            command.CommandText = """
                SELECT t.account_id, t.id, t.type, t.amount_cents, t.effective_on
                FROM unnest(@accounts, @marks) AS m(account_id, after_id)
                JOIN financial_transactions AS t ON t.account_id = m.account_id AND t.id > m.after_id
                WHERE t.type <> 'Bill'
                """;
            command.Parameters.Add(new Npgsql.NpgsqlParameter<long[]>("accounts", marks.Select(m => m.AccountId).ToArray()));
            command.Parameters.Add(new Npgsql.NpgsqlParameter<long[]>("marks", marks.Select(m => m.AfterTransactionId).ToArray()));
        }
        else
        {
            command.CommandText = """
                SELECT t.account_id, t.id, t.type, t.amount_cents, t.effective_on
                FROM json_each($marks) AS m
                JOIN financial_transactions AS t ON t.account_id = m.value ->> 0 AND t.id > m.value ->> 1
                WHERE t.type <> 'Bill'
                """;
            var parameter = command.CreateParameter();
            parameter.ParameterName = "$marks";
            parameter.Value = "[" + string.Join(",", marks.Select(m => $"[{m.AccountId},{m.AfterTransactionId}]")) + "]";
            command.Parameters.Add(parameter);
        }

        var rows = new List<ActivityFact>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ActivityFact(
                reader.GetInt64(0),
                reader.GetInt64(1),
                Enum.Parse<FinancialTransactionType>(reader.GetString(2)),
                reader.GetInt64(3),
                isPostgres ? reader.GetFieldValue<DateOnly>(4) : DateOnly.ParseExact(reader.GetString(4), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        }

        return rows;
    }
}
