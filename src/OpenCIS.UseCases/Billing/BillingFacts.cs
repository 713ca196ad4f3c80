using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Rating;

namespace OpenCIS.UseCases.Billing;

/// <summary>An account to plan a bill for: its id and the day it opened (where an unmetered first bill starts).</summary>
public sealed record AccountToPlan(long Id, DateOnly OpenedOn);

/// <summary>
/// Which facts to load: agreements in force on <paramref name="ActiveOn"/>; reads up to <paramref name="WindowEnd"/>,
/// from <paramref name="ReadWindowStart"/> for meters the last bill measured and from <paramref name="HistoryStart"/>
/// for the others (and for meters removed since <paramref name="HistoryStart"/>).
/// </summary>
public sealed record BillingFactsWindow(DateOnly ActiveOn, DateOnly ReadWindowStart, DateOnly WindowEnd, DateOnly HistoryStart);

/// <summary>The account's last issued bill as its next bill's summary needs it.</summary>
public sealed record LastBillSummary(long Id, DateOnly BillDate, DateOnly PeriodEnd, long AmountDueCents, long? FinancialTransactionId);

public sealed record LoadedBillingFacts(IReadOnlyDictionary<long, AccountFacts> Accounts, IReadOnlyDictionary<long, LastBillSummary> LastBills);

