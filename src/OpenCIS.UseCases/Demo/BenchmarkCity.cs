using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Metering;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.UseCases.Demo;

/// <summary>One search a benchmark times: its kind, the account it is meant to find and the text typed.</summary>
public sealed record BenchmarkSearch(string Kind, long AccountId, string Query);

/// <summary>A meter's first and last read, from which a benchmark's read file continues its usual use.</summary>
public sealed record BenchmarkMeter(string Serial, int Dials, DateOnly FirstReadOn, long FirstReading, DateOnly LastReadOn, long LastReading);

/// <summary>What a month brought a cycle before its next bench run: the payments on its last bills, and the review queue's decisions.</summary>
public sealed record BenchmarkMonth(int Payments, long PaidCents, int ReadsAccepted, int ReadsEstimated, int BillsReleased = 0);

/// <summary>An account a benchmark's lockbox file pays, with its open balance.</summary>
public sealed record BenchmarkPayer(long AccountId, string AccountNumber, long OpenCents);

/// <summary>
/// What the <c>opencis bench</c> commands read from the database they measure: the city (seeded on
/// an empty database), its last billing run, its meters' reads and its balances. The timed work itself
/// runs through the ordinary use cases.
/// </summary>
public sealed class BenchmarkCity(OpenCisDbContext db, SeedDemoCity seed, Collections.ImportCollectionPolicy importPolicy, PaymentBatchPoster poster, Metering.ReviewReads reviewReads,
    Billing.ReviewHeldBills heldBills)
{
    /// <summary>
    /// The bills the cycle's runs held for review, released by the clerk two days after the last run, as a clerk
    /// releases a bill whose high or low use the read's review already explained. Each is issued as of that day.
    /// </summary>
    public async Task<BenchmarkMonth> ReleaseHeldBillsAsync(string cycle, string user, CancellationToken cancellationToken)
    {
        var run = await db.BillingRuns.AsNoTracking().Where(r => r.CycleCode == cycle && r.Status == Storage.Billing.BillingRunStatus.Completed)
            .OrderByDescending(r => r.BusinessDate).Select(r => new { r.BusinessDate }).FirstOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return new BenchmarkMonth(0, 0, 0, 0);
        }

        // The whole queue of the cycle, older runs' held bills too (a bench run before the release was part of its month left them).
        var held = await db.Bills.AsNoTracking().Where(b => b.Status == Storage.Billing.BillStatus.Held)
            .Join(db.BillingRuns.Where(r => r.CycleCode == cycle), b => b.BillingRunId, r => (long?)r.Id, (b, r) => b.Id).OrderBy(id => id).ToListAsync(cancellationToken);
        foreach (var billId in held)
        {
            await heldBills.ReleaseOnAsync(billId, user, run.BusinessDate.AddDays(2), cancellationToken);
            db.ChangeTracker.Clear();
        }

        return new BenchmarkMonth(0, 0, 0, 0, held.Count);
    }

    /// <summary>Payments posted in one transaction while a month's are paid in.</summary>
    private const int PaymentsPerBatch = 10_000;

    /// <summary>
    /// The customers pay the cycle's last run's bills, as a city's do in a month: most in full a week
    /// or two after the bill, some part of it, a few after the due date, a few not at all (each account
    /// keeps its habit from month to month). They post through the payment poster in batches, each on
    /// its day, before the next month's reads. Done once per run: the payments carry the run in their
    /// reference, so a bench stopped and run again does not pay twice.
    /// </summary>
    public async Task<BenchmarkMonth> PayLastBillsAsync(string cycle, DateOnly before, string user, CancellationToken cancellationToken)
    {
        var run = await db.BillingRuns.AsNoTracking().Where(r => r.CycleCode == cycle && r.Status == Storage.Billing.BillingRunStatus.Completed)
            .OrderByDescending(r => r.BusinessDate).Select(r => new { r.Id }).FirstOrDefaultAsync(cancellationToken);
        var reference = $"mailed-run-{run?.Id}";
        if (run is null || await db.Payments.AnyAsync(p => p.Reference == reference, cancellationToken))
        {
            return new BenchmarkMonth(0, 0, 0, 0);
        }

        var bills = await db.Bills.AsNoTracking().Where(b => b.BillingRunId == run.Id && b.Status == Storage.Billing.BillStatus.Issued && b.AmountDueCents > 0)
            .OrderBy(b => b.AccountId).Select(b => new { b.AccountId, b.AmountDueCents, b.BillDate, b.DueDate }).ToListAsync(cancellationToken);
        var instructions = new List<PaymentInstruction>();
        foreach (var bill in bills)
        {
            var habit = (int)((ulong)bill.AccountId * 2_654_435_761UL % 100);
            var day = (int)((ulong)bill.AccountId * 40_503UL % 14);
            var (cents, receivedOn) = habit switch
            {
                < 85 => (bill.AmountDueCents, bill.BillDate.AddDays(5 + day)),
                < 92 => (bill.AmountDueCents * 60 / 100, bill.BillDate.AddDays(8 + day)),
                < 97 => (bill.AmountDueCents, bill.DueDate.AddDays(1 + (day % 5))),
                _ => (0, bill.BillDate),
            };
            if (cents > 0 && receivedOn < before)
            {
                instructions.Add(new PaymentInstruction(bill.AccountId, Core.Common.Money.FromCents(cents), receivedOn, Core.Payments.Tender.Check, Core.Payments.PaymentSource.Mail, reference));
            }
        }

        foreach (var batch in instructions.Chunk(PaymentsPerBatch))
        {
            await poster.PostAsync(batch, user, cancellationToken);
            db.ChangeTracker.Clear();
        }

        return new BenchmarkMonth(instructions.Count, instructions.Sum(i => i.Amount.Cents), 0, 0);
    }

    /// <summary>
    /// The review queue worked as a clerk works it before the run: a suspect read (high or low use) checked and
    /// accepted, a rejected one replaced by an estimate. A thousand at a time, as the queue shows them.
    /// </summary>
    public async Task<BenchmarkMonth> ReviewReadsAsync(string cycle, string user, CancellationToken cancellationToken)
    {
        var (accepted, estimated) = (0, 0);
        while (true)
        {
            var queue = await reviewReads.QueueAsync(cycle, cancellationToken);
            var suspect = queue.Where(r => r.Status == nameof(ReadStatus.Suspect)).Select(r => r.ReadId).ToList();
            var rejected = queue.Where(r => r.Status == nameof(ReadStatus.Rejected)).Select(r => r.ReadId).ToList();
            if (suspect.Count > 0)
            {
                accepted += await reviewReads.DecideAsync(suspect, Metering.ReviewDecision.Accept, "Checked against the meter's history", null, user, cancellationToken);
            }

            if (rejected.Count > 0)
            {
                estimated += await reviewReads.DecideAsync(rejected, Metering.ReviewDecision.Estimate, "Unreadable; estimated until the next read", null, user, cancellationToken);
            }

            db.ChangeTracker.Clear();
            if (queue.Count < Metering.ReviewReads.QueueLimit)
            {
                return new BenchmarkMonth(0, 0, accepted, estimated);
            }
        }
    }

    /// <summary>Seeds the demo city when the database has no account; the time it took, or null when it was there.</summary>
    public async Task<TimeSpan?> EnsureSeededAsync(int accounts, CancellationToken cancellationToken)
    {
        if (await db.Accounts.AnyAsync(cancellationToken))
        {
            return null;
        }

        var seeded = await seed.ExecuteAsync(accounts, null, cancellationToken);
        db.ChangeTracker.Clear();
        return seeded.Elapsed;
    }

    /// <summary>The city's size: its utility accounts (the parties' receivables accounts of its invoices are not counted).</summary>
    public Task<long> AccountCountAsync(CancellationToken cancellationToken) => db.Accounts.LongCountAsync(a => a.PremiseId != null, cancellationToken);

    /// <summary>The demo's invoice types and their revenue accounts, for a city seeded before there were invoices.</summary>
    public Task EnsureInvoiceTypesAsync(CancellationToken cancellationToken) => DemoInvoices.EnsureTypesAsync(db, "bench", DateTimeOffset.UtcNow, cancellationToken);

    /// <summary>The invoices the debt-check benchmark imported (its files are named <c>bench-invoices-N.csv</c>): the demo's own are not counted, so the benchmark's invoice numbering starts at zero.</summary>
    public Task<int> InvoiceCountAsync(CancellationToken cancellationToken) => db.Invoices.CountAsync(i => i.Source.StartsWith("bench-invoices-"), cancellationToken);

    /// <summary>The main customers of <paramref name="count"/> utility accounts spread over the city, with their surnames (a business's first word).</summary>
    public async Task<IReadOnlyList<(long CustomerId, string Name)>> MainCustomersAsync(int count, CancellationToken cancellationToken)
    {
        var total = await db.AccountCustomers.CountAsync(ac => ac.Role == AccountRole.Main, cancellationToken);
        var step = Math.Max(1, total / Math.Max(1, count));
        var rows = await db.AccountCustomers.AsNoTracking().Where(ac => ac.Role == AccountRole.Main && ac.AccountId % step == 0)
            .Join(db.Customers, ac => ac.CustomerId, c => c.Id, (ac, c) => new { c.Id, c.DisplayName, c.Kind }).Take(count).ToListAsync(cancellationToken);
        return rows.Select(r =>
        {
            var words = r.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return (r.Id, r.Kind == CustomerKind.Person ? words[^1] : words[0]);
        }).ToList();
    }

    /// <summary><paramref name="count"/> parcels of premises spread over the city.</summary>
    public async Task<IReadOnlyList<string>> ParcelsAsync(int count, CancellationToken cancellationToken)
    {
        var total = await db.Premises.CountAsync(cancellationToken);
        var step = Math.Max(1, total / Math.Max(1, count));
        return await db.Premises.AsNoTracking().Where(p => p.Id % step == 0 && p.ParcelId != "").OrderBy(p => p.Id).Select(p => p.ParcelId).Take(count).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// What clerks type into search, taken from <paramref name="accounts"/> accounts spread evenly over the city: the
    /// main customer's surname (a business's first word), the service street line, the phone as the customer says it, the
    /// parcel and the meter serial.
    /// </summary>
    public async Task<IReadOnlyList<BenchmarkSearch>> SearchSamplesAsync(int accounts, CancellationToken cancellationToken)
    {
        var total = await db.Accounts.CountAsync(cancellationToken);
        var step = Math.Max(1, total / Math.Max(1, accounts));
        var ids = await db.Accounts.AsNoTracking().OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(cancellationToken);
        var chosen = ids.Where((_, i) => i % step == step / 2).Take(accounts).ToList();
        var rows = await db.Accounts.AsNoTracking().Where(a => chosen.Contains(a.Id))
            .Join(db.Premises, a => a.PremiseId, p => p.Id, (a, p) => new { a.Id, p.AddressLine1, p.ParcelId })
            .ToListAsync(cancellationToken);
        var customers = (await db.AccountCustomers.AsNoTracking().Where(ac => chosen.Contains(ac.AccountId) && ac.Role == AccountRole.Main && ac.EndedOn == null)
            .Join(db.Customers, ac => ac.CustomerId, c => c.Id, (ac, c) => new { ac.AccountId, c.DisplayName, c.Kind, c.PhoneDigits }).ToListAsync(cancellationToken))
            .GroupBy(c => c.AccountId).ToDictionary(g => g.Key, g => g.First());
        var meters = (await db.ServiceAgreements.AsNoTracking().Where(sa => chosen.Contains(sa.AccountId))
            .Join(db.Meters, sa => sa.ServicePointId, m => m.ServicePointId, (sa, m) => new { sa.AccountId, m.Serial }).ToListAsync(cancellationToken))
            .GroupBy(m => m.AccountId).ToDictionary(g => g.Key, g => g.Min(m => m.Serial)!);
        var samples = new List<BenchmarkSearch>();
        foreach (var row in rows.OrderBy(r => r.Id))
        {
            if (customers.TryGetValue(row.Id, out var customer))
            {
                // A person by surname, a business by the first word of its name.
                var words = customer.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                samples.Add(new BenchmarkSearch("name", row.Id, customer.Kind == CustomerKind.Person ? words[^1] : words[0]));
                if (customer.PhoneDigits is { Length: 10 } d)
                {
                    samples.Add(new BenchmarkSearch("phone", row.Id, $"({d[..3]}) {d[3..6]}-{d[6..]}"));
                }
            }

            samples.Add(new BenchmarkSearch("address", row.Id, row.AddressLine1));
            samples.Add(new BenchmarkSearch("parcel", row.Id, row.ParcelId));
            if (meters.TryGetValue(row.Id, out var serial))
            {
                samples.Add(new BenchmarkSearch("meter", row.Id, serial));
            }
        }

        return samples;
    }

    /// <summary>Imports the demo collection policy when no policy is on file; the import's message, or null when one was there.</summary>
    public async Task<string?> EnsureCollectionPolicyAsync(string user, CancellationToken cancellationToken) =>
        await db.CollectionPolicies.AnyAsync(cancellationToken)
            ? null
            : (await importPolicy.ExecuteAsync(DemoCollections.PolicyFileName, DemoCollections.PolicyYaml(), user, cancellationToken)).Message;

    /// <summary>The day after the last collections run, or null when none has run.</summary>
    public async Task<DateOnly?> NextCollectionsDateAsync(CancellationToken cancellationToken) =>
        (await db.CollectionRuns.OrderByDescending(r => r.BusinessDate).Select(r => (DateOnly?)r.BusinessDate).FirstOrDefaultAsync(cancellationToken))?.AddDays(1);

    /// <summary>How many accounts have something past due on <paramref name="date"/>.</summary>
    public Task<int> PastDueAccountsAsync(DateOnly date, CancellationToken cancellationToken) =>
        Collections.PastDueItems.Before(db.OpenItems, date).Select(o => o.AccountId).Distinct().CountAsync(cancellationToken);

    public async Task<DateOnly?> LastRunDateAsync(string cycle, CancellationToken cancellationToken) =>
        await db.BillingRuns.AsNoTracking().Where(r => r.CycleCode == cycle).OrderByDescending(r => r.BusinessDate).Select(r => (DateOnly?)r.BusinessDate).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Next month's reads of a cycle as a CSV file: each meter's last valid read plus its usual month of use.</summary>
    public Task<byte[]> NextMonthReadsAsync(string cycle, DateOnly readOn, CancellationToken cancellationToken) =>
        DemoReads.NextMonthAsync(db, cycle, readOn, cancellationToken);

    /// <summary>The interval days the cycle's electric meters delivered since their last, through the read day: what time of use and demand bill on.</summary>
    public Task<int> NextIntervalDaysAsync(string cycle, DateOnly readOn, CancellationToken cancellationToken) =>
        DemoElectric.DeliverNextDaysAsync(db, cycle, readOn, cancellationToken);

    public Task<List<BenchmarkMeter>> InstalledMetersAsync(CancellationToken cancellationToken) =>
        db.Meters.AsNoTracking().Where(m => m.Status == MeterStatus.Installed)
            .Select(m => new
            {
                m.Serial,
                m.Dials,
                First = db.Reads.Where(r => r.MeterId == m.Id).OrderBy(r => r.ReadOn).Select(r => new { r.ReadOn, r.Reading }).First(),
                Last = db.Reads.Where(r => r.MeterId == m.Id).OrderByDescending(r => r.ReadOn).Select(r => new { r.ReadOn, r.Reading }).First(),
            })
            .Select(m => new BenchmarkMeter(m.Serial, m.Dials, m.First.ReadOn, m.First.Reading, m.Last.ReadOn, m.Last.Reading))
            .ToListAsync(cancellationToken);

    /// <summary>Every account in id order with its open balance (0 when none).</summary>
    public async Task<List<BenchmarkPayer>> PayersAsync(CancellationToken cancellationToken)
    {
        var balances = await db.OpenItems.AsNoTracking().Where(o => o.OpenCents != 0).GroupBy(o => o.AccountId)
            .Select(g => new { AccountId = g.Key, Cents = g.Sum(o => o.OpenCents) }).ToDictionaryAsync(b => b.AccountId, b => b.Cents, cancellationToken);
        var accounts = await db.Accounts.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Id, a.AccountNumber }).ToListAsync(cancellationToken);
        return accounts.Select(a => new BenchmarkPayer(a.Id, a.AccountNumber, balances.GetValueOrDefault(a.Id))).ToList();
    }

    public Task<int> LockboxFilesAsync(LockboxFormat format, CancellationToken cancellationToken) =>
        db.ImportedFiles.CountAsync(f => f.Kind == ImportLockbox.KindOf(format), cancellationToken);

    /// <summary>The latest ACH debit file's text, for a return file to answer (null when none was generated).</summary>
    public Task<string?> LatestAchFileAsync(CancellationToken cancellationToken) =>
        db.AchFiles.AsNoTracking().Where(f => f.EntryCount > 0).OrderByDescending(f => f.Id).Select(f => f.Content).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The first day from <paramref name="from"/> on when a bill of an account paying by ACH falls due, for an ACH file with debits in it.</summary>
    public Task<DateOnly?> NextAchDueDateAsync(DateOnly from, CancellationToken cancellationToken) =>
        db.Bills.AsNoTracking().Where(b => b.DueDate >= from)
            .Join(db.AchEnrollments.Where(e => e.Status == Storage.Payments.Ach.AchEnrollmentStatus.Active), b => b.AccountId, e => e.AccountId, (b, e) => (DateOnly?)b.DueDate)
            .OrderBy(d => d).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Forgets the entities the preparation loaded, so the timed run starts from a clean unit of work.</summary>
    public void Forget() => db.ChangeTracker.Clear();
}
