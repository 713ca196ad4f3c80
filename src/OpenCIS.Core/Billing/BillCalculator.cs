using System.Collections.Immutable;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Core.Rating;

namespace OpenCIS.Core.Billing;

/// <summary>The previous and present billable reads of one meter.</summary>
public sealed record MeteredReads(
    MeterRegister Meter,
    long PreviousReading,
    DateOnly PreviousReadDate,
    long PresentReading,
    DateOnly PresentReadDate,
    bool PresentReadEstimated = false);

/// <summary>
/// One service agreement as billing sees it. A metered agreement without <see cref="Reads"/>
/// carries the reason in <see cref="ReadProblem"/>. An agreement billed on another service's
/// usage (sewer on water) names that service in <see cref="UsageFromService"/>. Meters removed
/// during the period (an exchange) are in <see cref="RemovedMeters"/>, from their last billed
/// read to their final read; the period's usage is theirs plus the present meter's.
/// </summary>
public sealed record AgreementToBill(
    ServiceAgreementId AgreementId,
    Service Service,
    Tariff? Tariff,
    bool IsMetered,
    MeteredReads? Reads,
    string? ReadProblem,
    Service? UsageFromService,
    decimal Units,
    string? MeterSize,
    ImmutableArray<MeteredReads> RemovedMeters = default)
{
    /// <summary>Every version of the schedule in force during the period, when it changed within it; otherwise empty.</summary>
    public ImmutableArray<Tariff> TariffVersions { get; init; } = [];

    /// <summary>What rating needs besides use (riders, intervals, demand history, area...), as the planner found it; its period and use are the bill's.</summary>
    public RatingInput? Inputs { get; init; }

    public ImmutableArray<MeteredReads> AllMeters => RemovedMeters.IsDefault ? (Reads is null ? [] : [Reads]) : (Reads is null ? RemovedMeters : RemovedMeters.Add(Reads));
}

public sealed record BillingInput(AccountId AccountId, BillingPeriod Period, ImmutableArray<AgreementToBill> Agreements);

public sealed record BillSegment(
    ServiceAgreementId AgreementId,
    Service Service,
    string TariffCode,
    MeteredReads? Reads,
    Quantity? Usage,
    ImmutableArray<ChargeLine> Lines,
    ImmutableArray<MeteredReads> RemovedMeters = default)
{
    /// <summary>Every version of the schedule in force during the period, when it changed within it; otherwise empty.</summary>
    public ImmutableArray<Tariff> TariffVersions { get; init; } = [];

    /// <summary>The billing demand the schedule's demand charge billed (kW or kVA), which a later bill's ratchet looks back on.</summary>
    public decimal? BillingDemand { get; init; }

    public Money Total => Money.Sum(Lines.Select(line => line.Amount));
}

public sealed record BillProposal(AccountId AccountId, BillingPeriod Period, ImmutableArray<BillSegment> Segments)
{
    public Money Total => Money.Sum(Segments.Select(segment => segment.Total));
}

/// <summary>Either a bill to post or the reason the account cannot be billed; never both.</summary>
public sealed record BillingDecision(BillProposal? Bill, string? ExceptionReason)
{
    public static BillingDecision Exception(string reason) => new(null, reason);
}

