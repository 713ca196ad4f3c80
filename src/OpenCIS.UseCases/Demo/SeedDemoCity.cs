using OpenCIS.UseCases.Encryption;
using OpenCIS.Core.Metering;
using System.Diagnostics;
using Bogus;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Storage.Rating;
using OpenCIS.UseCases.Rating;
using OpenCIS.Storage;
using OpenCIS.Storage.Bulk;
using OpenCIS.Storage.Collections;

namespace OpenCIS.UseCases.Demo;

public sealed record DemoSeedOutcome(int Accounts, int BillingRuns, int Bills, int Exceptions, int Payments, DateOnly From, DateOnly Through, TimeSpan Elapsed, IReadOnlyDictionary<long, SeedDemoCity.PlantedCase> Planted)
{
    /// <summary>The accounts planted with assistance programs and pledges (cities of 100 accounts or more).</summary>
    public DemoAssistance.Plants? Assistance { get; init; }

    /// <summary>The planted invoices of city receivables.</summary>
    public DemoInvoices.Plants? Invoices { get; init; }

    /// <summary>Where the seed's time went, by phase (see <see cref="SeedPhases"/>), the rest last.</summary>
    public IReadOnlyList<(string Phase, TimeSpan Elapsed)> Phases { get; init; } = [];
}

/// <summary>The seed's time by phase: the accounts, each month's reads, the billing runs, the payments and the collections year.</summary>
public sealed class SeedPhases
{
    public const string Accounts = "accounts";
    public const string Reads = "reads";
    public const string Billing = "billing";
    public const string Payments = "payments";
    public const string Collections = "collections";
    public const string Other = "the rest";

    private readonly Dictionary<string, TimeSpan> spent = [];
    private long mark = Stopwatch.GetTimestamp();

    /// <summary>Counts the time since the last mark (or since this was made) to <paramref name="name"/>, and marks now.</summary>
    public void Add(string name)
    {
        var now = Stopwatch.GetTimestamp();
        spent[name] = spent.GetValueOrDefault(name) + Stopwatch.GetElapsedTime(mark, now);
        mark = now;
    }

    /// <summary>Leaves the time since the last mark to the rest, and marks now.</summary>
    public void Skip() => mark = Stopwatch.GetTimestamp();

    /// <summary>The named phases in their order, then the rest of <paramref name="total"/>.</summary>
    public IReadOnlyList<(string Phase, TimeSpan Elapsed)> Of(TimeSpan total)
    {
        var named = new[] { Accounts, Reads, Billing, Payments, Collections }.Select(name => (name, spent.GetValueOrDefault(name))).ToList();
        return [.. named, (Other, total - named.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Item2))];
    }
}

/// <summary>
/// Builds the fictional City of Riverbend: accounts with water, sewer and trash, meters with a
/// year of reads, and that year's bills and payments produced by the real billing run and payment
/// poster, one business day at a time. Deterministic for a given size and end date. A few accounts
/// pay late or not at all, and a few meters miss their last read, so collections and the billing
/// exceptions have something to show.
/// </summary>
public sealed partial class SeedDemoCity(OpenCisDbContext db, RunBilling runBilling, PaymentBatchPoster poster, FieldProtector protector, BusinessCalendar calendar, TimeProvider clock, Collections.RunCollections runCollections, Collections.ImportCollectionPolicy importPolicy, Collections.ImportNoticeTemplate importTemplate, Collections.ProduceNotices produceNotices, UnitConversion conversion, Letters.SendLetter letters, Invoices.PostRemittance remittances, Invoices.InvoiceWaivers waivers, Invoices.InvoiceStatements statements, Bankruptcy.BankruptcyCases bankruptcies, Pursuit.PursueFinalBills pursuit, Pursuit.AgencyPayments agencyPayments, Pursuit.CollectionAgencies agencies, Liens.RunLiens liens, Liens.LienRegister lienRegister, Campaigns.CallingCampaignBook campaigns, Customers.ImportReturnedMail returnedMail, Customers.SkipTrace skipTrace, Portal.PortalRequests portalRequests, Cases.CaseWork caseWork)
{
    public const string User = "demo-seed";
    public const int MaximumAccounts = 1_000_000;

    /// <summary>The history a demo city has by default: a year. A shorter one (down to <see cref="MinimumMonths"/>) makes a plain city for scale.</summary>
    public const int FullYear = 12;

    public const int MinimumMonths = 1;

    /// <summary>
    /// Cities from 100 to this many accounts (the demo's sizes) get a year of the daily collections run, every
    /// business day; larger ones are benchmark cities, whose first collections run catches up the year at once.
    /// </summary>
    public const int CollectionsAccountsMax = 20_000;

    /// <summary>The tables a city's set-up fills (<see cref="DeferredIndexes"/>).</summary>
    private static readonly string[] SetUpTables =
        ["premises", "customers", "accounts", "service_points", "meters", "account_customers", "service_agreements", "meter_reads", "meter_events"];

    /// <summary>Accounts drawn at a time: each chunk draws its accounts, then their first reads, so the city depends on this size.</summary>
    private const int ChunkSize = 500;

    /// <summary>
    /// Accounts set up per transaction: a commit on SQLite checkpoints the write-ahead log, writing back every page the chunk's
    /// index entries touched, so committing ten chunks at once writes each page once where it was written ten times (at a
    /// commit a chunk, half the set-up went to commits).
    /// </summary>
    private const int AccountsPerCommit = ChunkSize * 10;

    /// <summary>Payments posted per batch: their ledgers are loaded together.</summary>
    private const int PaymentsPerBatch = 50_000;

    /// <summary>Interval days held before they are written: about 50 MB of them.</summary>
    private const int IntervalDaysPerWrite = 100_000;

    private static readonly (string Code, string Name, int ReadDay)[] Cycles = [("C1", "Cycle 1 - North side", 5), ("C2", "Cycle 2 - South side", 20)];

    private enum PayHabit
    {
        OnTime,
        Partial,
        Late,
        NonPayer,
    }

