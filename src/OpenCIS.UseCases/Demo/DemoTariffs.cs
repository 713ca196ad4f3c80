using System.Collections.Immutable;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Rating;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Demo;

/// <summary>
/// The rate schedules of the fictional City of Riverbend: residential and commercial water (with the senior discount),
/// sewer and trash (residential by the cart's size, with backyard service as an add-on), and commercial fire lines.
/// </summary>
public static class DemoTariffs
{
    public const string CartSize = "cart_size";
    public const string Backyard = "backyard";

    /// <summary>A residential trash service's cart: drawn two carts' worth (a large household) is the 96-gallon cart, else one in three the 35.</summary>
    public static string CartSizeFor(int sequence, int carts) => carts >= 2 ? "96gal" : sequence % 3 == 0 ? "35gal" : "64gal";

    /// <summary>One residential account in twenty has its cart collected from the backyard (the add-on).</summary>
    public static bool TakesBackyardService(int sequence) => sequence % 20 == 7;

    /// <summary>The attributes of a residential trash agreement: its cart's size, and the add-on when it takes it.</summary>
    public static string ResidentialTrashAttributes(int sequence, int carts) =>
        ServiceAttributes.Format(TakesBackyardService(sequence)
            ? new Dictionary<string, string> { [CartSize] = CartSizeFor(sequence, carts), [Backyard] = "yes" }
            : new Dictionary<string, string> { [CartSize] = CartSizeFor(sequence, carts) })!;

    public static IEnumerable<(Core.Billing.Service Service, Tariff Tariff)> All(DateOnly rateIncreaseOn)
    {
        var since = new DateOnly(2020, 1, 1);
        yield return (Core.Billing.Service.Water, ResidentialWater(since, 1.00m));
        yield return (Core.Billing.Service.Water, ResidentialWater(rateIncreaseOn, 1.06m));
        yield return (Core.Billing.Service.Water, new Tariff("W-COM", "Commercial water", since, [
            new FixedCharge("W-COM-BASE", "Water base charge", 35.00m, Sizes(("1\"", 35.00m), ("1.5\"", 60.00m), ("2\"", 95.00m), ("3\"", 180.00m))),
            new BlockCharge("W-COM-USE", "Water usage", Unit.Ccf, 1m, [new Block(null, 3.85m)]),
        ]));
        yield return (Core.Billing.Service.Sewer, new Tariff("S-RES", "Residential sewer", since, [
            new FixedCharge("S-RES-BASE", "Sewer base charge", 18.00m),
            new BlockCharge("S-RES-USE", "Sewer volume charge", Unit.Gallons, 1000m, [new Block(null, 5.15m)]),
        ]));
        yield return (Core.Billing.Service.Sewer, new Tariff("S-COM", "Commercial sewer", since, [
            new FixedCharge("S-COM-BASE", "Sewer base charge", 30.00m),
            new BlockCharge("S-COM-USE", "Sewer volume charge", Unit.Ccf, 1m, [new Block(null, 4.40m)]),
        ]));
        yield return (Core.Billing.Service.Trash, new Tariff("T-RES", "Residential solid waste", since, [
            new FixedCharge("T-RES-CART", "Garbage cart service", 0m, Sizes(("35gal", 16.50m), ("64gal", 21.50m), ("96gal", 26.00m)), ChargeFrequency.Month) { PriceAttribute = CartSize, Standard = "64gal" },
            new FixedCharge("T-RES-BACKYARD", "Backyard service", 0m, Sizes(("yes", 9.50m)), ChargeFrequency.Month) { PriceAttribute = Backyard, Optional = true },
        ]));
        yield return (Core.Billing.Service.Trash, new Tariff("T-COM", "Commercial solid waste", since, [
            new FlatCharge("T-COM-BIN", "Commercial container service", 48.00m, "container"),
        ]));
    }

    private static Tariff ResidentialWater(DateOnly effectiveFrom, decimal factor) =>
        new("W-RES", "Residential water", effectiveFrom, [
            new FixedCharge("W-RES-BASE", "Water base charge", decimal.Round(12.50m * factor, 2),
                Sizes(("5/8\"", decimal.Round(12.50m * factor, 2)), ("3/4\"", decimal.Round(15.00m * factor, 2)), ("1\"", decimal.Round(22.00m * factor, 2)))),
            new BlockCharge("W-RES-USE", "Water usage", Unit.Gallons, 1000m, [
                new Block(5000m, decimal.Round(3.10m * factor, 4)),
                new Block(15000m, decimal.Round(4.25m * factor, 4)),
                new Block(null, decimal.Round(5.60m * factor, 4)),
            ]),
            // Enrolled seniors (the SENIOR program) take 30% off the base charge, and nothing off use.
            new PercentCharge("W-RES-SENIOR", "Senior discount, 30% of the base charge", -30m, ["W-RES-BASE"]) { ForPrograms = ["SENIOR"] },
        ]);

    private static ImmutableDictionary<string, decimal> Sizes(params (string Size, decimal Amount)[] sizes) =>
        sizes.ToImmutableDictionary(s => s.Size, s => s.Amount);
}
