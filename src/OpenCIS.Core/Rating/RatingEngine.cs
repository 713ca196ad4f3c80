using System.Collections.Immutable;
using System.Globalization;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;

namespace OpenCIS.Core.Rating;

/// <summary>What one service agreement brings to rating for one period.</summary>
public sealed record RatingInput(
    BillingPeriod Period,
    Quantity? Usage,
    string? MeterSize,
    decimal Units)
{
    /// <summary>Use by register, for time-of-use charges ("ON" and "OFF").</summary>
    public ImmutableDictionary<string, Quantity> Registers { get; init; } = ImmutableDictionary<string, Quantity>.Empty;

    /// <summary>The account's winter average use per bill, for sewer charges that cap on it.</summary>
    public Quantity? WinterAverage { get; init; }

    /// <summary>This month's value of each rider (price per unit), by rider name.</summary>
    public ImmutableDictionary<string, decimal> Riders { get; init; } = ImmutableDictionary<string, decimal>.Empty;

    /// <summary>The period's highest demand (kW or kVA), for demand charges.</summary>
    public Quantity? Demand { get; init; }

    /// <summary>The billing demand of the bills before this one, most recent first, in the demand's unit: for ratchets.</summary>
    public ImmutableArray<decimal> DemandHistory { get; init; } = [];

    /// <summary>The period's power factor (0 to 1), for a demand charge's power factor adjustment.</summary>
    public decimal? PowerFactor { get; init; }

    /// <summary>The gas's heating value for the period, in therms per CCF, for charges priced in therms.</summary>
    public decimal? HeatingValue { get; init; }

    /// <summary>The premise's impervious area in square feet, for area charges (stormwater).</summary>
    public decimal? ImperviousArea { get; init; }

    /// <summary>The service's other attributes that choose a price: cart_size, fire_line_size, pickups, class.</summary>
    public ImmutableDictionary<string, string> Attributes { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The programs the account is enrolled in for the period (senior, low-income), for charges limited to them.</summary>
    public ImmutableHashSet<string> Programs { get; init; } = ImmutableHashSet<string>.Empty;

    /// <summary>The service's interval reads by day, for time-of-use registers the tariff defines and for demand.</summary>
    public ImmutableArray<IntervalDay> Intervals { get; init; } = [];

    /// <summary>How a rider's value or the heating value came to be when it changed during the period, by its name.</summary>
    public ImmutableDictionary<string, string> ValueNotes { get; init; } = ImmutableDictionary<string, string>.Empty;
}

/// <summary>One priced line with the plain-words calculation that produced it.</summary>
public sealed record ChargeLine(string Code, string Description, Money Amount, string Trace, Quantity? Quantity);

/// <summary>
/// Rates one service agreement under one tariff. Pure: the same inputs always give the same
/// lines. Each line is rounded to the cent on its own (half away from zero, or as its charge says),
/// and the bill is the sum of its lines, so every line a customer reads adds up to the total they owe.
/// A charge with its own minimum or maximum gets a line that brings it there.
/// </summary>
public static class RatingEngine
{
    /// <summary>Days in a period that counts as one month for monthly charges.</summary>
    public const int ShortestMonth = 27, LongestMonth = 33;

    public static ImmutableArray<ChargeLine> Rate(Tariff tariff, RatingInput input, UnitConversion conversion) =>
        [.. RateComponents(tariff, input, conversion).Select(r => r.Line)];

    /// <summary>Each line with the charge that made it, in the tariff's order.</summary>
    private static List<(TariffComponent Component, ChargeLine Line)> RateComponents(Tariff tariff, RatingInput input, UnitConversion conversion)
    {
        var rated = new List<(TariffComponent Component, ChargeLine Line)>();
        foreach (var component in tariff.Components)
        {
            if (!component.Months.IsDefaultOrEmpty && !component.Months.Contains(input.Period.End.Month))
            {
                continue;
            }

            if (!component.ForPrograms.IsDefaultOrEmpty && !component.ForPrograms.Any(input.Programs.Contains))
            {
                continue;
            }

            var lines = component switch
            {
                FixedCharge { Optional: true } addOn when addOn.PriceAttribute != FixedCharge.MeterSizeAttribute && !input.Attributes.ContainsKey(addOn.PriceAttribute) => [],
                FixedCharge fixedCharge => [RateFixed(fixedCharge, input)],
                BlockCharge blocks => RateBlockCharge(blocks, input, conversion),
                FlatCharge flat => RateFlat(flat, input),
                MinimumCharge minimum => RateMinimum(minimum, rated.Select(r => r.Line)),
                SewerCharge sewer => RateSewer(sewer, input, conversion),
                RiderCharge rider => [RateRider(rider, input, conversion)],
                RegisterCharge registers => RateRegisters(registers, input, conversion),
                PercentCharge percent => [RatePercent(percent, rated)],
                DemandCharge demand => RateDemand(demand, input),
                AreaCharge area => [RateArea(area, input)],
                _ => throw new InvalidOperationException($"Tariff {tariff.Code} has a component of unknown kind {component.GetType().Name}."),
            };
            var own = lines.ToList();
            own.AddRange(Limits(component, own));
            rated.AddRange(own.Select(line => (component, line)));
        }

        return rated;
    }

    /// <summary>A line that brings a charge up to its minimum or down to its maximum, when it has one and needs it.</summary>
    private static IEnumerable<ChargeLine> Limits(TariffComponent component, List<ChargeLine> lines)
    {
        var sum = Money.Sum(lines.Select(l => l.Amount));
        if (component.LineMinimum is { } least && sum < Round(least, component.Rounding))
        {
            var floor = Round(least, component.Rounding);
            var amount = floor - sum;
            yield return new ChargeLine($"{component.Code}-MIN", $"{component.Description}, minimum", amount, $"Minimum for this charge {floor} - {sum} = {amount}", null);
        }
        else if (component.LineMaximum is { } most && sum > Round(most, component.Rounding))
        {
            var ceiling = Round(most, component.Rounding);
            var amount = ceiling - sum;
            yield return new ChargeLine($"{component.Code}-MAX", $"{component.Description}, maximum", amount, $"Maximum for this charge {ceiling} - {sum} = {amount}", null);
        }
    }

    /// <summary>An amount rounded to the cent the way its charge says.</summary>
    private static Money Round(decimal dollars, LineRounding rounding) => rounding switch
    {
        LineRounding.HalfEven => Money.FromCents(checked((long)decimal.Round(dollars * 100m, 0, MidpointRounding.ToEven))),
        LineRounding.Up => Money.FromCents(checked((long)decimal.Ceiling(dollars * 100m))),
        _ => Money.Round(dollars),
    };

    /// <summary>
    /// Rates a period during which the schedule changed: the whole period is rated under each version
    /// in force for part of it, and each version's lines are weighted by its share of the days (each
    /// line rounded on its own). With one version in force this is <see cref="Rate"/>.
    /// </summary>
    public static ImmutableArray<ChargeLine> RateAcross(IReadOnlyList<Tariff> versions, RatingInput input, UnitConversion conversion)
    {
        var period = input.Period;
        var ordered = versions.OrderBy(v => v.EffectiveFrom).ToList();
        var parts = new List<(Tariff Tariff, DateOnly From, DateOnly To)>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var from = ordered[i].EffectiveFrom > period.Start ? ordered[i].EffectiveFrom : period.Start;
            var to = i + 1 < ordered.Count && ordered[i + 1].EffectiveFrom.AddDays(-1) < period.End ? ordered[i + 1].EffectiveFrom.AddDays(-1) : period.End;
            if (from <= to && to >= period.Start && from <= period.End)
            {
                parts.Add((ordered[i], from, to));
            }
        }

        if (parts.Count == 0)
        {
            throw new DomainException(ordered.Count == 0
                ? $"No version of the rate schedule is in force during {period}."
                : $"No version of rate schedule {ordered[0].Code} is in force during {period}; the earliest takes effect on {ordered[0].EffectiveFrom:yyyy-MM-dd}.", "tariff");
        }

        if (parts[0].From > period.Start)
        {
            throw new DomainException($"Rate schedule {parts[0].Tariff.Code} takes effect on {parts[0].From:yyyy-MM-dd}, after the period starts ({period.Start:yyyy-MM-dd}).", "tariff");
        }

        if (parts.Count == 1)
        {
            return Rate(parts[0].Tariff, input, conversion);
        }

        var lines = ImmutableArray.CreateBuilder<ChargeLine>();
        foreach (var (tariff, from, to) in parts)
        {
            var days = to.DayNumber - from.DayNumber + 1;
            var note = $"{from:d MMM} to {to:d MMM yyyy}, {days} of {period.Days} days at the rates effective {tariff.EffectiveFrom:yyyy-MM-dd}";
            foreach (var (component, line) in RateComponents(tariff, input, conversion))
            {
                var amount = Round(line.Amount.Dollars * days / period.Days, component.Rounding);
                lines.Add(line with
                {
                    Code = $"{line.Code}@{tariff.EffectiveFrom:yyyyMMdd}",
                    Description = $"{line.Description} ({from:d MMM}-{to:d MMM})",
                    Amount = amount,
                    Trace = $"{line.Trace}; x {days}/{period.Days} days ({note}) = {amount}",
                    Quantity = line.Quantity is { } quantity ? quantity with { Value = quantity.Value * days / period.Days } : null,
                });
            }
        }

        return lines.ToImmutable();
    }

    private static ChargeLine RateFixed(FixedCharge charge, RatingInput input)
    {
        var sizedAmount = 0m;
        bool sized;
        string who;
        if (charge.PriceAttribute == FixedCharge.MeterSizeAttribute)
        {
            sized = input.MeterSize is not null && charge.ByMeterSize is not null && charge.ByMeterSize.TryGetValue(input.MeterSize, out sizedAmount);
            who = sized ? $"{input.MeterSize} meter, " : "";
        }
        else
        {
            var attribute = charge.PriceAttribute;
            if (!input.Attributes.TryGetValue(attribute, out var value))
            {
                throw new DomainException($"Charge {charge.Code} is priced by {attribute.Replace('_', ' ')}, and the service has none.", "attributes");
            }

            if (charge.ByMeterSize is null || !charge.ByMeterSize.TryGetValue(value, out sizedAmount))
            {
                throw new DomainException($"Charge {charge.Code} has no price for {attribute.Replace('_', ' ')} {value}; it prices {string.Join(", ", (charge.ByMeterSize ?? ImmutableDictionary<string, decimal>.Empty).Keys.Order(StringComparer.Ordinal))}.", "attributes");
            }

            sized = true;
            who = $"{attribute.Replace('_', ' ')} {value}, ";
        }

        var each = sized ? sizedAmount : charge.Amount;
        var days = input.Period.Days;
        switch (charge.Per)
        {
            case ChargeFrequency.Day:
            {
                var amount = Round(each * days, charge.Rounding);
                return new ChargeLine(charge.Code, charge.Description, amount, $"{who}{days} days x {Price(each)} per day = {amount}", null);
            }

            case ChargeFrequency.Month when days is < ShortestMonth or > LongestMonth:
            {
                var amount = Round(each * days / 30m, charge.Rounding);
                return new ChargeLine(charge.Code, charge.Description, amount, $"{who}{Price(each)} per month x {days}/30 days = {amount}", null);
            }

            case ChargeFrequency.Month:
            {
                var amount = Round(each, charge.Rounding);
                return new ChargeLine(charge.Code, charge.Description, amount, $"{who}per month = {amount}", null);
            }

            case ChargeFrequency.Quarter or ChargeFrequency.Year:
            {
                var (name, whole, length) = charge.Per == ChargeFrequency.Quarter ? ("quarter", days is >= 85 and <= 97, 91.25m) : ("year", days is >= 360 and <= 370, 365m);
                if (whole)
                {
                    var full = Round(each, charge.Rounding);
                    return new ChargeLine(charge.Code, charge.Description, full, $"{who}per {name} = {full}", null);
                }

                var amount = Round(each * days / length, charge.Rounding);
                return new ChargeLine(charge.Code, charge.Description, amount, $"{who}{Price(each)} per {name} x {days}/{Number(length)} days = {amount}", null);
            }

            default:
            {
                var amount = Round(each, charge.Rounding);
                return new ChargeLine(charge.Code, charge.Description, amount, $"{who}per bill = {amount}", null);
            }
        }
    }

    private static IEnumerable<ChargeLine> RateFlat(FlatCharge flat, RatingInput input)
    {
        if (input.Units <= 0)
        {
            yield break;
        }

        // Units may be fractional (54.45 equivalent residential units): the amount is rounded once, by the line's rule.
        var amount = Round(flat.PricePerUnit * input.Units, flat.Rounding);
        var units = input.Units.ToString("#,0.######", System.Globalization.CultureInfo.InvariantCulture);
        yield return new ChargeLine(flat.Code, flat.Description, amount,
            $"{units} {flat.UnitName}{(input.Units == 1 ? "" : "s")} x {Price(flat.PricePerUnit)} = {amount}",
            new Quantity(input.Units, Unit.Each));
    }

    private static IEnumerable<ChargeLine> RateMinimum(MinimumCharge minimum, IEnumerable<ChargeLine> before)
    {
        var floor = Round(minimum.Amount, minimum.Rounding);
        var sum = Money.Sum(before.Select(l => l.Amount));
        if (sum < floor)
        {
            var amount = floor - sum;
            yield return new ChargeLine(minimum.Code, minimum.Description, amount, $"Minimum bill {floor} - charges {sum} = {amount}", null);
        }
    }

    private static decimal UsageIn(RatingInput input, Unit unit, string code, UnitConversion conversion) => Usage(input, unit, code, conversion).Value;

    /// <summary>
    /// The use in the unit a charge prices, with the words for a conversion worth saying: gas metered by volume and
    /// priced in therms goes through the period's heating value (therms per CCF).
    /// </summary>
    private static (decimal Value, string Note) Usage(RatingInput input, Unit unit, string code, UnitConversion conversion)
    {
        if (input.Usage is not { } usage)
        {
            throw new DomainException($"Charge {code} prices usage, but the service has no usage.", "usage");
        }

        if (unit != Unit.Therm || !UnitConversion.IsVolume(usage.Unit))
        {
            return (In(usage, unit, code, "usage", conversion), "");
        }

        if (input.HeatingValue is not { } heat || heat <= 0m)
        {
            throw new DomainException($"Charge {code} prices therms, and the period has no heating value to turn {UnitConversion.Abbreviation(usage.Unit)} into therms.", "heatingValue");
        }

        var ccf = conversion.Convert(usage, Unit.Ccf).Value;
        var therms = ccf * heat;
        return (therms, $"{input.ValueNotes.GetValueOrDefault(RateValues.HeatingValue)}{Number(ccf)} CCF x {Number(heat)} therms per CCF = {Number(therms)} therms. ");
    }

    /// <summary>The use a charge bills: all of it, or its percent of use, with the words that say so.</summary>
    private static (decimal Usage, string Note) Billed(decimal usage, decimal percent, Unit unit) =>
        percent == 100m
            ? (usage, "")
            : (usage * percent / 100m, $"Billed use: {Number(percent)}% of {Number(usage)} {UnitConversion.Abbreviation(unit)} = {Number(usage * percent / 100m)} {UnitConversion.Abbreviation(unit)}. ");

    /// <summary>A quantity in the unit a charge prices, or an error naming the charge and the input when the units do not convert.</summary>
    private static decimal In(Quantity quantity, Unit unit, string code, string field, UnitConversion conversion)
    {
        try
        {
            return conversion.Convert(quantity, unit).Value;
        }
        catch (DomainException)
        {
            throw new DomainException($"Charge {code} prices {UnitConversion.Abbreviation(unit)}; {quantity.Value} {UnitConversion.Abbreviation(quantity.Unit)} does not convert to it.", field);
        }
    }

    private static IEnumerable<ChargeLine> RateBlockCharge(BlockCharge charge, RatingInput input, UnitConversion conversion)
    {
        var (used, heat) = Usage(input, charge.Unit, charge.Code, conversion);
        var (usage, billed) = Billed(used, charge.UsePercent, charge.Unit);
        billed = heat + billed;
        if (charge.Seasons.IsDefaultOrEmpty)
        {
            return RateBlocks(charge.Code, charge.Description, charge.Unit, charge.PricePer, charge.Blocks, usage, billed, charge.Rounding);
        }

        // A period spanning seasons: each season's share of the use is its share of the days.
        var days = Enumerable.Range(0, input.Period.Days).Select(d => input.Period.Start.AddDays(d)).ToList();
        var lines = new List<ChargeLine>();
        var seasons = charge.Seasons.Select(s => (Season: s, Days: days.Count(s.Contains))).Where(s => s.Days > 0).ToList();
        if (seasons.Sum(s => s.Days) != days.Count)
        {
            throw new DomainException($"Charge {charge.Code}: the period {input.Period} has days in no season.", "period");
        }

        foreach (var (season, inSeason) in seasons)
        {
            if (seasons.Count == 1)
            {
                lines.AddRange(RateBlocks($"{charge.Code}-{season.Name.ToUpperInvariant()}", $"{charge.Description} ({season.Name})", charge.Unit, charge.PricePer, season.Blocks, usage, $"{billed}{season.Name}: ", charge.Rounding));
                continue;
            }

            // Each season's tier bounds shrink by the same share of the days as its use, so no one gains a second
            // first tier: the period costs the days-weighted mix of the seasons, never more than the dearer one.
            var share = usage * inSeason / days.Count;
            var blocks = season.Blocks.Select(b => b with { UpTo = b.UpTo * inSeason / days.Count }).ToImmutableArray();
            var note = $"{billed}{season.Name}, {inSeason} of {days.Count} days ({Number(share)} {UnitConversion.Abbreviation(charge.Unit)}, tier bounds x {inSeason}/{days.Count}): ";
            lines.AddRange(RateBlocks($"{charge.Code}-{season.Name.ToUpperInvariant()}", $"{charge.Description} ({season.Name})", charge.Unit, charge.PricePer, blocks, share, note, charge.Rounding));
        }

        return lines;
    }

    private static IEnumerable<ChargeLine> RateSewer(SewerCharge charge, RatingInput input, UnitConversion conversion)
    {
        var unit = UnitConversion.Abbreviation(charge.Unit);
        decimal WinterAverage() => input.WinterAverage is { } average
            ? In(average, charge.Unit, charge.Code, "winterAverage", conversion)
            : throw new DomainException($"Charge {charge.Code} bills on the winter average, and the account has none.", "winterAverage");
        var (basis, why) = charge.Basis switch
        {
            SewerBasis.WinterAverage => (WinterAverage(), "winter average"),
            SewerBasis.LesserOfUseAndWinterAverage => (UsageIn(input, charge.Unit, charge.Code, conversion), WinterAverage() * charge.WinterAverageCapPercent / 100m) is var (use, cap)
                ? (Math.Min(use, cap), charge.WinterAverageCapPercent == 100m
                    ? $"lesser of use {Number(use)} and winter average {Number(cap)} {unit}"
                    : $"lesser of use {Number(use)} and {Number(charge.WinterAverageCapPercent)}% of winter average {Number(WinterAverage())} ({Number(cap)}) {unit}")
                : default,
            _ => (UsageIn(input, charge.Unit, charge.Code, conversion), "water use"),
        };
        var volume = basis * charge.Percent / 100m;
        var note = charge.Percent == 100m ? $"Billed volume: {why} = {Number(volume)} {unit}. " : $"Billed volume: {Number(charge.Percent)}% of {why} {Number(basis)} {unit} = {Number(volume)} {unit}. ";
        return RateBlocks(charge.Code, charge.Description, charge.Unit, charge.PricePer, charge.Blocks, volume, note, charge.Rounding);
    }

    private static ChargeLine RateRider(RiderCharge rider, RatingInput input, UnitConversion conversion)
    {
        if (!input.Riders.TryGetValue(rider.Rider, out var value))
        {
            throw new DomainException($"Charge {rider.Code} needs this month's value of rider {rider.Rider}.", "riders");
        }

        var (used, heat) = Usage(input, rider.Unit, rider.Code, conversion);
        var (usage, billed) = Billed(used, rider.UsePercent, rider.Unit);
        billed = heat + billed + input.ValueNotes.GetValueOrDefault(rider.Rider);
        var amount = Round(usage * value, rider.Rounding);
        return new ChargeLine(rider.Code, rider.Description, amount,
            $"{billed}{Number(usage)} {UnitConversion.Abbreviation(rider.Unit)} x {rider.Rider} {Price(value)} = {amount}", new Quantity(usage, rider.Unit));
    }

    private static ChargeLine RateArea(AreaCharge charge, RatingInput input)
    {
        if (input.ImperviousArea is not { } area || area < 0m)
        {
            throw new DomainException($"Charge {charge.Code} prices the premise's impervious area, and the premise has none on file.", "imperviousArea");
        }

        var exact = area / charge.UnitSize;
        var units = charge.UnitRounding switch
        {
            AreaRounding.Up => decimal.Ceiling(exact),
            AreaRounding.Nearest => decimal.Round(exact, 0, MidpointRounding.AwayFromZero),
            AreaRounding.Down => decimal.Floor(exact),
            _ => exact,
        };
        var rounded = charge.UnitRounding switch
        {
            AreaRounding.Up => $", rounded up to {Number(units)}",
            AreaRounding.Nearest => $", rounded to {Number(units)}",
            AreaRounding.Down => $", whole units {Number(units)}",
            _ => "",
        };
        var least = units < charge.MinimumUnits ? $", at least {Number(charge.MinimumUnits)}" : "";
        units = Math.Max(units, charge.MinimumUnits);
        var amount = Round(units * charge.PricePerUnit, charge.Rounding);
        return new ChargeLine(charge.Code, charge.Description, amount,
            $"{Number(area)} sq ft / {Number(charge.UnitSize)} sq ft per unit = {Number(exact)}{rounded}{least}: {Number(units)} x {Price(charge.PricePerUnit)} = {amount}",
            new Quantity(units, Unit.Each));
    }

    private static IEnumerable<ChargeLine> RateDemand(DemandCharge charge, RatingInput input)
    {
        var (billing, note) = BillingDemand(charge, input);
        return RateBlocks(charge.Code, charge.Description, charge.Unit, 1m, charge.Blocks, billing, note, charge.Rounding);
    }

    /// <summary>
    /// A demand charge's billing demand and the words that explain it: the period's demand (as read, or the highest of its
    /// interval reads), raised by the power factor adjustment and the ratchet.
    /// </summary>
    public static (decimal Billing, string Note) BillingDemand(DemandCharge charge, RatingInput input)
    {
        ArgumentNullException.ThrowIfNull(charge);
        ArgumentNullException.ThrowIfNull(input);
        var unit = UnitConversion.Abbreviation(charge.Unit);
        var fromIntervals = "";
        var demand = input.Demand;
        if (demand is null && !input.Intervals.IsDefaultOrEmpty)
        {
            var peak = TimeOfUse.Peak(input.Intervals, input.Period, charge.Code);
            var intervalUnit = input.Intervals[0].Unit;
            if (intervalUnit != Unit.Kwh || charge.Unit != Unit.Kw)
            {
                throw new DomainException($"Charge {charge.Code} prices {unit}; interval reads in {UnitConversion.Abbreviation(intervalUnit)} give no demand in it.", "demand");
            }

            demand = new Quantity(peak.Demand, Unit.Kw);
            fromIntervals = $"Highest interval demand {Number(peak.Demand)} kW on {peak.Day:yyyy-MM-dd} at {peak.Minute / 60:00}:{peak.Minute % 60:00}. ";
        }

        if (demand is not { } read)
        {
            throw new DomainException($"Charge {charge.Code} prices demand, and the service has no demand read for the period.", "demand");
        }

        var (billing, why) = Ratcheted(charge, input, read, unit);
        var powerFactor = charge.PowerFactorTarget is not null ? input.ValueNotes.GetValueOrDefault(PowerFactors.Name, "") : "";
        return (billing, fromIntervals + powerFactor + why);
    }

    private static (decimal Billing, string Note) Ratcheted(DemandCharge charge, RatingInput input, Quantity demand, string unit)
    {
        if (demand.Unit != charge.Unit)
        {
            throw new DomainException($"Charge {charge.Code} prices {unit}; a demand of {Number(demand.Value)} {UnitConversion.Abbreviation(demand.Unit)} is not in it.", "demand");
        }

        var billing = demand.Value;
        var why = new List<string> { $"actual {Number(demand.Value)} {unit}" };
        if (charge.PowerFactorTarget is { } target)
        {
            if (input.PowerFactor is not { } factor || factor is <= 0m or > 1m)
            {
                // A run's power factor comes from the meter's kvarh interval days: the note says which days had none.
                var reason = input.PowerFactor is null && input.ValueNotes.TryGetValue(PowerFactors.Name, out var missing) ? $": {missing}" : "";
                throw new DomainException($"Charge {charge.Code} adjusts for power factor, and the service has {(input.PowerFactor is null ? "none" : $"{input.PowerFactor}, which is not between 0 and 1")}{reason}.", "powerFactor");
            }

            if (factor < target)
            {
                billing = demand.Value * target / factor;
                why[0] = $"actual {Number(demand.Value)} {unit} x {Number(target)} target / {Number(factor)} power factor ({Number(billing)} {unit})";
            }
        }

        if (charge.Ratchet is { } ratchet)
        {
            var prior = input.DemandHistory.Take(ratchet.Months).DefaultIfEmpty(0m).Max();
            var ratcheted = prior * ratchet.Percent / 100m;
            why.Add($"{Number(ratchet.Percent)}% of the highest {Number(prior)} {unit} of the prior {ratchet.Months} bills ({Number(ratcheted)} {unit})");
            if (ratchet.Floor > 0m)
            {
                why.Add($"the minimum {Number(ratchet.Floor)} {unit}");
            }

            billing = Math.Max(billing, Math.Max(ratcheted, ratchet.Floor));
        }

        var note = why.Count == 1 && billing == demand.Value ? "" : $"Billing demand: {(why.Count == 1 ? why[0] : $"greatest of {string.Join(", ", why)}")} = {Number(billing)} {unit}. ";
        return (billing, note);
    }

    private static IEnumerable<ChargeLine> RateRegisters(RegisterCharge charge, RatingInput input, UnitConversion conversion)
    {
        // Registers the tariff defines by hours come from the interval reads, unless the reads of each register were given.
        var fromIntervals = !charge.TimeOfUse.IsDefaultOrEmpty && !input.Intervals.IsDefaultOrEmpty && !charge.Prices.Keys.All(input.Registers.ContainsKey);
        var summed = fromIntervals ? TimeOfUse.Registers(charge, input.Intervals, input.Period) : null;
        var hours = summed is null ? null : HoursByRegister(charge);
        var lines = new List<ChargeLine>();
        foreach (var (register, price) in charge.Prices.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Quantity read;
            var source = "";
            if (summed is not null)
            {
                read = new Quantity(summed[register], input.Intervals[0].Unit);
                source = $"{register} hours of {input.Period.Days} days of interval reads ({hours![register]}). ";
            }
            else if (!input.Registers.TryGetValue(register, out read))
            {
                throw new DomainException($"Charge {charge.Code} prices register {register}, and the service has no use on it.", "registers");
            }

            var use = In(read, charge.Unit, $"{charge.Code}-{register}", "registers", conversion);
            var amount = Round(use * price, charge.Rounding);
            lines.Add(new ChargeLine($"{charge.Code}-{register}", $"{charge.Description}, {register}", amount,
                $"{source}{register}: {Number(use)} {UnitConversion.Abbreviation(charge.Unit)} x {Price(price)} = {amount}", new Quantity(use, charge.Unit)));
        }

        return lines;
    }

    /// <summary>Each register's hours in words: "14:00-19:00 weekday, months 6,7,8,9" for each of its periods, or "all other hours".</summary>
    private static Dictionary<string, string> HoursByRegister(RegisterCharge charge)
    {
        var words = charge.Prices.Keys.ToDictionary(r => r, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var p in charge.TimeOfUse)
        {
            var days = p.Days.IsDefaultOrEmpty ? "every day" : string.Join("/", p.Days.Select(d => d switch { DayType.Weekday => "weekday", DayType.Weekend => "weekend", _ => "holiday" }));
            var months = p.Months.IsDefaultOrEmpty ? "" : ", months " + string.Join(",", p.Months);
            words[p.Register].Add(string.Create(CultureInfo.InvariantCulture, $"{p.FromHour:00}:00-{p.ToHour:00}:00 {days}{months}"));
        }

        if (charge.OtherHours is { } other)
        {
            words[other].Add("all other hours");
        }

        return words.ToDictionary(w => w.Key, w => string.Join("; ", w.Value), StringComparer.Ordinal);
    }

    private static ChargeLine RatePercent(PercentCharge charge, List<(TariffComponent Component, ChargeLine Line)> before)
    {
        bool Chosen(string component) => charge.Of.Any(of => of.EndsWith('*') ? component.StartsWith(of[..^1], StringComparison.Ordinal) : component == of);
        var chosen = before.Where(r => Chosen(r.Component.Code)).ToList();
        var basis = Money.Sum(chosen.Select(r => r.Line.Amount));
        var amount = Round(basis.Dollars * charge.Percent / 100m, charge.Rounding);
        var codes = string.Join(", ", chosen.Select(r => r.Component.Code).Distinct());
        return new ChargeLine(charge.Code, charge.Description, amount, $"{Number(charge.Percent)}% of {basis} ({(codes.Length == 0 ? "no charges" : codes)}) = {amount}", null);
    }

    private static IEnumerable<ChargeLine> RateBlocks(string code, string description, Unit unit, decimal pricePer, ImmutableArray<Block> blocks, decimal usage, string note, LineRounding rounding)
    {
        var abbreviation = UnitConversion.Abbreviation(unit);
        var per = pricePer == 1m ? abbreviation : $"{pricePer:#,##0} {abbreviation}";
        decimal lowerBound = 0m;
        var blockNumber = 0;
        foreach (var block in blocks)
        {
            blockNumber++;
            var upper = block.UpTo ?? decimal.MaxValue;
            var inBlock = Math.Max(0m, Math.Min(usage, upper) - lowerBound);
            // A zero-usage bill still shows the first block at zero, so the customer sees the rate.
            if (inBlock > 0m || (blockNumber == 1 && usage == 0m))
            {
                var amount = Round(inBlock * block.Price / pricePer, rounding);
                var label = blocks.Length == 1 ? description : $"{description}, tier {blockNumber}";
                var range = blocks.Length == 1
                    ? ""
                    : block.UpTo is null
                        ? $" (over {Number(lowerBound)} {abbreviation})"
                        : $" ({Number(lowerBound)}-{Number(upper)} {abbreviation})";
                var trace = $"{note}{(blocks.Length == 1 ? "" : $"Tier {blockNumber}{range}: ")}{Number(inBlock)} {abbreviation} x {Price(block.Price)} per {per} = {amount}";
                yield return new ChargeLine($"{code}-{blockNumber}", label, amount, trace, new Quantity(inBlock, unit));
            }

            if (usage <= upper)
            {
                yield break;
            }

            lowerBound = upper;
        }
    }

    private static string Number(decimal value) => value.ToString("#,##0.###", CultureInfo.InvariantCulture);

    /// <summary>Prices may carry more than two decimals; show what the tariff says, at least to the cent.</summary>
    private static string Price(decimal price) => "$" + price.ToString("#,##0.00####", CultureInfo.InvariantCulture);
}