    /// <param name="Rental">A tenant's account: the premise's owner of record is another customer, the account's owner.</param>
    private sealed record DemoAccount(long AccountId, string CycleCode, AccountClass Class, long MeterId, long ServicePointId, decimal Multiplier, double UsageFactor, PayHabit Habit, Tender Tender, bool MissesLastRead, bool Rental = false);

    public Task<DemoSeedOutcome> ExecuteAsync(int accountCount, IProgress<string>? progress = null, CancellationToken cancellationToken = default) =>
        ExecuteAsync(accountCount, FullYear, progress, cancellationToken);

    /// <summary>
    /// Seeds a city of <paramref name="accountCount"/> accounts with <paramref name="months"/> months of history. A full year's city
    /// carries the planted cases, the year of collections and the budget and assistance plants; a shorter history is a plain city,
    /// for scale (its accounts, meters, reads, bills and payments made the same way, by the real billing run and payment poster).
    /// </summary>
    public async Task<DemoSeedOutcome> ExecuteAsync(int accountCount, int months, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (accountCount is < 1 or > MaximumAccounts)
        {
            throw new DomainException($"The demo city has between 1 and {MaximumAccounts:N0} accounts.", "accounts");
        }

        if (months is < MinimumMonths or > FullYear)
        {
            throw new DomainException($"The demo city has between {MinimumMonths} and {FullYear} months of history.", "months");
        }

        var fullYear = months == FullYear;

        var existing = await db.Accounts.CountAsync(cancellationToken);
        if (existing > 0)
        {
            throw new DomainException($"The database already has {existing:N0} accounts; the demo city is seeded only into an empty database.");
        }

        var stopwatch = Stopwatch.StartNew();
        var through = calendar.Today();
        var from = through.AddMonths(-months).AddDays(1);
        var random = new Random(20261122);
        Randomizer.Seed = new Random(42);
        var faker = new Faker("en");

        progress?.Report("Creating cycles and rate schedules");
        foreach (var (code, name, readDay) in Cycles)
        {
            db.BillingCycles.Add(new BillingCycle { Code = code, Name = name, ReadDayOfMonth = readDay, DueDays = 21, ReadWindowDays = 10 });
        }

        var increaseOn = new DateOnly(through.AddMonths(-5).Year, through.AddMonths(-5).Month, 1);
        foreach (var (service, tariff) in DemoTariffs.All(increaseOn))
        {
            db.RateSchedules.Add(new RateSchedule { Code = tariff.Code, Name = tariff.Name, Service = service, EffectiveFrom = tariff.EffectiveFrom, Definition = TariffYaml.Write(tariff, service) });
        }

        foreach (var (service, tariff) in DemoElectric.Tariffs(new DateOnly(2020, 1, 1)))
        {
            db.RateSchedules.Add(new RateSchedule { Code = tariff.Code, Name = tariff.Name, Service = service, EffectiveFrom = tariff.EffectiveFrom, Definition = TariffYaml.Write(tariff, service) });
        }

        foreach (var (service, tariff) in DemoGas.Tariffs(new DateOnly(2020, 1, 1)).Concat(DemoFireLines.Tariffs(new DateOnly(2020, 1, 1))))
        {
            db.RateSchedules.Add(new RateSchedule { Code = tariff.Code, Name = tariff.Name, Service = service, EffectiveFrom = tariff.EffectiveFrom, Definition = TariffYaml.Write(tariff, service) });
        }

        foreach (var value in DemoElectric.PpaValues(from.AddMonths(-2), through).Concat(DemoGas.Values(from.AddMonths(-2), through)))
        {
            db.RateValues.Add(new RateValueRow { Name = value.Name, EffectiveFrom = value.EffectiveFrom, Value = value.Value, RecordedBy = User, RecordedAt = clock.GetUtcNow() });
        }

        DemoBillMessages.Add(db, through, User, clock.GetUtcNow());

        await db.SaveChangesAsync(cancellationToken);

        var openedOn = from.AddDays(-30);
        var demoAccounts = new List<DemoAccount>(accountCount);
        var phases = new SeedPhases();
        // Cities of 100 accounts or more have the electric and gas utilities, the stormwater fee and commercial fire lines, from random draws of their own.
        var electricRandom = new Random(20261205);
        var electric = new List<DemoElectric.ElectricAccount>();
        var gasRandom = new Random(20261206);
        var gas = new List<DemoGas.GasAccount>();
        var fireRandom = new Random(20261207);
        var fireLines = new List<DemoFireLines.FireLine>();

        // The set-up tables are empty: their indexes are built once, after the set-up, rather than kept up row by row.
        var deferred = await DeferredIndexes.DropAsync(db, SetUpTables, cancellationToken);
        try
        {
            for (var group = 1; group <= accountCount; group += AccountsPerCommit)
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                for (var start = group; start <= Math.Min(accountCount, group + AccountsPerCommit - 1); start += ChunkSize)
                {
                    var end = Math.Min(accountCount, start + ChunkSize - 1);
                    progress?.Report($"Creating accounts {start:N0}-{end:N0} of {accountCount:N0}");
                    demoAccounts.AddRange(await CreateAccountsAsync(start, end, openedOn, faker, random, cancellationToken));
                }

                await transaction.CommitAsync(cancellationToken);
            }

            if (accountCount >= 100)
            {
                List<(long, string, AccountClass, long)> attach = [.. (await db.Accounts.AsNoTracking().Where(a => a.PremiseId != null).OrderBy(a => a.Id)
                    .Select(a => new { a.Id, a.CycleCode, a.Class, PremiseId = a.PremiseId!.Value }).ToListAsync(cancellationToken))
                    .Select(a => (a.Id, a.CycleCode, a.Class, a.PremiseId))];
                electric = await DemoElectric.AttachAsync(db, attach, openedOn, User, clock.GetUtcNow(), electricRandom, cancellationToken);
                gas = await DemoGas.AttachAsync(db, attach, openedOn, User, clock.GetUtcNow(), gasRandom, cancellationToken);
                fireLines = await DemoFireLines.AttachAsync(db, attach, openedOn, User, clock.GetUtcNow(), fireRandom, cancellationToken);
            }
        }
        catch
        {
            // No table is left without its indexes: the failure stands, whatever the rebuild then finds.
            try
            {
                await deferred.RestoreAsync(CancellationToken.None);
            }
            catch (System.Data.Common.DbException)
            {
                // The failure above is the one to report.
            }

            throw;
        }