/// <summary>
/// Decides an account's bill for a period: consumption from reads, then rating of every
/// agreement. Pure, so a billing run, a dry run and a rate comparison all call the same code.
/// Any agreement that cannot be rated makes the whole account an exception: a partial bill
/// would hide a problem from the clerk.
/// </summary>
public static class BillCalculator
{
    public static BillingDecision Decide(BillingInput input, UnitConversion conversion)
    {
        if (input.Agreements.IsEmpty)
        {
            return BillingDecision.Exception("No active service agreements to bill.");
        }

        // Each metered agreement is rated on its own meter's use (a domestic meter and a fire line of one account are two
        // services of water, each on its own); a service billed on another's use (sewer on water) takes the sum of that
        // service's meters, except those whose use is not shared (an irrigation or fire-line meter: usage_shared=no).
        var usageByAgreement = new Dictionary<ServiceAgreementId, Quantity>();
        var usageByService = new Dictionary<Service, Quantity>();
        foreach (var agreement in input.Agreements.Where(a => a.IsMetered))
        {
            if (agreement.Reads is null)
            {
                return BillingDecision.Exception(agreement.ReadProblem ?? $"No billable read for the {agreement.Service} meter.");
            }

            foreach (var meter in agreement.AllMeters)
            {
                var consumption = ConsumptionCalculator.Calculate(meter.Meter, meter.PreviousReading, meter.PresentReading);
                if (consumption.Usage is null)
                {
                    return BillingDecision.Exception(consumption.Problem!);
                }

                // Meters of one service may count in different units (an exchange from CCF to gallons): add in the present meter's unit.
                var unit = agreement.Reads.Meter.Unit;
                var usage = conversion.Convert(consumption.Usage.Value, unit);
                usageByAgreement[agreement.AgreementId] = usageByAgreement.TryGetValue(agreement.AgreementId, out var own) ? own + usage : usage;
                if (SharesUsage(agreement))
                {
                    usageByService[agreement.Service] = usageByService.TryGetValue(agreement.Service, out var existing)
                        ? existing + conversion.Convert(usage, existing.Unit)
                        : usage;
                }
            }
        }

        var segments = ImmutableArray.CreateBuilder<BillSegment>();
        foreach (var agreement in input.Agreements)
        {
            if (agreement.Tariff is null)
            {
                return BillingDecision.Exception($"No rate schedule in effect for {agreement.Service} on {input.Period.End:yyyy-MM-dd}.");
            }

            Quantity? usage = null;
            if (agreement.IsMetered)
            {
                usage = usageByAgreement[agreement.AgreementId];
            }
            else if (agreement.UsageFromService is { } source)
            {
                if (!usageByService.TryGetValue(source, out var sourceUsage))
                {
                    return BillingDecision.Exception($"{agreement.Service} is billed on {source} usage, but the account has no {source} usage this period.");
                }

                usage = sourceUsage;
            }

            ImmutableArray<ChargeLine> lines;
            decimal? billingDemand = null;
            try
            {
                var rating = agreement.Inputs is { } given
                    ? given with { Period = input.Period, Usage = usage, MeterSize = agreement.MeterSize, Units = agreement.Units }
                    : new RatingInput(input.Period, usage, agreement.MeterSize, agreement.Units);
                lines = agreement.TariffVersions.Length > 1
                    ? RatingEngine.RateAcross(agreement.TariffVersions, rating, conversion)
                    : RatingEngine.Rate(agreement.Tariff, rating, conversion);
                if (agreement.Tariff.Components.OfType<DemandCharge>().FirstOrDefault() is { } demand)
                {
                    billingDemand = RatingEngine.BillingDemand(demand, rating).Billing;
                }
            }
            catch (DomainException problem)
            {
                // The tariff needs something this account lacks (a winter average, a rider value): the account waits, the run goes on.
                return BillingDecision.Exception($"{agreement.Service} cannot be rated under {agreement.Tariff.Code}: {problem.Message}");
            }
            segments.Add(new BillSegment(agreement.AgreementId, agreement.Service, agreement.Tariff.Code, agreement.Reads, usage, lines, agreement.RemovedMeters.IsDefault ? [] : agreement.RemovedMeters)
            {
                BillingDemand = billingDemand,
            });
        }

        return new BillingDecision(new BillProposal(input.AccountId, input.Period, segments.ToImmutable()), null);
    }

    /// <summary>The agreement attribute that keeps a meter's use out of the services billed on its service's use.</summary>
    public const string UsageSharedAttribute = "usage_shared";

    private static bool SharesUsage(AgreementToBill agreement) =>
        agreement.Inputs?.Attributes.TryGetValue(UsageSharedAttribute, out var shared) != true || !string.Equals(shared, "no", StringComparison.OrdinalIgnoreCase);
}
