using System.Collections.Immutable;
using System.Globalization;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Rating;

/// <summary>What one service agreement brings to rating for one period.</summary>
public sealed record RatingInput(
    BillingPeriod Period,
    Quantity? Usage,
    string? MeterSize,
    int Units);

/// <summary>One priced line with the plain-words calculation that produced it.</summary>
public sealed record ChargeLine(string Code, string Description, Money Amount, string Trace, Quantity? Quantity);

/// <summary>
/// Rates one service agreement under one tariff. Pure: the same inputs always give the same
/// lines. Each line is rounded to the cent on its own (half away from zero), and the bill is
/// the sum of its lines, so every line a customer reads adds up to the total they owe.
/// </summary>
public static class RatingEngine
{
    public static ImmutableArray<ChargeLine> Rate(Tariff tariff, RatingInput input, UnitConversion conversion)
    {
        var lines = ImmutableArray.CreateBuilder<ChargeLine>();
        foreach (var component in tariff.Components)
        {
            switch (component)
            {
                case FixedCharge fixedCharge:
                    lines.Add(RateFixed(fixedCharge, input));
                    break;
                case BlockCharge blockCharge:
                    lines.AddRange(RateBlocks(blockCharge, input, conversion));
                    break;
                case FlatCharge flat:
                    if (input.Units > 0)
                    {
                        var amount = Money.Round(flat.PricePerUnit * input.Units);
                        lines.Add(new ChargeLine(flat.Code, flat.Description, amount,
                            $"{input.Units} {flat.UnitName}{(input.Units == 1 ? "" : "s")} x {Price(flat.PricePerUnit)} = {amount}",
                            new Quantity(input.Units, Unit.Each)));
                    }

                    break;
                default:
                    throw new InvalidOperationException($"Tariff {tariff.Code} has a component of unknown kind {component.GetType().Name}.");
            }
        }

        return lines.ToImmutable();
    }

    private static ChargeLine RateFixed(FixedCharge charge, RatingInput input)
    {
        if (input.MeterSize is not null && charge.ByMeterSize is not null && charge.ByMeterSize.TryGetValue(input.MeterSize, out var sizedAmount))
        {
            var amount = Money.Round(sizedAmount);
            return new ChargeLine(charge.Code, charge.Description, amount, $"{input.MeterSize} meter, per bill = {amount}", null);
        }

        var flatAmount = Money.Round(charge.Amount);
        return new ChargeLine(charge.Code, charge.Description, flatAmount, $"Per bill = {flatAmount}", null);
    }

    private static IEnumerable<ChargeLine> RateBlocks(BlockCharge charge, RatingInput input, UnitConversion conversion)
    {
        if (input.Usage is null)
        {
            throw new InvalidOperationException($"Component {charge.Code} prices usage, but the service has no usage.");
        }

        var usage = conversion.Convert(input.Usage.Value, charge.Unit).Value;
        var unit = UnitConversion.Abbreviation(charge.Unit);
        var per = charge.PricePer == 1m ? unit : $"{charge.PricePer:#,##0} {unit}";
        decimal lowerBound = 0m;
        var blockNumber = 0;
        foreach (var block in charge.Blocks)
        {
            blockNumber++;
            var upper = block.UpTo ?? decimal.MaxValue;
            var inBlock = Math.Max(0m, Math.Min(usage, upper) - lowerBound);
            // A zero-usage bill still shows the first block at zero, so the customer sees the rate.
            if (inBlock > 0m || (blockNumber == 1 && usage == 0m))
            {
                var amount = Money.Round(inBlock * block.Price / charge.PricePer);
                var label = charge.Blocks.Length == 1 ? charge.Description : $"{charge.Description}, tier {blockNumber}";
                var range = charge.Blocks.Length == 1
                    ? ""
                    : block.UpTo is null
                        ? $" (over {lowerBound.ToString("#,##0.###", CultureInfo.InvariantCulture)} {unit})"
                        : $" ({lowerBound.ToString("#,##0.###", CultureInfo.InvariantCulture)}-{upper.ToString("#,##0.###", CultureInfo.InvariantCulture)} {unit})";
                var trace = $"{(charge.Blocks.Length == 1 ? "" : $"Tier {blockNumber}{range}: ")}{inBlock.ToString("#,##0.###", CultureInfo.InvariantCulture)} {unit} x {Price(block.Price)} per {per} = {amount}";
                yield return new ChargeLine($"{charge.Code}-{blockNumber}", label, amount, trace, new Quantity(inBlock, charge.Unit));
            }

            if (usage <= upper)
            {
                yield break;
            }

            lowerBound = upper;
        }
    }

    /// <summary>Prices may carry more than two decimals; show what the tariff says, at least to the cent.</summary>
    private static string Price(decimal price) => "$" + price.ToString("#,##0.00####", CultureInfo.InvariantCulture);
}