        progress?.Report("Building the indexes");
        await deferred.RestoreAsync(cancellationToken);
        phases.Add(SeedPhases.Accounts);

        var withCollections = fullYear && accountCount is >= 100 and <= CollectionsAccountsMax;
        var collectionsFrom = Collections.CollectionPolicyYaml.Read(DemoCollections.PolicyYaml(), DemoCollections.PolicyFileName).EffectiveFrom;
        if (withCollections)
        {
            await importPolicy.ExecuteAsync(DemoCollections.PolicyFileName, DemoCollections.PolicyYaml(), User, cancellationToken);
            await importPolicy.ExecuteAsync(DemoCollections.FinalPolicyFileName, DemoCollections.FinalPolicyYaml(), User, cancellationToken);
            foreach (var agency in DemoPursuit.Agencies)
            {
                await agencies.SaveAsync(agency, User, cancellationToken);
            }

            db.ChangeTracker.Clear();
        }

        // The notice templates with collections; the letters (a welcome on starting service, a final bill...) in every city.
        foreach (var (kind, fileName, text) in DemoCollections.NoticeTemplates().Where(t => withCollections || Collections.NoticeTemplates.IsLetter(t.Kind)))
        {
            await importTemplate.ExecuteAsync(kind, fileName, text, User, cancellationToken);
        }

        // And their Spanish translations, for the customers who chose Spanish in the portal.
        foreach (var (kind, fileName, text) in DemoCollections.SpanishTemplates().Where(t => withCollections || Collections.NoticeTemplates.IsLetter(t.Kind)))
        {
            await importTemplate.ExecuteAsync(kind, "es", fileName, text, User, cancellationToken);
        }

        db.ChangeTracker.Clear();

        var planted = fullYear ? ChoosePlants(demoAccounts) : [];

