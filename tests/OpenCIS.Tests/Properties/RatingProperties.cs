using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Common;
using OpenCIS.Core.Rating;

namespace OpenCIS.Tests.Properties;

public sealed class RatingProperties
{
    /// <summary>One to three tiers: rising bounds, prices from a tenth of a cent to a dollar per unit.</summary>
    private static readonly Gen<ImmutableArray<Block>> Tiers =
        from count in Gen.Choose(1, 3)
        from bounds in Gen.ArrayOf(Gen.Choose(1, 2_000), count - 1)
        from prices in Gen.ArrayOf(Gen.Choose(1, 1_000), count)
        select bounds.Order().Distinct().Select((b, i) => (decimal?)b).Append(null)
            .Select((upTo, i) => new Block(upTo, prices[Math.Min(i, prices.Length - 1)] / 1_000m)).ToImmutableArray();

    [Fact]
    public void A_period_spanning_a_season_change_is_never_priced_above_the_dearer_season_for_the_same_use()
    {
        var cases =
            from winter in Tiers
            from summer in Tiers
            from use in Gen.Choose(0, 6_000)
            from start in Gen.Choose(2, 31)
            from length in Gen.Choose(27, 33)
            select (winter, summer, use, start, length);
        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var charge = new BlockCharge("E", "Energy", Unit.Kwh, 1m, [])
            {
                Seasons = [new Season("winter", [1, 2, 3, 4, 5, 10, 11, 12], c.winter), new Season("summer", [6, 7, 8, 9], c.summer)],
            };
            var tariff = new Tariff("T", "Test", new DateOnly(2020, 1, 1), [charge]);
            Money Total(DateOnly from) =>
                Money.Sum(RatingEngine.Rate(tariff, new RatingInput(new BillingPeriod(from, from.AddDays(c.length - 1)), new Quantity(c.use, Unit.Kwh), null, 0), UnitConversion.Default).Select(l => l.Amount));

            // From a day in May into June, against the same length of days wholly in winter (January) and in summer (July).
            var spanning = Total(new DateOnly(2026, 5, c.start));
            var dearer = Total(new DateOnly(2026, 1, 1)) > Total(new DateOnly(2026, 7, 1)) ? Total(new DateOnly(2026, 1, 1)) : Total(new DateOnly(2026, 7, 1));
            // Each line is rounded to the cent on its own: half a cent per line either way.
            var lines = c.winter.Length + c.summer.Length + Math.Max(c.winter.Length, c.summer.Length);
            return (spanning.Cents <= dearer.Cents + ((lines + 1) / 2)).Label($"spanning {spanning}, dearer season {dearer}");
        });

        Check.One(Generators.Config, property);
    }
}
