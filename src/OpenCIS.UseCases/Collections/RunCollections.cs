using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Bulk;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Billing.Cycles;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.UseCases.Collections;

public sealed record CollectionRunOutcome(
    long RunId,
    DateOnly BusinessDate,
    bool AlreadyCompleted,
    bool Resumed,
    int AccountsSelected,
    int LateCharges,
    Money LateChargeTotal,
    int Notices,
    int Listed,
    int Protected,
    string Message);

/// <summary>Accounts done so far out of the accounts the run selected.</summary>
public sealed record CollectionProgress(int Done, int Total);

/// <summary>
/// The daily collections run for one business date: it assesses late charges, takes the steps (notices,
/// door hangers, disconnect eligibility), watches arrangements and promises, and leaves each account it
/// looked at with its standing and the explanation in words; the accounts listed make the disconnect list.
/// The run is a record, unique per date: asking again for a completed date changes nothing and says so.
/// It selects the accounts collections must look at (something past due, or a standing, arrangement or
/// promise to watch), cuts them into chunks of consecutive ids, and lanes take the chunks one at a time:
/// a fixed number of queries load a chunk, the core (<see cref="CollectionTimeline.Day"/>) decides each
/// account in memory from what is still open on it and the history of its present delinquency, and one
/// transaction writes the chunk's postings, events and standings and marks it done. A killed run resumes
/// with its pending chunks, so no account is charged twice for a date.
/// </summary>
public sealed class RunCollections(OpenCisDbContext db, DatabaseSettings settings, TimeProvider clock)
{
    public const int DefaultChunkSize = 2500;
    public const int DefaultWorkers = 3;

    /// <summary>How far back the run reads an account's history: steps older than this do not hold (no delinquency lasts longer unnoticed).</summary>
    public const int HistoryDays = 400;

    public int ChunkSize { get; set; } = DefaultChunkSize;
    public int Workers { get; set; } = DefaultWorkers;

    /// <summary>A rest for each lane after each chunk, to leave the database room for the counters and the web screens during business hours.</summary>
    public TimeSpan PauseBetweenChunks { get; set; } = TimeSpan.Zero;