        if (fullYear && accountCount >= 100)
        {
            // Three on-time residential customers on budget billing from the year's first day, trued up on the bill two months
            // before the last: the year shows budget bills beside their actual charges, reviews, a true-up and the amount after it.
            foreach (var (account, cents) in BudgetCustomers(demoAccounts, planted).Zip(DemoBudgetAmounts))
            {
                db.BudgetPlans.Add(BudgetPlanRow.Enroll(account.AccountId, new BudgetPlan(Money.FromCents(cents), through.AddMonths(-2).Month, 3, from.AddMonths(3)), from, User));
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        // Use is drawn apart from payments in these cities: a payment follows its bill, so a bill's amount (its electric and
        // stormwater charges) would otherwise move every later account's use.
        var usageRandom = accountCount >= 100 ? new Random(20261123) : random;
        var electricByCycle = electric.ToLookup(e => e.CycleCode);
        var electricRead = electric.ToDictionary(e => e.MeterId, e => (On: openedOn, Reading: e.InitialReading));
        var gasByCycle = gas.ToLookup(g => g.CycleCode);
        var gasRegisters = new Dictionary<long, long>();
        var fireLinesByCycle = fireLines.ToLookup(f => f.CycleCode);
        var fireRegisters = new Dictionary<long, long>();
        var collectionPlan = withCollections
            ? await PlantCollectionCasesAsync(demoAccounts, planted, through, [.. electric.Select(e => e.AccountId), .. gas.Select(g => g.AccountId), .. fireLines.Select(f => f.AccountId)], cancellationToken)
            : CollectionPlan.None;
        var assistance = await DemoAssistance.EnrollAsync(db, !fullYear || accountCount < 100 ? [] : [.. demoAccounts
                .Where(a => a.Class == AccountClass.Residential && a.Habit == PayHabit.OnTime && !a.MissesLastRead && !a.Rental && !planted.ContainsKey(a.AccountId))
                .Select(a => a.AccountId)],
            openedOn, User, clock.GetUtcNow(), cancellationToken);
        db.ChangeTracker.Clear();

        var byCycle = demoAccounts.GroupBy(a => a.CycleCode).ToDictionary(g => g.Key, g => g.ToList());
        var registers = await db.Reads.AsNoTracking().ToDictionaryAsync(r => r.MeterId, r => r.Reading, cancellationToken);
        var meterDials = await db.Meters.AsNoTracking().ToDictionaryAsync(m => m.Id, m => m.Dials, cancellationToken);
        var currentMeter = demoAccounts.ToDictionary(a => a.AccountId, a => a.MeterId);
        var scheduled = new SortedDictionary<DateOnly, List<PaymentInstruction>>();
        int runs = 0, bills = 0, exceptions = 0, payments = 0;
        var billIndex = 0;
        var monthReads = new List<NewRead>();
        var monthIntervals = new List<NewIntervalDay>();
        for (var day = from; day <= through; day = day.AddDays(1))
        {
            var runsToday = Cycles.Where(c => c.ReadDay == day.Day).ToList();
            var collectionsToday = withCollections && day >= collectionsFrom && IsBusinessDay(day);
            // The planted arrangements, promise and move-out are made on their days, before the day's payments and runs.
            await ActOnCollectionPlanAsync(collectionPlan, day, scheduled, registers, cancellationToken);
            if (runsToday.Count > 0 || day == through || collectionsToday)
            {
                // Payments received up to today post before the run, each on its own business date, in one batch.
                phases.Skip();
                payments += await PostReceivedAsync(scheduled, day, cancellationToken);
                phases.Add(SeedPhases.Payments);
            }

            foreach (var (code, _, readDay) in runsToday)
            {
                var isLastRun = day.AddMonths(1) > through;
                var accounts = byCycle.GetValueOrDefault(code) ?? [];
                var monthsFromEnd = ((through.Year * 12) + through.Month) - ((day.Year * 12) + day.Month) - (day.Day > through.Day ? 1 : 0);
                foreach (var account in accounts.Where(a => !(isLastRun && a.MissesLastRead)))
                {
                    var usage = MonthlyUsage(account, day, usageRandom);
                    if (collectionPlan.MovedOut(account.AccountId, day))
                    {
                        // Moved out: no more reads. The usage is drawn all the same, so the rest of the city reads as it did.
                        continue;
                    }

                    var flags = DeviceFlags.None;
                    if (planted.TryGetValue(account.AccountId, out var plant))
                    {
                        (usage, flags) = await ApplyPlantAsync(plant, account, day, monthsFromEnd, usage, currentMeter, registers, meterDials, cancellationToken);
                    }

                    var meterId = currentMeter[account.AccountId];
                    var next = registers[meterId] + usage;
                    var registerMaximum = MeterRegister.MaximumFor(meterDials[meterId]);
                    registers[meterId] = next % registerMaximum;
                    monthReads.Add(new NewRead(meterId, account.ServicePointId, day, registers[meterId], ReadSource.Amr, ReadStatus.Valid, flags, null));
                }

                // The cycle's reads and interval days are written in one transaction; the days go as they are made (a million
                // accounts' electric meters deliver millions of days a month, too many to hold at once).
                await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
                {
                    foreach (var account in electricByCycle[code])
                    {
                        // The AMI head end's interval days since the last read, and the register read they add up to.
                        var last = electricRead[account.MeterId];
                        var days = DemoElectric.Days(account, last.On, day, monthsFromEnd <= 2, electricRandom);
                        var reading = last.Reading + (long)decimal.Round(days.Sum(d => d.Total), 0, MidpointRounding.AwayFromZero);
                        electricRead[account.MeterId] = (day, reading);
                        monthIntervals.AddRange(DemoElectric.Delivered(account.MeterId, isLastRun && account.Plant == DemoElectric.MissingIntervalsPlant ? days.Where((_, i) => i is not (3 or 4)) : days));
                        if (!(isLastRun && account.Plant == DemoElectric.MissingReactivePlant))
                        {
                            monthIntervals.AddRange(DemoElectric.Delivered(account.MeterId, DemoElectric.Reactive(account, days)));
                        }

                        if (monthIntervals.Count >= IntervalDaysPerWrite)
                        {
                            await IntervalDayBulkWriter.WriteAsync(db, monthIntervals, cancellationToken);
                            monthIntervals.Clear();
                        }

                        monthReads.Add(new NewRead(account.MeterId, account.ServicePointId, day, reading % 10_000_000, ReadSource.Ami, ReadStatus.Valid, DeviceFlags.None, null));
                    }

                    // The gas meters, read with the water on the cycle's day.
                    monthReads.AddRange(DemoGas.Reads(gasByCycle[code], day, gasRegisters, gasRandom));
                    monthReads.AddRange(DemoFireLines.Reads(fireLinesByCycle[code], day, fireRegisters, fireRandom));

                    await db.SaveChangesAsync(cancellationToken);
                    await MeterReadBulkWriter.WriteAsync(db, new ReadBatch(clock.GetUtcNow(), User, null), monthReads, cancellationToken);
                    await IntervalDayBulkWriter.WriteAsync(db, monthIntervals, cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                }

                monthReads.Clear();
                monthIntervals.Clear();
                db.ChangeTracker.Clear();
                phases.Add(SeedPhases.Reads);
                progress?.Report($"Billing cycle {code} for {day:yyyy-MM-dd}");
                var outcome = await runBilling.ExecuteAsync(code, day, User, null, cancellationToken);
                db.ChangeTracker.Clear();
                phases.Add(SeedPhases.Billing);
                runs++;
                bills += outcome.BillsCreated;
                exceptions += outcome.Exceptions;
                billIndex++;

                // In account order: the random draws below go to the same accounts on every database.
                var runBills = await db.Bills.AsNoTracking().Where(b => b.BillingRunId == outcome.RunId && b.AmountDueCents > 0)
                    .Select(b => new { b.AccountId, b.AmountDueCents }).ToListAsync(cancellationToken);
                // A moved-out account has no bill from the run any more; it keeps its place in the draws (paying nothing),
                // so the rest of the city gets the same payments as a city where it stayed.
                var drawn = runBills.Concat(accounts.Where(a => collectionPlan.MovedOut(a.AccountId, day)).Select(a => new { a.AccountId, AmountDueCents = 0L }))
                    .OrderBy(b => b.AccountId).ToList();
                var habits = accounts.ToDictionary(a => a.AccountId);
                foreach (var bill in drawn)
                {
                    var account = habits[bill.AccountId];
                    var (payOn, cents) = account.Habit switch
                    {
                        PayHabit.OnTime => (day.AddDays(random.Next(6, 20)), bill.AmountDueCents),
                        PayHabit.Partial => (day.AddDays(random.Next(10, 25)), bill.AmountDueCents * random.Next(40, 90) / 100),
                        PayHabit.Late => (day.AddDays(random.Next(32, 45)), bill.AmountDueCents),
                        PayHabit.NonPayer when billIndex <= 8 => (day.AddDays(random.Next(10, 20)), bill.AmountDueCents),
                        _ => (day, 0L),
                    };
                    // The planted collections cases stop paying after the eighth bill; the draws above are made all the same,
                    // so the rest of the city gets the same payments as a city without them.
                    if (cents <= 0 || payOn > through || !collectionPlan.Pays(account.AccountId, billIndex, day))
                    {
                        continue;
                    }

                    if (!scheduled.TryGetValue(payOn, out var list))
                    {
                        scheduled[payOn] = list = [];
                    }

                    list.Add(new PaymentInstruction(account.AccountId, Money.FromCents(cents), payOn, account.Tender, SourceFor(account.Tender),
                        account.Tender == Tender.Check ? $"CK{random.Next(1000, 9999)}" : null));
                }

                phases.Add(SeedPhases.Payments);
            }

            if (collectionsToday)
            {
                phases.Skip();
                // An owner's payment on a lien, at the counter, before the night's run.
                await DemoLiens.PayAsync(db, poster, collectionPlan.LienPayoffs, day, User, cancellationToken);

                // The night's collections run, after the day's payments and bills, as the schedule does it.
                progress?.Report($"Collections for {day:yyyy-MM-dd}");
                await runCollections.ExecuteAsync(day, User, null, cancellationToken);
                db.ChangeTracker.Clear();

                // The day's notices, as the nightly job writes them; a year of them renders no PDF (their e-mail carries the text).
                await produceNotices.ExecuteAsync(day, User, attachPdf: false, cancellationToken);

                // The liens and the final-bill pursuit, as the nightly job runs them after the notices; the release a clerk records once a
                // filed lien is paid; and the agency's payment file when it comes in.
                await liens.ExecuteAsync(day, User, cancellationToken);
                await DemoLiens.ReleaseAsync(db, lienRegister, collectionPlan.LienRelease, day, User, cancellationToken);
                await pursuit.ExecuteAsync(day, User, cancellationToken);
                await DemoPursuit.AgencyPaysAsync(db, agencyPayments, collectionPlan.AgencyPlacement?.AccountId, day, User, cancellationToken);
                phases.Add(SeedPhases.Collections);
            }
        }

        if (withCollections)
        {
            // A few listed accounts the field disconnected, one of them paid and reconnected.
            await DemoFieldOrders.SeedAsync(db, poster, collectionPlan.Accounts, through, User, clock.GetUtcNow(), cancellationToken);

            // The morning's calling campaign, and the collector's first calls on it.
            var campaign = await DemoCampaigns.SeedAsync(campaigns, through, cancellationToken);

            // Skip tracing the campaign's unreachable: a returned-mail file, and the alternate contacts found.
            await DemoSkipTrace.SeedAsync(returnedMail, skipTrace, campaign, through, cancellationToken);
        }

        // New construction, never served: where a clerk starts the first customer.
        await DemoPremises.SeedAsync(db, through, User, clock.GetUtcNow(), cancellationToken);

        if (accountCount >= 100)
        {
            // Cities of 100 accounts or more (the demo's default is 2,000) get what the screens show off; the small
            // cities the tests build stay plain. A few deposits: three billed on the last day, one waived.
            await Deposits.DemoDeposits.SeedAsync(db, Core.Deposits.DepositPolicy.Default,
                demoAccounts.Where(a => a.Class == AccountClass.Residential && a.Habit == PayHabit.OnTime).Select(a => a.AccountId).Take(4).ToList(), through, User, clock.GetUtcNow(), cancellationToken);

            // The accounts that pay by ACH do so on autopay: active enrollments since the city's first month.
            await Payments.Ach.DemoAch.SeedAsync(db, protector, [.. demoAccounts.Where(a => a.Tender == Tender.Ach).Select(a => a.AccountId)], from, User, cancellationToken);
        }

        if (accountCount >= 100)
        {
            // The pre-bill review from here on (the seeded year was billed without it): the next run a clerk starts holds
            // what these rules catch.
            foreach (var (accountClass, rules) in DemoReviewRules)
            {
                var row = new BillReviewRuleRow { AccountClass = accountClass };
                row.Set(rules, User, clock.GetUtcNow());
                db.BillReviewRules.Add(row);
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        if (assistance is not null)
        {
            await DemoAssistance.PledgeAsync(db, assistance, through, User, clock.GetUtcNow(), cancellationToken);
            db.ChangeTracker.Clear();
        }

        // City receivables by invoice: the weed abatement is billed to the main customer of the first account, on its parcel.
        var weedCustomer = await db.AccountCustomers.Where(ac => ac.Role == AccountRole.Main).OrderBy(ac => ac.AccountId).Select(ac => (long?)ac.CustomerId).FirstOrDefaultAsync(cancellationToken);
        // The invoice types (but EMS) name the receivables policy: a late charge and notices for the past-due weed abatement.
        if (!await db.CollectionPolicies.AnyAsync(p => p.Code == DemoCollections.ReceivablesPolicyCode, cancellationToken))
        {
            await importPolicy.ExecuteAsync(DemoCollections.ReceivablesPolicyFileName, DemoCollections.ReceivablesPolicyYaml(), User, cancellationToken);
        }

        var invoices = weedCustomer is { } customerId
            ? await DemoInvoices.SeedAsync(db, poster, protector, customerId, through, User, clock.GetUtcNow(), cancellationToken, new DemoInvoices.EmsWork(remittances, waivers, statements))
            : null;
        db.ChangeTracker.Clear();
        // The other city systems' API keys: the permits system's, the licensing system's mid-rotation, a revoked kiosk's.
        await DemoApiKeys.SeedAsync(db, clock, User, cancellationToken);
        // Customers with portal logins.
        await DemoPortal.SeedAsync(db, protector, through, clock, cancellationToken);
        // María's bill dispute, asked online in Spanish and decided by a clerk: its letter is in Spanish.
        await DemoPortal.SeedDisputeAsync(db, portalRequests, caseWork, User, cancellationToken);
        var elapsed = stopwatch.Elapsed;
        return new DemoSeedOutcome(accountCount, runs, bills, exceptions, payments, from, through, elapsed, planted)
        {
            Assistance = assistance,
            Invoices = invoices,
            Phases = phases.Of(elapsed),
        };
    }

    /// <summary>The monthly amounts of the demo's budget billing customers, in account order.</summary>
    public static readonly IReadOnlyList<long> DemoBudgetAmounts = [8_000, 11_000, 14_000];

    /// <summary>The demo's budget billing customers: on-time residential payers past the four the deposits take, none of them planted.</summary>
    private static IEnumerable<DemoAccount> BudgetCustomers(List<DemoAccount> accounts, Dictionary<long, PlantedCase> planted) =>
        accounts.Where(a => a.Class == AccountClass.Residential && a.Habit == PayHabit.OnTime && !a.MissesLastRead && !planted.ContainsKey(a.AccountId))
            .Skip(4).Take(DemoBudgetAmounts.Count);

    /// <summary>Riverbend's pre-bill review: high or low against the year's average, zero use, very large and negative bills.</summary>
    public static readonly IReadOnlyList<(AccountClass Class, BillReviewRules Rules)> DemoReviewRules =
    [
        (AccountClass.Residential, new BillReviewRules { HighPercent = 100m, HighAmount = Money.FromCents(7_500), LowPercent = 75m, LowAmount = Money.FromCents(4_000), ZeroUse = true, VeryLarge = Money.FromCents(150_000), Negative = true }),
        (AccountClass.Commercial, new BillReviewRules { HighPercent = 150m, HighAmount = Money.FromCents(50_000), LowPercent = 80m, LowAmount = Money.FromCents(20_000), ZeroUse = true, VeryLarge = Money.FromCents(2_500_000), Negative = true }),
    ];

    /// <summary>The cases the detection worklists must find, planted in a few residential accounts that pay on time.</summary>
    public enum PlantedCase
    {
        UseWhileDisconnected,
        SuddenDrop,
        TamperFlag,
        StuckMeter,
        ErraticMeter,
        DropAfterExchange,

        /// <summary>Collections: a residential account that stopped paying, with nothing to protect it: on the disconnect list.</summary>
        ListedNonPayer,

        /// <summary>Collections: a non-payer with a physician's certificate in force: kept off the list, the certificate named.</summary>
        MedicalCertificate,

        /// <summary>Collections: a non-payer with life-support equipment: kept off the list.</summary>
        LifeSupport,

        /// <summary>Collections: a non-payer disputing more than it owes past due: only the undisputed part counts, so it stays off.</summary>
        Dispute,

        /// <summary>Collections: a non-payer under a bankruptcy stay: kept off the list.</summary>
        BankruptcyStay,

        /// <summary>Collections: a non-payer with a payment arrangement whose installments are paid: kept off the list, the arrangement named.</summary>
        ArrangementOnTrack,

        /// <summary>Collections: an arrangement whose third installment went unpaid past the grace days: broken, and back on the list with "broken arrangement".</summary>
        BrokenArrangement,

        /// <summary>Collections: a promise to pay of which less came in by its date: broken.</summary>
        BrokenPromise,

        /// <summary>Collections: a customer who moved out (service stopped, final-billed) and left the final bill unpaid: reminded and noticed under the final-bill policy.</summary>
        FinalAccountPastDue,

        /// <summary>Collections: a tenant who stopped paying: the shut-off notice is copied to the landlord, and the disconnect waits the owner's notice days.</summary>
        TenantOwnerNotice,

        /// <summary>
        /// Final-bill pursuit: moved out seven months back and never paid the final bill: placed with the agency, which collected a fifth of it,
        /// recalled after the placement period, and listed ready to write off.
        /// </summary>
        AgencyPlacement,

        /// <summary>Liens: an owner-occupied account unpaid from nine months back: noticed, filed with its fee, paid in full, satisfied and released.</summary>
        LienReleased,

        /// <summary>Liens: an owner-occupied account unpaid from seven months back: noticed, filed with its fee, and partly paid.</summary>
        LienPartlyPaid,
    }

    /// <summary>Which accounts carry a planted case: two of each (one drop after an exchange), when the city has 100 accounts or more.</summary>
    private static Dictionary<long, PlantedCase> ChoosePlants(List<DemoAccount> accounts)
    {
        if (accounts.Count < 100)
        {
            return [];
        }

        var candidates = accounts.Where(a => a.Class == AccountClass.Residential && a.Habit == PayHabit.OnTime && !a.MissesLastRead).Skip(5).ToList();
        var kinds = new[] { PlantedCase.UseWhileDisconnected, PlantedCase.UseWhileDisconnected, PlantedCase.SuddenDrop, PlantedCase.SuddenDrop, PlantedCase.TamperFlag, PlantedCase.TamperFlag, PlantedCase.StuckMeter, PlantedCase.StuckMeter, PlantedCase.ErraticMeter, PlantedCase.ErraticMeter, PlantedCase.DropAfterExchange };
        // Spread them out: every seventh candidate.
        return kinds.Select((kind, i) => (Account: candidates[(i * 7) % candidates.Count], Kind: kind)).ToDictionary(x => x.Account.AccountId, x => x.Kind);
    }

    private async Task<(long Usage, DeviceFlags Flags)> ApplyPlantAsync(PlantedCase plant, DemoAccount account, DateOnly day, int monthsFromEnd, long usage, Dictionary<long, long> currentMeter, Dictionary<long, long> registers, Dictionary<long, int> dials, CancellationToken cancellationToken)
    {
        switch (plant)
        {
            case PlantedCase.UseWhileDisconnected when monthsFromEnd == 3:
                var point = await db.ServicePoints.SingleAsync(p => p.Id == account.ServicePointId, cancellationToken);
                point.ChangeState(ServicePointState.Disconnected);
                return (usage, DeviceFlags.None);
            case PlantedCase.SuddenDrop when monthsFromEnd <= 1:
                return (usage * 15 / 100, DeviceFlags.None);
            case PlantedCase.TamperFlag when monthsFromEnd == 0:
                return (usage, DeviceFlags.Tamper);
            case PlantedCase.StuckMeter when monthsFromEnd <= 2:
                return (0, DeviceFlags.None);
            case PlantedCase.ErraticMeter when monthsFromEnd <= 5:
                return (monthsFromEnd % 2 == 0 ? usage * 26 / 10 : usage / 4, DeviceFlags.None);
            case PlantedCase.DropAfterExchange when monthsFromEnd == 4:
                // Exchange the meter a week before this read; the old meter's final read carries the use so far.
                var oldId = currentMeter[account.AccountId];
                var exchangedOn = day.AddDays(-7);
                var final = (registers[oldId] + (usage * 3 / 4)) % MeterRegister.MaximumFor(dials[oldId]);
                var old = await db.Meters.SingleAsync(m => m.Id == oldId, cancellationToken);
                old.Remove(exchangedOn);
                db.Reads.Add(MeterRead.Record(oldId, account.ServicePointId, exchangedOn, final, ReadSource.Field, ReadVerdicts.Valid, DeviceFlags.None, User, clock.GetUtcNow()));
                db.MeterEvents.Add(new MeterEvent { MeterId = oldId, ServicePointId = account.ServicePointId, Kind = MeterEventKind.Removed, OccurredOn = exchangedOn, Reading = final, Notes = "Exchanged", RecordedBy = User, RecordedAt = clock.GetUtcNow() });
                var replacement = Meter.Receive($"X{account.AccountId:D7}", Service.Water, old.Size, 6, 1m, Unit.Gallons, "Badger", "M25");
                db.Meters.Add(replacement);
                await db.SaveChangesAsync(cancellationToken);
                replacement.SetAt(account.ServicePointId, exchangedOn);
                db.Reads.Add(MeterRead.Record(replacement.Id, account.ServicePointId, exchangedOn, 0, ReadSource.Field, ReadVerdicts.Valid, DeviceFlags.None, User, clock.GetUtcNow()));
                db.MeterEvents.Add(new MeterEvent { MeterId = replacement.Id, ServicePointId = account.ServicePointId, Kind = MeterEventKind.Set, OccurredOn = exchangedOn, Reading = 0, Notes = "Exchanged", RecordedBy = User, RecordedAt = clock.GetUtcNow() });
                currentMeter[account.AccountId] = replacement.Id;
                registers[replacement.Id] = 0;
                dials[replacement.Id] = 6;
                return (usage / 4 * 3 / 10, DeviceFlags.None);
            case PlantedCase.DropAfterExchange when monthsFromEnd < 4:
                return (usage * 3 / 10, DeviceFlags.None);
            default:
                return (usage, DeviceFlags.None);
        }
    }

    private static bool IsBusinessDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !HolidayCalendar.UsFederal.In(day.Year).Any(h => h.Date == day);

    private async Task<int> PostReceivedAsync(SortedDictionary<DateOnly, List<PaymentInstruction>> scheduled, DateOnly through, CancellationToken cancellationToken)
    {
        var days = scheduled.Keys.TakeWhile(d => d <= through).ToList();
        var received = days.SelectMany(d => scheduled[d]).ToList();
        days.ForEach(d => scheduled.Remove(d));
        // In slices, each its own batch and transaction, in the order received: a large city's days hold hundreds of thousands.
        foreach (var slice in received.Chunk(PaymentsPerBatch))
        {
            await poster.PostAsync(slice, User, cancellationToken);
            db.ChangeTracker.Clear();
        }

        return received.Count;
    }

    private sealed record Planned(
        int Sequence, AccountClass Class, Premise Premise, Customer Main, Customer? Landlord, Meter Meter,
        int Carts, double Factor, PayHabit Habit, Tender Tender, bool MissesLastRead);

    /// <summary>Accounts <paramref name="first"/> to <paramref name="last"/>, set up inside the caller's transaction.</summary>
    private async Task<List<DemoAccount>> CreateAccountsAsync(int first, int last, DateOnly openedOn, Faker faker, Random random, CancellationToken cancellationToken)
    {
        // First the rows with no parents: premises, customers, meters. The rows go in bulk (EntityBulkWriter writes what
        // SaveChanges would, from the same model), in the order SaveChanges would number them.
        var planned = new List<Planned>();
        var premises = new List<Premise>();
        var customers = new List<Customer>();
        var rows = new DemoServiceRows();
        for (var sequence = first; sequence <= last; sequence++)
        {
            var isCommercial = random.NextDouble() < 0.12;
            var street = $"{random.Next(100, 9999)} {faker.Address.StreetName()}";
            var zip = $"9740{random.Next(1, 6)}";
            var ownerName = faker.Name.FullName();
            var premise = new Premise { AddressLine1 = street, City = "Riverbend", State = "OR", Zip = zip, ParcelId = $"R{random.Next(100000, 999999)}-{sequence:D5}", OwnerOfRecord = ownerName };
            var isRental = !isCommercial && random.NextDouble() < 0.3;
            var mainName = isCommercial ? faker.Company.CompanyName() : isRental ? faker.Name.FullName() : ownerName;
            var main = Customer.Create(isCommercial ? CustomerKind.Business : CustomerKind.Person, mainName,
                faker.Internet.Email(mainName.Split(' ')[0]), faker.Phone.PhoneNumber("541-###-####"), street, "Riverbend", "OR", zip, clock.GetUtcNow());
            // One customer in four with an e-mail address takes collection notices by e-mail: chosen by sequence, not drawn, so the city's random draws stay as they were.
            if (sequence % 4 == 0 && main.Email is { Length: > 0 })
            {
                main.ChooseNoticeDelivery(true);
            }

            var identity = isCommercial ? $"{random.Next(10, 99)}{random.Next(1000000, 9999999)}" : $"{random.Next(100, 899)}{random.Next(10, 99)}{random.Next(1000, 9999)}";
            main.SetIdentityNumber(isCommercial ? IdentityNumberKind.TaxId : IdentityNumberKind.Ssn, protector.Protect(identity), IdentityNumbers.LastFour(identity), protector.Hash(identity));
            var landlord = isRental
                ? Customer.Create(CustomerKind.Person, ownerName, null, faker.Phone.PhoneNumber("541-###-####"), faker.Address.StreetAddress(), "Riverbend", "OR", "97401", clock.GetUtcNow())
                : null;
            var size = isCommercial ? Pick(random, ("1\"", 40), ("1.5\"", 30), ("2\"", 20), ("3\"", 10)) : Pick(random, ("5/8\"", 80), ("3/4\"", 15), ("1\"", 5));
            var meter = isCommercial
                ? Meter.Receive($"C{sequence:D7}", Service.Water, size, 5, size == "3\"" ? 10m : 1m, Unit.Ccf)
                : Meter.Receive($"W{sequence:D7}", Service.Water, size, 6, 1m, Unit.Gallons);
            var habitRoll = random.NextDouble();
            var habit = habitRoll < 0.80 ? PayHabit.OnTime : habitRoll < 0.90 ? PayHabit.Partial : habitRoll < 0.96 ? PayHabit.Late : PayHabit.NonPayer;
            var tender = Pick(random, (Tender.Check, 40), (Tender.Card, 25), (Tender.Ach, 20), (Tender.Cash, 15));
            var factor = isCommercial ? 0.3 + (random.NextDouble() * 3) : 0.5 + (random.NextDouble() * 1.3);
            if (meter.Multiplier > 1m)
            {
                // A x10 register turns slowly; a large meter is a large user, so its monthly count stays well above rounding.
                factor = Math.Max(factor, 2.0);
            }
            premises.Add(premise);
            rows.Meters.Add(meter);
            customers.Add(main);
            if (landlord is not null)
            {
                customers.Add(landlord);
            }

            planned.Add(new Planned(sequence, isCommercial ? AccountClass.Commercial : AccountClass.Residential, premise, main, landlord, meter,
                random.Next(1, 3), factor, habit, tender, random.NextDouble() < 0.005));
        }

        await EntityBulkWriter.AddAsync(db, premises, cancellationToken);
        await EntityBulkWriter.AddAsync(db, customers, cancellationToken);

        // Then accounts and service points, which point at premises.
        var created = new List<(Planned Plan, Account Account, ServicePoint Water, ServicePoint Sewer, ServicePoint Trash)>();
        var accounts = new List<Account>();
        foreach (var plan in planned)
        {
            var cycle = plan.Sequence % 2 == 1 ? "C1" : "C2";
            var account = Account.Open(AccountNumbers.Create(plan.Sequence), plan.Class, cycle, plan.Premise.Id, openedOn);
            // A route per ZIP code within each cycle; readers walk it in account order.
            account.PlaceOnRoute($"{cycle}-R{plan.Premise.Zip[^1]}", plan.Sequence);
            var water = new ServicePoint { PremiseId = plan.Premise.Id, Service = Service.Water, IsMetered = true };
            var sewer = new ServicePoint { PremiseId = plan.Premise.Id, Service = Service.Sewer, IsMetered = false };
            var trash = new ServicePoint { PremiseId = plan.Premise.Id, Service = Service.Trash, IsMetered = false };
            accounts.Add(account);
            rows.Points.AddRange(water, sewer, trash);
            created.Add((plan, account, water, sewer, trash));
        }

        await EntityBulkWriter.AddAsync(db, accounts, cancellationToken);
        await rows.NumberAsync(db, cancellationToken);

        // Last, what joins them: customer roles, agreements, the meter set with its first read.
        var results = new List<DemoAccount>();
        var roles = new List<AccountCustomer>();
        foreach (var (plan, account, water, sewer, trash) in created)
        {
            roles.Add(new AccountCustomer { AccountId = account.Id, CustomerId = plan.Main.Id, Role = AccountRole.Main, StartedOn = openedOn });
            roles.Add(new AccountCustomer { AccountId = account.Id, CustomerId = (plan.Landlord ?? plan.Main).Id, Role = AccountRole.Owner, StartedOn = openedOn });
            if (plan.Landlord is not null)
            {
                roles.Add(new AccountCustomer { AccountId = account.Id, CustomerId = plan.Main.Id, Role = AccountRole.Tenant, StartedOn = openedOn });
            }

            var prefix = plan.Class == AccountClass.Commercial ? "COM" : "RES";
            rows.Agreements.Add(new ServiceAgreement { AccountId = account.Id, ServicePointId = water.Id, Service = Service.Water, RateScheduleCode = $"W-{prefix}", StartedOn = openedOn });
            rows.Agreements.Add(new ServiceAgreement { AccountId = account.Id, ServicePointId = sewer.Id, Service = Service.Sewer, RateScheduleCode = $"S-{prefix}", StartedOn = openedOn, UsageFromService = Service.Water });
            // A residential service is one cart, priced by its size, and some take backyard service; a business's containers are counted.
            rows.Agreements.Add(new ServiceAgreement
            {
                AccountId = account.Id, ServicePointId = trash.Id, Service = Service.Trash, RateScheduleCode = $"T-{prefix}", StartedOn = openedOn,
                Units = plan.Class == AccountClass.Commercial ? plan.Carts : 1,
                Attributes = plan.Class == AccountClass.Residential ? DemoTariffs.ResidentialTrashAttributes(plan.Sequence, plan.Carts) : null,
            });
            rows.Set(plan.Meter, water, openedOn, (long)(random.NextDouble() * plan.Meter.Register.Maximum * 0.95), User, clock.GetUtcNow());
            results.Add(new DemoAccount(account.Id, account.CycleCode, plan.Class, plan.Meter.Id, water.Id, plan.Meter.Multiplier, plan.Factor, plan.Habit, plan.Tender, plan.MissesLastRead, plan.Landlord is not null));
        }

        await EntityBulkWriter.AddAsync(db, roles, cancellationToken);
        await rows.WriteAsync(db, cancellationToken);
        return results;
    }

    /// <summary>Gallons (residential) or CCF (commercial) for a month, higher in summer.</summary>
    private static long MonthlyUsage(DemoAccount account, DateOnly day, Random random)
    {
        var season = 1 + (0.35 * Math.Sin((day.Month - 4) / 12.0 * 2 * Math.PI));
        var noise = 0.85 + (random.NextDouble() * 0.3);
        var baseUsage = account.Class == AccountClass.Commercial ? 60.0 : 5200.0;
        // The register turns once per multiplier units, so a x10 meter advances a tenth as far.
        return (long)Math.Round(baseUsage * account.UsageFactor * season * noise / (double)account.Multiplier);
    }

    private static PaymentSource SourceFor(Tender tender) => tender switch
    {
        Tender.Check => PaymentSource.Mail,
        Tender.Cash => PaymentSource.Counter,
        Tender.Card => PaymentSource.Online,
        _ => PaymentSource.File,
    };

    private static T Pick<T>(Random random, params (T Value, int Weight)[] choices)
    {
        var roll = random.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if (roll < weight)
            {
                return value;
            }

            roll -= weight;
        }

        return choices[^1].Value;
    }
}