/// <summary>
/// Loads what the core <see cref="BillingPlanner"/> plans from, for any number of accounts in a fixed
/// number of queries (only the columns billing uses): the billing run loads a chunk of thousands, the
/// final and average bills load one account, through the same code.
/// </summary>
public static class BillingFacts
{
    public static async Task<LoadedBillingFacts> LoadAsync(OpenCisDbContext db, IReadOnlyCollection<AccountToPlan> accounts, BillingFactsWindow window, TariffCatalog tariffs, CancellationToken cancellationToken, BillingRunTimings? timings = null)
    {
        ArgumentNullException.ThrowIfNull(tariffs);
        var phase = BillingRunTimings.Time(timings, "facts: agreements, meters, removals");
        var accountIds = accounts.Select(a => a.Id).Order().ToArray();
        if (accountIds.Length == 0)
        {
            return new LoadedBillingFacts(new Dictionary<long, AccountFacts>(), new Dictionary<long, LastBillSummary>());
        }

        var (activeOn, windowEnd) = (window.ActiveOn, window.WindowEnd);
        var agreements = (await db.ServiceAgreements
            .Where(sa => accountIds.Contains(sa.AccountId) && sa.StartedOn <= activeOn && (sa.EndedOn == null || sa.EndedOn >= activeOn))
            .Select(sa => new AgreementRow(sa.Id, sa.AccountId, sa.ServicePointId, sa.Service, sa.RateScheduleCode, sa.Units, sa.UsageFromService, sa.StartedOn, sa.Attributes))
            .ToListAsync(cancellationToken)).ToLookup(sa => sa.AccountId);
        var servicePointIds = agreements.SelectMany(g => g).Select(sa => sa.ServicePointId).Distinct().ToList();
        var meters = (await db.Meters
            .Where(m => m.ServicePointId != null && servicePointIds.Contains(m.ServicePointId.Value) && m.Status == MeterStatus.Installed)
            .Select(m => new MeterRow(m.Id, m.ServicePointId!.Value, m.Serial, m.Size, new MeterRegister(m.Serial, m.Dials, m.Multiplier, m.Unit)))
            .ToListAsync(cancellationToken)).ToDictionary(m => m.ServicePointId);
        var removals = (await db.MeterEvents.AsNoTracking()
            .Where(e => e.Kind == MeterEventKind.Removed && e.ServicePointId != null && servicePointIds.Contains(e.ServicePointId.Value) && e.OccurredOn > window.HistoryStart && e.OccurredOn <= windowEnd)
            .Select(e => new RemovalRow(e.ServicePointId!.Value, e.MeterId, e.OccurredOn, e.Reading))
            .ToListAsync(cancellationToken)).ToLookup(e => e.ServicePointId);
        var removedMeterIds = removals.SelectMany(g => g).Select(e => e.MeterId).Distinct().ToList();
        var removedMeters = await db.Meters.Where(m => removedMeterIds.Contains(m.Id))
            .Select(m => new MeterRow(m.Id, m.ServicePointId ?? 0, m.Serial, m.Size, new MeterRegister(m.Serial, m.Dials, m.Multiplier, m.Unit)))
            .ToDictionaryAsync(m => m.Id, cancellationToken);
        phase.Dispose();
        phase = BillingRunTimings.Time(timings, "facts: last bills");
        var lastBills = await LastBillsAsync(db, accountIds, cancellationToken);
        phase.Dispose();
        phase = BillingRunTimings.Time(timings, "facts: reads");

        // Reads: a meter whose present reading is on the last bill needs only the reads of this read
        // window; a meter new to the account (or taken out during the period) needs its recent history
        // to measure from.
        var billedMeterIds = agreements.SelectMany(g => g)
            .Where(a => meters.TryGetValue(a.ServicePointId, out var meter) && lastBills.TryGetValue(a.AccountId, out var bill)
                && bill.Reads.Exists(x => x.AgreementId.Value == a.Id && x.MeterSerial == meter.Serial && x.PresentReading is not null))
            .Select(a => meters[a.ServicePointId].Id).ToHashSet();
        var windowMeterIds = billedMeterIds.ToArray();
        var historyMeterIds = meters.Values.Select(m => m.Id).Where(id => !billedMeterIds.Contains(id)).Concat(removedMeterIds).Distinct().ToArray();
        var readRows = await db.Reads
            .Where(r => windowMeterIds.Contains(r.MeterId) && r.ReadOn > window.ReadWindowStart && r.ReadOn <= windowEnd)
            .Select(r => new ReadRow(r.MeterId, new ReadFact(r.Id, r.ReadOn, r.Reading, r.Status)))
            .ToListAsync(cancellationToken);
        if (historyMeterIds.Length > 0)
        {
            readRows.AddRange(await db.Reads
                .Where(r => historyMeterIds.Contains(r.MeterId) && r.ReadOn > window.HistoryStart && r.ReadOn <= windowEnd)
                .Select(r => new ReadRow(r.MeterId, new ReadFact(r.Id, r.ReadOn, r.Reading, r.Status)))
                .ToListAsync(cancellationToken));
        }

        var reads = readRows.ToLookup(r => r.MeterId, r => r.Read);
        phase.Dispose();
        var services = await ServiceFactsAsync(db,
            [.. agreements.SelectMany(g => g).Select(a => new ServiceToRate(a.Id, a.AccountId, a.ServicePointId, a.RateScheduleCode, meters.GetValueOrDefault(a.ServicePointId)?.Id,
                lastBills.TryGetValue(a.AccountId, out var bill) ? bill.Summary.PeriodEnd : window.HistoryStart) { Attributes = a.Attributes })],
            window.WindowEnd, tariffs, cancellationToken, timings);
        phase = BillingRunTimings.Time(timings, "facts: assemble");
        MeterFact Meter(MeterRow row) => new(row.Serial, row.Size, row.Register, [.. reads[row.Id].OrderBy(r => r.ReadOn).ThenBy(r => r.Id)]) { MeterId = row.Id };

        var facts = new Dictionary<long, AccountFacts>(accountIds.Length);
        foreach (var account in accounts)
        {
            lastBills.TryGetValue(account.Id, out var lastBill);
            var agreementFacts = agreements[account.Id].Select(a => new AgreementFact(
                new ServiceAgreementId(a.Id), a.Service, a.RateScheduleCode, a.Units, a.UsageFromService,
                meters.TryGetValue(a.ServicePointId, out var meter) ? Meter(meter) : null,
                [.. removals[a.ServicePointId].Select(e => new RemovedMeterFact(Meter(removedMeters[e.MeterId]), e.OccurredOn, e.Reading))])
            {
                ServicePointId = a.ServicePointId,
                StartedOn = a.StartedOn,
                Facts = services.GetValueOrDefault(a.Id) ?? ServiceFacts.None,
            }).ToImmutableArray();
            facts[account.Id] = new AccountFacts(new AccountId(account.Id), account.OpenedOn, agreementFacts,
                lastBill is null ? null : new LastBillFact(lastBill.Summary.PeriodEnd, [.. lastBill.Reads]));
        }

        phase.Dispose();
        return new LoadedBillingFacts(facts, lastBills.ToDictionary(b => b.Key, b => b.Value.Summary));
    }

