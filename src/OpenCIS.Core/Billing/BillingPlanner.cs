using System.Collections.Immutable;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Core.Rating;

namespace OpenCIS.Core.Billing;

/// <summary>One read of a meter as billing sees it.</summary>
public sealed record ReadFact(long Id, DateOnly ReadOn, long Reading, ReadStatus Status)
{
    /// <summary>Whether a bill may measure from it (<see cref="ReadStatuses.IsBillable"/>); suspect and rejected reads wait for review.</summary>
    public bool IsBillable => ReadStatuses.IsBillable(Status);
}

/// <summary>A meter with its reads of the window billing looked at.</summary>
public sealed record MeterFact(string Serial, string Size, MeterRegister Register, ImmutableArray<ReadFact> Reads)
{
    /// <summary>The meter's id where it was loaded from storage (0 in a fact made by hand): what a read recorded against it names.</summary>
    public long MeterId { get; init; }

    /// <summary>The same meter with one more read (a final read entered at a stop, an estimate), kept in date order.</summary>
    public MeterFact WithRead(ReadFact read) => this with { Reads = [.. Reads.Add(read).OrderBy(r => r.ReadOn).ThenBy(r => r.Id)] };
}

/// <summary>A meter taken out of the agreement's service point, with its final reading (none: it measured nothing after its last read).</summary>
public sealed record RemovedMeterFact(MeterFact Meter, DateOnly RemovedOn, long? FinalReading);

/// <summary>One meter's present read on the account's last bill: where the next bill measures from.</summary>
public sealed record BilledRead(ServiceAgreementId AgreementId, string? MeterSerial, long? PresentReading, DateOnly? PresentReadOn);

public sealed record LastBillFact(DateOnly PeriodEnd, ImmutableArray<BilledRead> Reads);

/// <summary>One issued bill's billing demand, for a ratchet on the bills after it.</summary>
public sealed record BilledDemand(DateOnly PeriodEnd, decimal Demand);

/// <summary>
/// What a service brings to rating besides its use: the premise's impervious area, the meter's interval reads by day
/// (time-of-use registers and demand), the billing demand of its earlier bills (ratchets), the attributes that choose a
/// price, and the programs its account is enrolled in.
/// </summary>
public sealed record ServiceFacts
{
    public static readonly ServiceFacts None = new();

    public decimal? ImperviousArea { get; init; }

    public ImmutableArray<IntervalDay> Intervals { get; init; } = [];

    /// <summary>The billing demand of the service's earlier bills, in any order.</summary>
    public ImmutableArray<BilledDemand> DemandHistory { get; init; } = [];

    public ImmutableDictionary<string, string> Attributes { get; init; } = ImmutableDictionary<string, string>.Empty;

    public ImmutableHashSet<string> Programs { get; init; } = ImmutableHashSet<string>.Empty;

    /// <summary>
    /// The account's enrollments as the days they count: the programs that count on the period's end are added to
    /// <see cref="Programs"/> when the service is rated (<see cref="Assistance.ProgramEnrollments"/>).
    /// </summary>
    public ImmutableArray<Assistance.EnrolledSpan> Enrollments { get; init; } = [];
}

/// <summary>A service agreement with the meter installed at its service point (none: unmetered) and the meters removed from it.</summary>
public sealed record AgreementFact(
    ServiceAgreementId Id,
    Service Service,
    string RateScheduleCode,
    decimal Units,
    Service? UsageFromService,
    MeterFact? Meter,
    ImmutableArray<RemovedMeterFact> RemovedMeters)
{
    /// <summary>The service point the agreement serves (0 in a fact made by hand): where a read recorded for it was taken.</summary>
    public long ServicePointId { get; init; }

    /// <summary>
    /// The agreement's first day of service (the earliest day in a fact made by hand). A meter no bill of the
    /// agreement has measured is measured from its first read taken from the day before it on: the move-in read,
    /// or the last tenant's final read, never a read of someone else's service.
    /// </summary>
    public DateOnly StartedOn { get; init; } = DateOnly.MinValue;

    /// <summary>What the service brings to rating besides its use.</summary>
    public ServiceFacts Facts { get; init; } = ServiceFacts.None;

    /// <summary>Whether the agreement is billed on its own meter's reads (not unmetered, not on another service's usage).</summary>
    public bool IsMeasured => Meter is not null && UsageFromService is null;
}

