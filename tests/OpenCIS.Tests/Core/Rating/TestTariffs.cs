using System.Collections.Immutable;
using OpenCIS.Core.Common;
using OpenCIS.Core.Rating;

namespace OpenCIS.Tests.Core.Rating;

/// <summary>Tariffs written out in the tests, so a change to the demo data cannot change what a test expects.</summary>
public static class TestTariffs
{
    /// <summary>$12.50 base (5/8"), $15.00 (3/4"), $22.00 (1"); blocks per 1,000 gal: up to 5,000 at $3.10, up to 15,000 at $4.25, over at $5.60.</summary>
    public static Tariff ResidentialWater { get; } = new("W-RES", "Residential water", new DateOnly(2020, 1, 1), [
        new FixedCharge("W-RES-BASE", "Water base charge", 12.50m,
            ImmutableDictionary<string, decimal>.Empty.Add("5/8\"", 12.50m).Add("3/4\"", 15.00m).Add("1\"", 22.00m)),
        new BlockCharge("W-RES-USE", "Water usage", Unit.Gallons, 1000m, [
            new Block(5000m, 3.10m),
            new Block(15000m, 4.25m),
            new Block(null, 5.60m),
        ]),
    ]);

    public static Tariff ResidentialSewer { get; } = new("S-RES", "Residential sewer", new DateOnly(2020, 1, 1), [
        new FixedCharge("S-RES-BASE", "Sewer base charge", 18.00m),
        new BlockCharge("S-RES-USE", "Sewer volume charge", Unit.Gallons, 1000m, [new Block(null, 5.15m)]),
    ]);

    public static Tariff ResidentialTrash { get; } = new("T-RES", "Residential solid waste", new DateOnly(2020, 1, 1), [
        new FlatCharge("T-RES-CART", "Garbage cart service", 21.50m, "cart"),
    ]);

    /// <summary>A demand tariff as YAML: 50 kW at $10, the rest at $8; an 80% ratchet over 11 bills with a 50 kW floor; a 0.90 power factor target.</summary>
    public const string DemandYaml = """
        code: GS-D
        name: General service demand
        effective: 2026-01-01
        charges:
          - code: DEMAND
            description: Demand
            demand:
              unit: kw
              ratchet: { percent: 80, months: 11, floor: 50 }
              power_factor: 0.9
              tiers: [ { up_to: 50, price: 10 }, { price: 8 } ]
        """;

    /// <summary>Time of use as YAML: on-peak 14-19 on summer weekdays and 6-9 on every weekday, NERC holidays off-peak; ON $0.25, OFF $0.08 per kWh.</summary>
    public const string TimeOfUseYaml = """
        code: E-TOU
        name: Residential time of use
        effective: 2026-01-01
        charges:
          - code: ENERGY
            description: Energy
            registers:
              unit: kwh
              prices: { ON: 0.25, OFF: 0.08 }
              time_of_use:
                holidays: nerc
                periods:
                  - { register: ON, hours: 14-19, days: [weekday], months: [6, 7, 8, 9] }
                  - { register: ON, hours: 6-9, days: [weekday] }
                other_hours: OFF
        """;

    public static BillingPeriod March2026 { get; } = new(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));
}