    /// <summary>
    /// What the agreements' schedules price besides use, loaded only for the agreements whose schedules need it: the
    /// premise's impervious area (area charges); the meter's interval days since the period could start (time-of-use
    /// registers and demand); the billing demand of the bills a ratchet looks back on.
    /// </summary>
    internal static async Task<Dictionary<long, ServiceFacts>> ServiceFactsAsync(OpenCisDbContext db, IReadOnlyList<ServiceToRate> agreements, DateOnly through,
        TariffCatalog tariffs, CancellationToken cancellationToken, BillingRunTimings? timings = null)
    {
        var facts = new Dictionary<long, ServiceFacts>();
        var phase = BillingRunTimings.Time(timings, "facts: areas");
        ServiceFacts Of(long agreementId) => facts.GetValueOrDefault(agreementId) ?? ServiceFacts.None;
        foreach (var agreement in agreements.Where(a => a.Attributes is { Length: > 0 }))
        {
            facts[agreement.Id] = new ServiceFacts { Attributes = ServiceAttributes.Parse(agreement.Attributes) };
        }

        var areaAgreements = agreements.Where(a => tariffs.UsesArea(a.RateScheduleCode)).ToList();
        if (areaAgreements.Count > 0)
        {
            var pointIds = areaAgreements.Select(a => a.ServicePointId).Distinct().ToArray();
            var areas = await db.ServicePoints.Where(sp => pointIds.Contains(sp.Id))
                .Join(db.Premises, sp => sp.PremiseId, p => p.Id, (sp, p) => new { sp.Id, p.ImperviousArea })
                .ToDictionaryAsync(x => x.Id, x => x.ImperviousArea, cancellationToken);
            foreach (var agreement in areaAgreements)
            {
                facts[agreement.Id] = Of(agreement.Id) with { ImperviousArea = areas.GetValueOrDefault(agreement.ServicePointId) };
            }
        }

        phase.Dispose();
        phase = BillingRunTimings.Time(timings, "facts: interval days");
        var intervalAgreements = agreements.Where(a => a.MeterId is not null && tariffs.UsesIntervals(a.RateScheduleCode)).ToList();
        // Most agreements were billed last period and start within days of each other; the few left unbilled for months
        // (a suspect read awaiting review) are loaded apart, so that they do not drag the whole chunk's window back with them.
        var latest = intervalAgreements.Count > 0 ? intervalAgreements.Max(a => a.PeriodAfter) : through;
        foreach (var group in intervalAgreements.GroupBy(a => a.PeriodAfter >= latest.AddDays(-45)))
        {
            var from = group.Min(a => a.PeriodAfter);
            var meterIds = group.Select(a => a.MeterId!.Value).Distinct().ToArray();
            var days = (await db.IntervalDays.AsNoTracking().Where(d => meterIds.Contains(d.MeterId) && d.Day > from && d.Day <= through)
                .Select(d => new { d.MeterId, d.Day, d.Unit, d.Hours, d.PeakDemand, d.PeakMinute })
                .ToListAsync(cancellationToken))
                .ToLookup(d => d.MeterId);
            foreach (var agreement in group)
            {
                facts[agreement.Id] = Of(agreement.Id) with
                {
                    Intervals = [.. days[agreement.MeterId!.Value].Where(d => d.Day > agreement.PeriodAfter).OrderBy(d => d.Day)
                        .Select(d => new IntervalDay(d.Day, d.Unit, IntervalDayRow.ParseHours(d.Hours), d.PeakDemand, d.PeakMinute))],
                };
            }
        }

        phase.Dispose();
        phase = BillingRunTimings.Time(timings, "facts: demand history");
        var ratchetAgreements = agreements.Where(a => tariffs.UsesDemandHistory(a.RateScheduleCode)).ToList();
        if (ratchetAgreements.Count > 0)
        {
            var agreementIds = ratchetAgreements.Select(a => a.Id).ToArray();
            var accountIds = ratchetAgreements.Select(a => a.AccountId).Distinct().ToArray();
            var since = through.AddMonths(-37);
            var history = (await db.Bills.Where(b => accountIds.Contains(b.AccountId) && b.Status == BillStatus.Issued && b.PeriodEnd > since)
                .SelectMany(b => b.Segments.Where(s => agreementIds.Contains(s.ServiceAgreementId) && s.BillingDemand != null), (b, s) => new { s.ServiceAgreementId, b.PeriodEnd, s.BillingDemand })
                .ToListAsync(cancellationToken)).ToLookup(x => x.ServiceAgreementId, x => new BilledDemand(x.PeriodEnd, x.BillingDemand!.Value));
            foreach (var agreement in ratchetAgreements)
            {
                facts[agreement.Id] = Of(agreement.Id) with { DemandHistory = [.. history[agreement.Id]] };
            }
        }

        phase.Dispose();
        using var enrollments = BillingRunTimings.Time(timings, "facts: enrollments");
        await AddEnrollmentsAsync(db, agreements, through, tariffs, facts, cancellationToken);
        return facts;
    }