/// <summary>Everything the planner knows of an account: its agreements, their meters and reads, and its last issued bill.</summary>
public sealed record AccountFacts(AccountId AccountId, DateOnly OpenedOn, ImmutableArray<AgreementFact> Agreements, LastBillFact? LastBill)
{
    /// <summary>The facts with one more read on the meter of this serial (a final read at a stop, an estimated read).</summary>
    public AccountFacts WithRead(string meterSerial, ReadFact read) => this with
    {
        Agreements = [.. Agreements.Select(a => a.Meter?.Serial == meterSerial ? a with { Meter = a.Meter.WithRead(read) } : a)],
    };
}

/// <summary>
/// What kind of bill to plan. A regular bill ends on its latest read in the read window (or on the
/// business date when nothing is metered); a final or estimated bill ends on the date given.
/// </summary>
public enum BillPlanKind
{
    Regular,
    Final,
    Estimated,
}

/// <summary>
/// A bill to plan: reads after <paramref name="ReadWindowStart"/> and up to <paramref name="ReadWindowEnd"/> count as the
/// present read. A final or estimated bill ends on <paramref name="ReadWindowEnd"/>.
/// </summary>
public sealed record PlanningRequest(BillPlanKind Kind, DateOnly ReadWindowStart, DateOnly ReadWindowEnd);

/// <summary>Which versions of a rate schedule are in force: on a day, and during a period.</summary>
public interface ITariffVersions
{
    Tariff? InForce(string code, DateOnly on);

    /// <summary>The versions in force on some day of the period, oldest first: more than one when the rates changed within it.</summary>
    IReadOnlyList<Tariff> During(string code, DateOnly start, DateOnly end);

    /// <summary>Every dated value of a rider (or the heating value) by its name; none when the utility has set none.</summary>
    IReadOnlyList<RateValue> ValuesOf(string name) => [];
}

/// <summary>Either the input for the calculator or the reason the account cannot be billed; never both.</summary>
public sealed record BillPlan(BillingInput? Input, string? ExceptionReason)
{
    public static BillPlan Exception(string reason) => new(null, reason);
}

/// <summary>
/// Decides what a bill covers: its period, each agreement's previous and present reads (meters
/// removed during the period included), and the schedule versions that rate it. Pure: the billing
/// run, final and average bills plan new bills here; cancel and rebill, the leak allowance and the
/// rate comparison rate an issued bill's period again through <see cref="Rerate"/> and
/// <see cref="TariffsFor"/>. One rule for every bill, so they cannot disagree.
/// </summary>
public static class BillingPlanner
{
    public static BillPlan Plan(AccountFacts account, PlanningRequest request, ITariffVersions tariffs)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(request);
        if (account.Agreements.IsEmpty)
        {
            return BillPlan.Exception("No active service agreements to bill.");
        }

        DateOnly? endFromReads = null;
        DateOnly? startFromReads = null;
        string? readProblem = null;
        var planned = new List<(AgreementFact Agreement, MeteredReads? Reads, ImmutableArray<MeteredReads> Removed, string? MeterSize)>();
        foreach (var agreement in account.Agreements.OrderBy(a => a.Service).ThenBy(a => a.Id.Value))
        {
            var meter = agreement.Meter;
            if (meter is null || agreement.UsageFromService is not null)
            {
                planned.Add((agreement, null, [], meter?.Size));
                continue;
            }

            var (reads, removed, problem) = Measure(agreement, meter, account.LastBill, request);
            if (problem is not null)
            {
                readProblem ??= problem;
                planned.Add((agreement, null, [], meter.Size));
                continue;
            }

            planned.Add((agreement, reads, removed, meter.Size));
            endFromReads = Later(endFromReads, reads!.PresentReadDate);
            var measuredFrom = removed.IsEmpty ? reads.PreviousReadDate : removed.Min(m => m.PreviousReadDate);
            startFromReads = Earlier(startFromReads, measuredFrom.AddDays(1));
        }