    public async Task<CollectionRunOutcome> ExecuteAsync(DateOnly businessDate, string user, IProgress<CollectionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var catalog = await CollectionPolicyCatalog.LoadAsync(db, cancellationToken);
        var inForce = catalog.InForce(businessDate);
        if (inForce.Count == 0)
        {
            throw new DomainException($"No collection policy is in force on {businessDate:yyyy-MM-dd}; import one first (opencis collections policy import).", "policy");
        }

        var run = await db.CollectionRuns.SingleOrDefaultAsync(r => r.BusinessDate == businessDate, cancellationToken);
        if (run is { Status: CollectionRunStatus.Completed })
        {
            return Outcome(run, alreadyCompleted: true, resumed: false,
                $"The collections run for {businessDate:yyyy-MM-dd} (#{run.Id}) already completed at {run.CompletedAt:yyyy-MM-dd HH:mm} UTC; nothing was done again.");
        }

        var resumed = run is not null;
        if (run is null)
        {
            try
            {
                run = await StartAsync(businessDate, user, cancellationToken);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
                run = await db.CollectionRuns.SingleOrDefaultAsync(r => r.BusinessDate == businessDate, cancellationToken) ?? throw new InvalidOperationException("The run could not be started.");
                resumed = true;
            }
        }

        var runId = run.Id;
        var chunks = await db.CollectionRunChunks.AsNoTracking().Where(c => c.CollectionRunId == runId).OrderBy(c => c.Sequence).ToListAsync(cancellationToken);
        var total = run.AccountsSelected;
        var done = chunks.Where(c => c.Status == BillingChunkStatus.Done).Sum(c => c.AccountCount);
        progress?.Report(new CollectionProgress(done, total));

        var holidays = await BillingCalendars.NamedAsync(db, HolidayCalendar.UsFederalName, cancellationToken);
        var temperatures = await db.Temperatures.AsNoTracking().Where(t => t.Date >= businessDate.AddDays(-1) && t.Date <= businessDate.AddDays(1)).ToListAsync(cancellationToken);
        var calendar = CollectionCalendar.For(holidays, businessDate, businessDate, temperatures.Select(t => t.ToCore()));
        var pending = new ConcurrentQueue<CollectionRunChunk>(chunks.Where(c => c.Status == BillingChunkStatus.Pending));
        var context = new RunContext(runId, businessDate, inForce, calendar, user, pending);
        var lanes = Enumerable.Range(1, Math.Max(1, Math.Min(Workers, pending.Count))).Select(lane => Task.Run(async () =>
        {
            await foreach (var finished in LaneAsync(context, lane, cancellationToken))
            {
                progress?.Report(new CollectionProgress(Interlocked.Add(ref done, finished.AccountCount), total));
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(lanes);

        db.ChangeTracker.Clear();
        var open = await db.CollectionRunChunks.CountAsync(c => c.CollectionRunId == runId && c.Status != BillingChunkStatus.Done, cancellationToken);
        run = await db.CollectionRuns.SingleAsync(r => r.Id == runId, cancellationToken);
        if (open > 0)
        {
            return Outcome(run, alreadyCompleted: false, resumed,
                $"Collections run for {businessDate:yyyy-MM-dd} (#{run.Id}): this worker is done; {open:N0} chunks are still with other workers.");
        }

        if (run.Status == CollectionRunStatus.Running)
        {
            var events = await db.CollectionEvents.Where(e => e.CollectionRunId == runId).GroupBy(e => e.Action)
                .Select(g => new { Action = g.Key, Count = g.Count(), Cents = g.Sum(e => e.AmountCents ?? 0) }).ToListAsync(cancellationToken);
            var lateCharges = events.SingleOrDefault(e => e.Action == CollectionAction.LateCharge);
            var notices = events.Where(e => e.Action is CollectionAction.Notice or CollectionAction.OwnerNotice or CollectionAction.DoorHanger).Sum(e => e.Count);
            var listed = await db.AccountCollections.CountAsync(a => a.Listed, cancellationToken);
            var held = await db.AccountCollections.CountAsync(a => a.LastRunOn == businessDate && a.ProtectedBy != null, cancellationToken);
            run.Complete(lateCharges?.Count ?? 0, lateCharges?.Cents ?? 0, notices, listed, held, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            // After the day's standings: a disconnected account with nothing past due gets its reconnect order (a missed one is made the next day).
            await RequestReconnect.CreateDueAsync(db, businessDate, user, clock.GetUtcNow(), cancellationToken);
        }

        var verb = resumed ? "resumed and completed" : "completed";
        return Outcome(run, alreadyCompleted: false, resumed,
            $"Collections run for {businessDate:yyyy-MM-dd} (#{run.Id}) {verb}: {run.AccountsSelected:N0} accounts looked at, {run.LateCharges:N0} late charges totalling {Money.FromCents(run.LateChargeCents)}, "
            + $"{run.Notices:N0} notices, {run.Listed:N0} accounts on the disconnect list, {run.Protected:N0} held by a protection.");
    }

    private static CollectionRunOutcome Outcome(CollectionRun run, bool alreadyCompleted, bool resumed, string message) =>
        new(run.Id, run.BusinessDate, alreadyCompleted, resumed, run.AccountsSelected, run.LateCharges, Money.FromCents(run.LateChargeCents), run.Notices, run.Listed, run.Protected, message);

    private sealed record RunContext(long RunId, DateOnly BusinessDate, IReadOnlyList<StoredCollectionPolicy> Policies, CollectionCalendar Calendar, string User, ConcurrentQueue<CollectionRunChunk> Pending);

    private async Task<CollectionRun> StartAsync(DateOnly businessDate, string user, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var run = CollectionRun.Start(businessDate, user, clock.GetUtcNow());
        db.CollectionRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        var selected = await CandidatesAsync(db, businessDate, cancellationToken);
        var sequence = 0;
        foreach (var chunk in selected.Chunk(ChunkSize))
        {
            db.CollectionRunChunks.Add(new CollectionRunChunk
            {
                CollectionRunId = run.Id,
                Sequence = ++sequence,
                FirstAccountId = chunk[0],
                LastAccountId = chunk[^1],
                AccountCount = chunk.Length,
                Status = BillingChunkStatus.Pending,
            });
        }

        run.Select(selected.Count);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return run;
    }

    /// <summary>
    /// The accounts collections must look at on the date: something past due, a standing other than current
    /// (to follow it, or to see it paid), an active arrangement or an open promise. A chunk's lane works out
    /// the same set for its range from the rows it reads (<see cref="DecideChunkAsync"/>).
    /// </summary>
    private static async Task<List<long>> CandidatesAsync(OpenCisDbContext context, DateOnly date, CancellationToken cancellationToken)
    {
        var pastDue = await PastDueItems.Before(context.OpenItems, date).Select(o => o.AccountId).Distinct().ToListAsync(cancellationToken);
        var standing = await context.AccountCollections.Where(a => a.Status != CollectionStatus.Current).Select(a => a.AccountId).ToListAsync(cancellationToken);
        var arranged = await context.Arrangements.Where(a => a.Status == ArrangementStage.Active).Select(a => a.AccountId).ToListAsync(cancellationToken);
        var promised = await context.Promises.Where(p => p.Status == PromiseStatus.Open).Select(p => p.AccountId).ToListAsync(cancellationToken);
        return [.. pastDue.Concat(standing).Concat(arranged).Concat(promised).Distinct().Order()];
    }

    private async IAsyncEnumerable<CollectionRunChunk> LaneAsync(RunContext run, int lane, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var laneDb = settings.CreateContext();
        await laneDb.Database.OpenConnectionAsync(cancellationToken);
        var isPostgres = laneDb.Database.IsNpgsql();
        var worker = $"{Environment.MachineName}:{Environment.ProcessId}/{lane}";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            CollectionRunChunk? chunk;
            CollectionBatch batch;
            IDbContextTransaction transaction;
            if (isPostgres)
            {
                transaction = await laneDb.Database.BeginTransactionAsync(cancellationToken);
                chunk = await laneDb.CollectionRunChunks.FromSqlInterpolated(
                        $"SELECT * FROM collection_run_chunks WHERE collection_run_id = {run.RunId} AND status = 'Pending' ORDER BY sequence LIMIT 1 FOR UPDATE SKIP LOCKED")
                    .AsNoTracking().SingleOrDefaultAsync(cancellationToken);
                if (chunk is null)
                {
                    await transaction.DisposeAsync();
                    yield break;
                }

                batch = await DecideChunkAsync(laneDb, run, chunk, cancellationToken);
            }
            else
            {
                if (!run.Pending.TryDequeue(out chunk))
                {
                    yield break;
                }

                batch = await DecideChunkAsync(laneDb, run, chunk, cancellationToken);
                transaction = await laneDb.Database.BeginTransactionAsync(cancellationToken);
            }

            await using (transaction)
            {
                var marked = await laneDb.CollectionRunChunks
                    .Where(c => c.CollectionRunId == run.RunId && c.Sequence == chunk.Sequence && c.Status == BillingChunkStatus.Pending)
                    .ExecuteUpdateAsync(set => set
                        .SetProperty(c => c.Status, BillingChunkStatus.Done)
                        .SetProperty(c => c.CompletedAt, clock.GetUtcNow())
                        .SetProperty(c => c.Worker, worker), cancellationToken);
                if (marked == 0)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    continue;
                }

                await CollectionsBulkWriter.WriteAsync(laneDb, batch, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            yield return chunk;
            if (PauseBetweenChunks > TimeSpan.Zero)
            {
                await Task.Delay(PauseBetweenChunks, cancellationToken);
            }
        }
    }

    private async Task<CollectionBatch> DecideChunkAsync(OpenCisDbContext laneDb, RunContext run, CollectionRunChunk chunk, CancellationToken cancellationToken)
    {
        var date = run.BusinessDate;
        var now = clock.GetUtcNow();
        var (first, last) = (chunk.FirstAccountId, chunk.LastAccountId);
        var batch = new CollectionBatch();
        // The chunk's rows in a handful of range reads; which accounts the run looks at is worked out from them,
        // by the same test the run's start used to choose the chunk (CandidatesAsync).
        var openRows = await CollectionChunkReader.OpenItemsAsync(laneDb, first, last, cancellationToken);
        var standings = await CollectionChunkReader.StandingsAsync(laneDb, first, last, cancellationToken);
        var since = date.AddDays(-HistoryDays);
        var protections = (await laneDb.AccountProtections.AsNoTracking()
                .Where(p => p.AccountId >= first && p.AccountId <= last && (p.EndedOn == null || p.EndedOn >= since))
                .ToListAsync(cancellationToken))
            .ToLookup(p => p.AccountId);
        var arrangements = (await laneDb.Arrangements.AsNoTracking().Include(a => a.Installments)
                .Where(a => a.AccountId >= first && a.AccountId <= last && a.Status == ArrangementStage.Active)
                .ToListAsync(cancellationToken))
            .ToLookup(a => a.AccountId);
        var promises = (await laneDb.Promises.AsNoTracking()
                .Where(p => p.AccountId >= first && p.AccountId <= last && p.Status == PromiseStatus.Open)
                .ToListAsync(cancellationToken))
            .ToLookup(p => p.AccountId);
        var pledges = (await laneDb.AssistancePledges.AsNoTracking()
                .Where(p => p.AccountId >= first && p.AccountId <= last && p.Status == Core.Assistance.PledgeStatus.Pledged)
                .ToListAsync(cancellationToken))
            .ToLookup(p => p.AccountId);
        var ids = openRows.Where(o => o.OpenCents > 0 && o.DueOn < date).Select(o => o.AccountId)
            .Concat(standings.Values.Where(s => s.Status != CollectionStatus.Current).Select(s => s.AccountId))
            .Concat(arrangements.Select(g => g.Key)).Concat(promises.Select(g => g.Key))
            .ToHashSet();
        if (ids.Count == 0)
        {
            return batch;
        }

        var accounts = (await CollectionChunkReader.AccountsAsync(laneDb, first, last, cancellationToken)).Where(a => ids.Contains(a.Id)).ToList();
        var looked = openRows.Where(o => ids.Contains(o.AccountId)).ToList();
        var history = await CollectionChunkReader.HistoryAsync(laneDb, first, last, ids, since, date, cancellationToken);
        // A credit is a credit whatever posted it (the core reads it as a payment): only what is owed needs its type (a bill, a late
        // charge, another charge). The history names most of it (the bills charged or looked at, the charges and fees the run posted);
        // the rest, new bills and other charges, is read.
        var kinds = history.Postings;
        foreach (var (id, kind) in await CollectionChunkReader.PostingKindsAsync(laneDb, [.. looked.Where(o => o.OpenCents > 0 && !kinds.ContainsKey(o.TransactionId)).Select(o => o.TransactionId)], cancellationToken))
        {
            kinds[id] = kind;
        }

        var open = looked.Select(o => new ChunkOpenItem(o.AccountId, o.TransactionId,
                o.OpenCents > 0 ? kinds[o.TransactionId].Type : FinancialTransactionType.Payment, o.OpenCents > 0 ? kinds[o.TransactionId].BillId : null, o.PostedOn, o.DueOn, o.OpenCents))
            .ToLookup(o => o.AccountId);
        var billIds = kinds.Where(k => k.Value.BillId is not null).ToDictionary(k => k.Key, k => k.Value.BillId!.Value);
        var watchedSince = arrangements.SelectMany(g => g).Select(a => a.CreatedOn).Concat(promises.SelectMany(g => g).Select(p => p.MadeOn)).DefaultIfEmpty(date).Min();
        var watched = arrangements.Select(g => g.Key).Concat(promises.Select(g => g.Key)).ToHashSet();
        var payments = watched.Count == 0
            ? Enumerable.Empty<(long AccountId, CollectionPayment Payment)>().ToLookup(p => p.AccountId, p => p.Payment)
            : (await laneDb.FinancialTransactions.AsNoTracking()
                    .Where(t => t.AccountId >= first && t.AccountId <= last && t.EffectiveOn >= watchedSince
                        && (t.Type == FinancialTransactionType.Payment || t.Type == FinancialTransactionType.ReturnedPayment))
                    .Select(t => new { t.AccountId, t.EffectiveOn, t.AmountCents })
                    .ToListAsync(cancellationToken))
                .Where(t => watched.Contains(t.AccountId))
                .ToLookup(t => t.AccountId, t => new CollectionPayment(t.EffectiveOn, Money.FromCents(-t.AmountCents), Applied: true));

        var decided = new List<(long AccountId, CollectionDay Day, StoredCollectionPolicy Policy)>(accounts.Count);
        foreach (var account in accounts)
        {
            var accountClass = CollectionPolicyCatalog.ClassName(account.Class);
            var debtType = DebtTypes.For(account.Status);
            var policy = CollectionPolicyCatalog.For(run.Policies, accountClass, debtType);
            if (policy is null)
            {
                var row = AccountCollection.For(account.Id);
                row.Update("", CollectionStatus.Current, 0, 0, false, null, null, null, null, null,
                    $"no collection policy applies to class {accountClass} and debt type {debtType}", date, now);
                batch.Standings.Add(row);
                continue;
            }

            var facts = Facts(accountClass, debtType, open[account.Id], billIds, protections[account.Id], pledges[account.Id], arrangements[account.Id], promises[account.Id], payments[account.Id], date);
            // Since the day after the account's last run: what ended on a day with no run is reported now.
            var reportSince = standings.TryGetValue(account.Id, out var before) && before.LastRunOn < date ? before.LastRunOn.AddDays(1) : date.AddDays(-7);
            var day = CollectionTimeline.Day(policy.Policy, facts, run.Calendar, date, History(history.Events.GetValueOrDefault(account.Id)), reportSince);
            decided.Add((account.Id, day, policy));
        }

        var posting = decided.Where(d => d.Day.Events.Any(e => e.Amount is { IsPositive: true } && e.Action is CollectionAction.LateCharge or CollectionAction.DoorHanger)).Select(d => d.AccountId).ToList();
        var ledgers = posting.Count == 0 ? [] : await AccountLedger.LoadManyAsync(laneDb, posting, cancellationToken, tracking: false);
        foreach (var (accountId, day, policy) in decided)
        {
            foreach (var e in day.Events)
            {
                FinancialTransaction? transaction = null;
                if (e is { Action: CollectionAction.LateCharge, Amount: { IsPositive: true } charge })
                {
                    var parts = SplitByService(charge, ledgers[accountId].OpenItems, e.Bill, billIds);
                    transaction = ledgers[accountId].Post(batch, PostingRules.ForLateCharge([.. parts.Select(p => (p.Service, p.Amount))]), date, date, parts, run.User,
                        $"Late charge, bill {e.Bill}: {e.Reason}", now);
                }
                else if (e is { Action: CollectionAction.DoorHanger, Amount: { IsPositive: true } fee })
                {
                    transaction = ledgers[accountId].Post(batch, PostingRules.ForCollectionFee(fee), date, date, null, run.User, "Door hanger fee", now);
                }

                var record = CollectionEventRecord.From(accountId, run.RunId, e, now);
                if (e is { Action: CollectionAction.LateCharge or CollectionAction.NoLateCharge, Bill: { } reference })
                {
                    record.BillTransactionId = BillTransaction(open[accountId], billIds, reference);
                }

                batch.Events.Add((record, transaction));
            }

            standings.TryGetValue(accountId, out var before);
            batch.Standings.Add(Standing(accountId, policy.Policy.Code, day.Standing, before, date, now));
            Decide(batch, arrangements[accountId], promises[accountId], [.. payments[accountId]], policy.Policy.Arrangements.MissedInstallmentGraceDays, date);
        }

        return batch;
    }

    /// <summary>Arrangements broken or completed by the end of the day, and promises whose day has passed, kept or broken, as the core decides them.</summary>
    private static void Decide(CollectionBatch batch, IEnumerable<Arrangement> arrangements, IEnumerable<Promise> promises, ImmutableArray<CollectionPayment> payments, int graceDays, DateOnly date)
    {
        foreach (var arrangement in arrangements)
        {
            var status = PaymentArrangements.StatusOn(arrangement.ToCore(), payments, graceDays, date);
            if (status.State != ArrangementState.Active)
            {
                batch.Arrangements.Add((arrangement.Id, status.State == ArrangementState.Broken ? ArrangementStage.Broken : ArrangementStage.Completed, status.Since, status.Reason));
            }
        }

        foreach (var promise in promises.Where(p => date > p.PromisedOn))
        {
            var paid = PaymentArrangements.PaidBetween(promise.MadeOn, promise.PromisedOn, payments);
            batch.Promises.Add((promise.Id, paid.Cents >= promise.AmountCents ? PromiseStatus.Kept : PromiseStatus.Broken, date));
        }
    }

    /// <summary>What the core needs of an account: what is still open of its bills and charges, and what it has recorded.</summary>
    private static CollectionAccount Facts(string accountClass, string debtType, IEnumerable<ChunkOpenItem> open, Dictionary<long, long> billIds,
        IEnumerable<AccountProtection> protections, IEnumerable<Storage.Assistance.AssistancePledgeRow> pledges, IEnumerable<Arrangement> arrangements, IEnumerable<Promise> promises, IEnumerable<CollectionPayment> watchedPayments, DateOnly date)
    {
        var bills = ImmutableArray.CreateBuilder<CollectionBill>();
        var charges = ImmutableArray.CreateBuilder<CollectionCharge>();
        var payments = ImmutableArray.CreateBuilder<CollectionPayment>();
        foreach (var item in open)
        {
            if (item.OpenCents < 0)
            {
                // An unapplied credit pays the oldest items first, as the ledger will.
                payments.Add(new CollectionPayment(item.PostedOn, Money.FromCents(-item.OpenCents)));
            }
            else if (item.OpenCents == 0)
            {
                continue;
            }
            else if (item.Type == FinancialTransactionType.Bill)
            {
                bills.Add(new CollectionBill(BillReference(billIds, item.TransactionId), item.PostedOn, Money.FromCents(item.OpenCents), item.DueOn));
            }
            else
            {
                charges.Add(new CollectionCharge(item.DueOn, Money.FromCents(item.OpenCents), item.Type == FinancialTransactionType.LateCharge));
            }
        }

        payments.AddRange(watchedPayments);
        var account = ProtectionRecords.Facts(protections, date, pledges);
        return new CollectionAccount(accountClass, debtType, bills.ToImmutable(), payments.ToImmutable(), account,
            [.. arrangements.Select(a => a.ToCore())], [.. promises.Select(p => p.ToCore())], charges.ToImmutable());
    }

    /// <summary>The posting of the account's open bill the core knows by <paramref name="reference"/>.</summary>
    private static long? BillTransaction(IEnumerable<ChunkOpenItem> open, Dictionary<long, long> billIds, string reference)
    {
        foreach (var item in open)
        {
            if (item.Type == FinancialTransactionType.Bill && BillReference(billIds, item.TransactionId) == reference)
            {
                return item.TransactionId;
            }
        }

        return null;
    }

    private static string BillReference(Dictionary<long, long> billIds, long transactionId) =>
        billIds.TryGetValue(transactionId, out var billId) ? billId.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"T{transactionId}";

    /// <summary>
    /// The history of the account's present delinquency, as the core reads it: the events since the last time
    /// nothing was past due. The amounts of late charges and fees are left out: what is still open of them is
    /// on the account already.
    /// </summary>
    private static ImmutableArray<CollectionEvent> History(List<CollectionEvent>? events)
    {
        if (events is null)
        {
            return [];
        }

        var start = events.FindLastIndex(e => e.Action == CollectionAction.PastDuePaid) + 1;
        return [.. events.Skip(start).Select(e => e.Action is CollectionAction.LateCharge or CollectionAction.DoorHanger ? e with { Amount = null } : e)];
    }

    /// <summary>A late charge split over the services of the bill it follows, in proportion to what is open of each (the cents that do not divide go to the largest shares first).</summary>
    private static List<AccountLedger.ChargePart> SplitByService(Money charge, IEnumerable<OpenItem> open, string? bill, Dictionary<long, long> billIds)
    {
        var shares = open.Where(o => o.OpenCents > 0 && billIds.ContainsKey(o.FinancialTransactionId) && (bill is null || BillReference(billIds, o.FinancialTransactionId) == bill))
            .GroupBy(o => o.Service).Select(g => (Service: g.Key, Cents: g.Sum(o => o.OpenCents))).OrderByDescending(s => s.Cents).ThenBy(s => s.Service).ToList();
        var total = shares.Sum(s => s.Cents);
        if (total <= 0)
        {
            return [new AccountLedger.ChargePart(Service.Water, charge)];
        }

        var parts = shares.Select(s => (s.Service, Cents: charge.Cents * s.Cents / total)).ToList();
        var left = charge.Cents - parts.Sum(p => p.Cents);
        for (var i = 0; left > 0; i = (i + 1) % parts.Count, left--)
        {
            parts[i] = (parts[i].Service, parts[i].Cents + 1);
        }

        return [.. parts.Where(p => p.Cents > 0).Select(p => new AccountLedger.ChargePart(p.Service, Money.FromCents(p.Cents)))];
    }

    private static AccountCollection Standing(long accountId, string policyCode, CollectionStanding standing, ChunkStanding? before, DateOnly date, DateTimeOffset now)
    {
        // A disconnected account stays disconnected until its reconnect order is completed, paid or not.
        var disconnected = before?.Status == CollectionStatus.Disconnected;
        var status = disconnected ? CollectionStatus.Disconnected
            : !standing.PastDue.IsPositive ? CollectionStatus.Current
            : standing.LastStep switch
            {
                StepKind.Reminder => CollectionStatus.Reminded,
                StepKind.FinalNotice => CollectionStatus.FinalNotice,
                StepKind.DoorHanger => CollectionStatus.DoorHanger,
                StepKind.DisconnectEligible => CollectionStatus.DisconnectEligible,
                _ => CollectionStatus.PastDue,
            };
        var listed = standing.Listed && !disconnected;
        var listedOn = listed ? (before is { Listed: true, ListedOn: { } on } ? on : date) : (DateOnly?)null;
        var finalNoticeOn = standing.FinalNoticeOn ?? (status == CollectionStatus.Current ? null : before?.FinalNoticeOn);
        var earliest = standing.EarliestDisconnectOn ?? (finalNoticeOn is not null && finalNoticeOn == before?.FinalNoticeOn ? before?.EarliestDisconnectOn : null);
        var row = AccountCollection.For(accountId);
        row.Update(policyCode, status, standing.DaysPastDue, standing.PastDue.Cents, listed, listedOn, listed ? standing.ListReason : null, standing.HeldBy,
            finalNoticeOn, earliest, disconnected ? $"disconnected{(standing.PastDue.IsPositive ? "" : ", paid: waiting for the reconnect order")}; {standing.Explanation}" : standing.Explanation, date, now);
        return row;
    }
}