    /// <summary>
    /// The enrollments of the accounts whose schedules have a charge limited to a program, in one query; none at all
    /// when no schedule has one. The planner keeps the programs that count on each period's end.
    /// </summary>
    private static async Task AddEnrollmentsAsync(OpenCisDbContext db, IReadOnlyList<ServiceToRate> agreements, DateOnly through, TariffCatalog tariffs,
        Dictionary<long, ServiceFacts> facts, CancellationToken cancellationToken)
    {
        if (!tariffs.AnyUsesPrograms)
        {
            return;
        }

        var programAgreements = agreements.Where(a => tariffs.UsesPrograms(a.RateScheduleCode)).ToList();
        if (programAgreements.Count == 0)
        {
            return;
        }

        var spans = await Assistance.EnrolledSpans.LoadAsync(db, [.. programAgreements.Select(a => a.AccountId)], programAgreements.Min(a => a.PeriodAfter), through, cancellationToken);
        foreach (var agreement in programAgreements.Where(a => spans.Contains(a.AccountId)))
        {
            facts[agreement.Id] = (facts.GetValueOrDefault(agreement.Id) ?? ServiceFacts.None) with { Enrollments = [.. spans[agreement.AccountId]] };
        }
    }

    /// <summary>An agreement to load rating facts for: its meter (none: unmetered) and the day its period starts after.</summary>
    internal sealed record ServiceToRate(long Id, long AccountId, long ServicePointId, string RateScheduleCode, long? MeterId, DateOnly PeriodAfter)
    {
        /// <summary>The agreement's attributes as stored (<see cref="ServiceAttributes"/>).</summary>
        public string? Attributes { get; init; }
    }

    private sealed record AgreementRow(long Id, long AccountId, long ServicePointId, Service Service, string RateScheduleCode, decimal Units, Service? UsageFromService, DateOnly StartedOn, string? Attributes);

    private sealed record MeterRow(long Id, long ServicePointId, string Serial, string Size, MeterRegister Register);

    private sealed record RemovalRow(long ServicePointId, long MeterId, DateOnly OccurredOn, long? Reading);

    private sealed record ReadRow(long MeterId, ReadFact Read);

    private sealed record LastBillRow(LastBillSummary Summary, long AccountId, BillStatus Status)
    {
        public List<BilledRead> Reads { get; } = [];
    }

    /// <summary>
    /// Each account's last issued bill: its highest bill id, found in the index alone; the rare account
    /// whose highest bill was canceled without a rebill looks again among its issued ones.
    /// </summary>
    private static async Task<Dictionary<long, LastBillRow>> LastBillsAsync(OpenCisDbContext db, long[] accountIds, CancellationToken cancellationToken)
    {
        var lastBills = (await db.Bills
            .Where(b => db.Bills.Where(x => accountIds.Contains(x.AccountId)).GroupBy(x => x.AccountId).Select(g => g.Max(x => x.Id)).Contains(b.Id))
            .Select(b => new LastBillRow(new LastBillSummary(b.Id, b.BillDate, b.PeriodEnd, b.AmountDueCents, b.FinancialTransactionId), b.AccountId, b.Status))
            .ToListAsync(cancellationToken)).ToDictionary(b => b.AccountId);
        var canceledLast = lastBills.Values.Where(b => b.Status != BillStatus.Issued).Select(b => b.AccountId).ToArray();
        if (canceledLast.Length > 0)
        {
            foreach (var id in canceledLast)
            {
                lastBills.Remove(id);
            }

            foreach (var bill in await db.Bills
                .Where(b => db.Bills.Where(x => canceledLast.Contains(x.AccountId) && x.Status == BillStatus.Issued).GroupBy(x => x.AccountId).Select(g => g.Max(x => x.Id)).Contains(b.Id))
                .Select(b => new LastBillRow(new LastBillSummary(b.Id, b.BillDate, b.PeriodEnd, b.AmountDueCents, b.FinancialTransactionId), b.AccountId, b.Status))
                .ToListAsync(cancellationToken))
            {
                lastBills[bill.AccountId] = bill;
            }
        }

        var lastBillsById = lastBills.Values.ToDictionary(b => b.Summary.Id);
        var lastBillIds = lastBillsById.Keys.ToArray();
        foreach (var segment in await db.Bills.Where(b => lastBillIds.Contains(b.Id)).SelectMany(b => b.Segments)
            .Select(s => new { s.BillId, s.ServiceAgreementId, s.MeterSerial, s.PresentReading, s.PresentReadOn })
            .ToListAsync(cancellationToken))
        {
            lastBillsById[segment.BillId].Reads.Add(new BilledRead(new ServiceAgreementId(segment.ServiceAgreementId), segment.MeterSerial, segment.PresentReading, segment.PresentReadOn));
        }

        return lastBills;
    }
}