        var end = request.Kind == BillPlanKind.Regular ? endFromReads ?? request.ReadWindowEnd : request.ReadWindowEnd;
        var start = account.LastBill is { } last ? last.PeriodEnd.AddDays(1) : startFromReads ?? account.OpenedOn;
        if (start > end)
        {
            return BillPlan.Exception($"Nothing to bill: the last bill already covers service through {account.LastBill?.PeriodEnd:yyyy-MM-dd}.");
        }

        if (readProblem is not null)
        {
            return BillPlan.Exception(readProblem);
        }

        var period = new BillingPeriod(start, end);
        var final = request.Kind == BillPlanKind.Final;
        var agreements = planned.Select(p => ToBill(p.Agreement.Id, p.Agreement.Service, p.Agreement.RateScheduleCode, p.Agreement.Units, p.Agreement.UsageFromService,
            p.Reads is not null, p.Reads, p.MeterSize, p.Removed, period, tariffs, final, p.Agreement.Facts)).ToImmutableArray();
        return new BillPlan(new BillingInput(account.AccountId, period, agreements), null);
    }

    /// <summary>One agreement of an issued bill to rate again: its reads as billed (or corrected) and its meters removed during the period.</summary>
    public sealed record BilledAgreement(
        ServiceAgreementId Id,
        Service Service,
        string RateScheduleCode,
        decimal Units,
        Service? UsageFromService,
        MeteredReads? Reads,
        string? MeterSize,
        ImmutableArray<MeteredReads> RemovedMeters)
    {
        /// <summary>What the service brings to rating besides its use, as for a new bill.</summary>
        public ServiceFacts Facts { get; init; } = ServiceFacts.None;
    }

    /// <summary>
    /// An issued bill's period rated again (cancel and rebill) from its billed reads, under the schedules
    /// in force during it; a final bill stays a final bill, its fixed charges prorated to the stop.
    /// </summary>
    public static BillingInput Rerate(AccountId accountId, BillingPeriod period, IEnumerable<BilledAgreement> agreements, bool final, ITariffVersions tariffs) =>
        new(accountId, period, [.. agreements.OrderBy(a => a.Service).ThenBy(a => a.Id.Value)
            .Select(a => ToBill(a.Id, a.Service, a.RateScheduleCode, a.Units, a.UsageFromService, a.Reads is not null, a.Reads, a.MeterSize, a.RemovedMeters, period, tariffs, final, a.Facts))]);

    /// <summary>The version in force at the period's end, and every version in force during it when the rates changed within it.</summary>
    public static (Tariff? InForce, ImmutableArray<Tariff> Versions) TariffsFor(string code, BillingPeriod period, ITariffVersions tariffs)
    {
        ArgumentNullException.ThrowIfNull(tariffs);
        var during = tariffs.During(code, period.Start, period.End);
        return (tariffs.InForce(code, period.End), during.Count > 1 ? [.. during] : []);
    }

    private static AgreementToBill ToBill(ServiceAgreementId id, Service service, string code, decimal units, Service? usageFromService, bool isMetered, MeteredReads? reads,
        string? meterSize, ImmutableArray<MeteredReads> removed, BillingPeriod period, ITariffVersions tariffs, bool final, ServiceFacts facts)
    {
        var (inForce, versions) = TariffsFor(code, period, tariffs);
        if (final)
        {
            inForce = inForce is null ? null : FinalBillProration.ForFinalBill(inForce);
            versions = [.. versions.Select(FinalBillProration.ForFinalBill)];
        }

        return new AgreementToBill(id, service, inForce, isMetered, reads, null, usageFromService, units, meterSize, removed.IsDefaultOrEmpty ? [] : removed)
        {
            TariffVersions = versions,
            Inputs = RatingInputs(inForce, versions, period, meterSize, units, tariffs, facts),
        };
    }

    /// <summary>
    /// Everything the schedule needs besides use: each rider's value and the heating value for the period (prorated by
    /// days when they changed in it), the interval reads of the period's days, the power factor from their kWh and kvarh
    /// days (<see cref="PowerFactors"/>) when a demand charge adjusts for it, the billing demand of the bills a ratchet
    /// looks back on, the premise's area, the service's attributes and the account's programs. What is missing stays
    /// missing: rating names it, and the account is an exception.
    /// </summary>
    private static RatingInput RatingInputs(Tariff? inForce, ImmutableArray<Tariff> versions, BillingPeriod period, string? meterSize, decimal units, ITariffVersions tariffs, ServiceFacts facts)
    {
        var schedules = versions.IsDefaultOrEmpty ? (inForce is null ? [] : [inForce]) : versions;
        if (facts == ServiceFacts.None && !schedules.Any(t => t.Components.Any(c => c is RiderCharge or DemandCharge || PricesTherms(c))))
        {
            // Most services (water, sewer, trash) need nothing besides their use.
            return new RatingInput(period, null, meterSize, units);
        }

        var components = schedules.SelectMany(t => t.Components).ToList();
        var riders = ImmutableDictionary.CreateBuilder<string, decimal>(StringComparer.Ordinal);
        var notes = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        decimal? heatingValue = null;
        foreach (var name in components.OfType<RiderCharge>().Select(r => r.Rider).Distinct(StringComparer.Ordinal))
        {
            if (RateValues.ForPeriod(tariffs.ValuesOf(name), period) is { } value)
            {
                riders[name] = value.Value;
                notes[name] = value.Note;
            }
        }

        if (components.Any(PricesTherms) && RateValues.ForPeriod(tariffs.ValuesOf(RateValues.HeatingValue), period) is { } heat)
        {
            heatingValue = heat.Value;
            notes[RateValues.HeatingValue] = heat.Note;
        }

        // A demand charge with a power factor target: the period's power factor from the meter's kWh and kvarh interval days.
        decimal? powerFactor = null;
        if (components.OfType<DemandCharge>().Any(d => d.PowerFactorTarget is not null))
        {
            var measured = PowerFactors.FromIntervals(facts.Intervals, period);
            powerFactor = measured.Factor;
            notes[PowerFactors.Name] = measured.Note;
        }

        var lookBack = components.OfType<DemandCharge>().Select(d => d.Ratchet?.Months ?? 0).DefaultIfEmpty(0).Max();
        var earliest = period.Start.AddMonths(-lookBack);
        return new RatingInput(period, null, meterSize, units)
        {
            Riders = riders.ToImmutable(),
            ValueNotes = notes.ToImmutable(),
            HeatingValue = heatingValue,
            ImperviousArea = facts.ImperviousArea,
            PowerFactor = powerFactor,
            // Registers and demand are of the real energy; reactive days only give the power factor.
            Intervals = [.. facts.Intervals.Where(d => d.Day >= period.Start && d.Day <= period.End && !UnitConversion.IsReactive(d.Unit))],
            DemandHistory = [.. facts.DemandHistory.Where(d => d.PeriodEnd < period.Start && d.PeriodEnd >= earliest).OrderByDescending(d => d.PeriodEnd).Select(d => d.Demand)],
            Attributes = facts.Attributes,
            Programs = facts.Enrollments.IsDefaultOrEmpty ? facts.Programs
                : facts.Programs.WithComparer(Assistance.ProgramCodes.Comparer).Union(Assistance.ProgramEnrollments.CountingOn(facts.Enrollments, period.End)),
        };
    }

    private static bool PricesTherms(TariffComponent component) => component switch
    {
        BlockCharge b => b.Unit == Unit.Therm,
        RiderCharge r => r.Unit == Unit.Therm,
        SewerCharge s => s.Unit == Unit.Therm,
        RegisterCharge g => g.Unit == Unit.Therm,
        _ => false,
    };

    /// <summary>
    /// The present meter's previous and present reads, and every meter removed from the service point
    /// since the last bill: measured from the last billed read of each meter, else from its earlier reads.
    /// </summary>
    private static (MeteredReads? Reads, ImmutableArray<MeteredReads> Removed, string? Problem) Measure(AgreementFact agreement, MeterFact meter, LastBillFact? lastBill, PlanningRequest request)
    {
        var service = agreement.Service.ToString().ToLowerInvariant();
        var billed = lastBill?.Reads.FirstOrDefault(s => s.AgreementId == agreement.Id && s.MeterSerial == meter.Serial);
        var reads = meter.Reads.Where(r => r.ReadOn <= request.ReadWindowEnd).OrderBy(r => r.ReadOn).ThenBy(r => r.Id).ToList();
        var latest = reads.LastOrDefault(r => r.ReadOn > request.ReadWindowStart);
        if (latest is null)
        {
            return (null, [], $"No read for {service} meter {meter.Serial} in the read window {request.ReadWindowStart.AddDays(1):yyyy-MM-dd} to {request.ReadWindowEnd:yyyy-MM-dd}.");
        }

        if (!latest.IsBillable)
        {
            return (null, [], $"Read of {latest.ReadOn:yyyy-MM-dd} on meter {meter.Serial} is {latest.Status.ToString().ToLowerInvariant()} and awaits review.");
        }

        if (billed?.PresentReadOn is { } lastReadOn && latest.ReadOn <= lastReadOn)
        {
            return (null, [], $"No new read on meter {meter.Serial} since the last bill (last billed read {lastReadOn:yyyy-MM-dd}).");
        }

        long previousReading;
        DateOnly previousReadOn;
        if (billed is { PresentReading: { } billedReading, PresentReadOn: { } billedOn })
        {
            (previousReading, previousReadOn) = (billedReading, billedOn);
        }
        else if (reads.FirstOrDefault(r => r.ReadOn < latest.ReadOn && r.IsBillable && (agreement.StartedOn == DateOnly.MinValue || r.ReadOn >= agreement.StartedOn.AddDays(-1))) is { } first)
        {
            // A meter no bill has measured yet (a new account, a meter set at an exchange, a first bill
            // that was an exception) is measured from its first read: every unbilled unit since it was
            // set is on this bill, and the period starts there.
            (previousReading, previousReadOn) = (first.Reading, first.ReadOn);
        }
        else
        {
            return (null, [], $"Meter {meter.Serial} has no earlier read to measure consumption from.");
        }

        var present = new MeteredReads(meter.Register, previousReading, previousReadOn, latest.Reading, latest.ReadOn, latest.Status == ReadStatus.Estimated);
        var removed = ImmutableArray.CreateBuilder<MeteredReads>();
        var billedThrough = lastBill?.Reads.Where(s => s.AgreementId == agreement.Id).Select(s => s.PresentReadOn).Max() ?? DateOnly.MinValue;
        foreach (var removal in agreement.RemovedMeters.Where(r => r.RemovedOn > billedThrough && r.RemovedOn <= request.ReadWindowEnd).OrderBy(r => r.RemovedOn))
        {
            var removedBilled = lastBill?.Reads.FirstOrDefault(s => s.AgreementId == agreement.Id && s.MeterSerial == removal.Meter.Serial);
            long fromReading;
            DateOnly fromOn;
            if (removedBilled is { PresentReading: { } reading, PresentReadOn: { } readOn })
            {
                (fromReading, fromOn) = (reading, readOn);
            }
            else if (removal.Meter.Reads.Where(r => r.IsBillable && r.ReadOn < removal.RemovedOn).OrderBy(r => r.ReadOn).FirstOrDefault() is { } first)
            {
                (fromReading, fromOn) = (first.Reading, first.ReadOn);
            }
            else
            {
                return (null, [], $"Meter {removal.Meter.Serial} was removed on {removal.RemovedOn:yyyy-MM-dd} but has no earlier read to measure from.");
            }

            removed.Add(new MeteredReads(removal.Meter.Register, fromReading, fromOn, removal.FinalReading ?? fromReading, removal.RemovedOn));
        }

        return (present, removed.ToImmutable(), null);
    }

    private static DateOnly? Later(DateOnly? current, DateOnly candidate) => current is null || candidate > current ? candidate : current;

    private static DateOnly? Earlier(DateOnly? current, DateOnly candidate) => current is null || candidate < current ? candidate : current;
}
