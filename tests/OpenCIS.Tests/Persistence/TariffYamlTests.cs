using OpenCIS.Core.Common;
using OpenCIS.Core.Rating;
using OpenCIS.Storage.Rating;
using OpenCIS.UseCases.Rating;

namespace OpenCIS.Tests.Persistence;

/// <summary>What the tariff reader refuses, and how it says where.</summary>
public sealed class TariffYamlTests
{
    private static (int Line, string Field)[] Problems(string yaml)
    {
        var exception = Assert.Throws<TariffFormatException>(() => TariffYaml.Read(yaml, "t.yaml"));
        Assert.All(exception.Errors, e => Assert.Equal("t.yaml", e.FileName));
        return [.. exception.Errors.Select(e => (e.Line, e.Field))];
    }

    [Fact]
    public void Unknown_and_missing_fields_and_a_charge_with_two_kinds_are_named_by_line()
    {
        // The missing name is reported where the tariff starts; the charge with two kinds where it starts.
        Assert.Equal([(1, "name"), (2, "nmae"), (5, "charges")], Problems("""
            code: T
            nmae: Typo
            effective: 2026-01-01
            charges:
              - code: A
                fixed: 1
                flat: 2
              - code: A
                fixed: 3
            """));
    }

    [Fact]
    public void Two_charges_may_not_share_a_code()
    {
        Assert.Equal([(6, "code")], Problems("""
            code: T
            name: Twice
            effective: 2026-01-01
            charges:
              - { code: A, fixed: 1 }
              - { code: A, fixed: 2 }
            """));
    }

    [Fact]
    public void Seasons_may_not_share_a_month_and_tiers_must_rise()
    {
        var problems = Problems("""
            code: T
            name: Seasonal
            effective: 2026-01-01
            charges:
              - code: E
                unit: kwh
                seasons:
                  - name: winter
                    months: [1, 2, 3]
                    tiers: [ { up_to: 100, price: 0.1 }, { up_to: 50, price: 0.2 }, { price: 0.3 } ]
                  - name: summer
                    months: [3, 13]
                    tiers: [ { price: 0.2 } ]
            """);
        Assert.Contains((10, "up_to"), problems);
        Assert.Contains((12, "months"), problems);
        Assert.Contains((8, "seasons"), problems);
    }

    [Fact]
    public void A_syntax_error_is_reported_with_its_line()
    {
        Assert.Equal([(3, "yaml")], Problems("code: T\nname: Broken\neffective: [2026-01-01\ncharges: []\n"));
    }

    [Fact]
    public void A_valid_file_reads_into_the_charges_it_describes()
    {
        var tariff = TariffYaml.Read("""
            code: T
            name: Everything
            effective: 2026-01-01
            charges:
              - { code: F, fixed: 1.50, per: day }
              - { code: R, rider: PCA, unit: kwh }
              - code: TOU
                registers: { unit: kwh, prices: { ON: 0.2, OFF: 0.1 } }
              - { code: M, minimum: 10, months: [6, 7] }
              - { code: P, percent: 2.5, of: ['F', 'TOU'] }
            """, "t.yaml");
        Assert.Equal(["F", "R", "TOU", "M", "P"], tariff.Components.Select(c => c.Code).ToArray());
        Assert.Equal(ChargeFrequency.Day, ((FixedCharge)tariff.Components[0]).Per);
        Assert.Equal([6, 7], tariff.Components[3].Months.ToArray());
        Assert.Equal(0.1m, ((RegisterCharge)tariff.Components[2]).Prices["OFF"]);
    }

    [Fact]
    public void A_charges_rounding_and_line_limits_read_back_as_written_and_a_bad_one_is_named_by_line()
    {
        var tariff = TariffYaml.Read("""
            code: T
            name: Limits
            effective: 2026-01-01
            charges:
              - code: USE
                description: Use
                rounding: half-even
                line_minimum: 5.00
                line_maximum: 50
                percent_of_use: 80
                for_programs: [senior, low-income]
                blocks:
                  unit: kwh
                  tiers:
                    - { price: 0.12345 }
            """, "t.yaml");
        var use = Assert.Single(tariff.Components);
        Assert.Equal((LineRounding.HalfEven, 5m, 50m, 80m), (use.Rounding, use.LineMinimum, use.LineMaximum, ((BlockCharge)use).UsePercent));
        var written = (BlockCharge)TariffYaml.Read(TariffYaml.Write(tariff), "again.yaml").Components.Single();
        Assert.Equal((80m, "senior,low-income"), (written.UsePercent, string.Join(",", written.ForPrograms)));
        Assert.Equal(tariff.Components, TariffYaml.Read(TariffYaml.Write(tariff), "again.yaml").Components, new ComponentLimits());

        Assert.Equal([(7, "rounding"), (9, "line_maximum")], Problems("""
            code: T
            name: Bad limits
            effective: 2026-01-01
            charges:
              - code: USE
                description: Use
                rounding: bankers
                line_minimum: 50
                line_maximum: 5
                flat: 1
            """));
    }

    private sealed class ComponentLimits : IEqualityComparer<TariffComponent>
    {
        public bool Equals(TariffComponent? x, TariffComponent? y) =>
            x is not null && y is not null && (x.Code, x.Rounding, x.LineMinimum, x.LineMaximum) == (y.Code, y.Rounding, y.LineMinimum, y.LineMaximum);

        public int GetHashCode(TariffComponent obj) => obj.Code.GetHashCode(StringComparison.Ordinal);
    }

    [Fact]
    public void Seasons_bounded_by_days_read_back_as_written_and_may_not_overlap_or_name_a_day_that_is_not_one()
    {
        var tariff = TariffYaml.Read("""
            code: T
            name: Days
            effective: 2026-01-01
            charges:
              - code: E
                description: Energy
                unit: kwh
                seasons:
                  - name: summer
                    from: 04-15
                    to: 10-15
                    tiers: [ { price: 0.12 } ]
                  - name: winter
                    from: '10-16'
                    to: '04-14'
                    tiers: [ { price: 0.09 } ]
            """, "t.yaml");
        var seasons = ((BlockCharge)tariff.Components.Single()).Seasons;
        Assert.Equal([new SeasonDays(4, 15, 10, 15), new SeasonDays(10, 16, 4, 14)], seasons.Select(s => s.Days));
        Assert.True(seasons[1].Contains(new DateOnly(2026, 1, 31)));
        Assert.False(seasons[1].Contains(new DateOnly(2026, 4, 15)));
        var again = (BlockCharge)TariffYaml.Read(TariffYaml.Write(tariff), "again.yaml").Components.Single();
        Assert.Equal(seasons.Select(s => s.Days), again.Seasons.Select(s => s.Days));

        var problems = Problems("""
            code: T
            name: Bad days
            effective: 2026-01-01
            charges:
              - code: E
                unit: kwh
                seasons:
                  - name: summer
                    from: 04-15
                    to: 10-31
                    tiers: [ { price: 0.12 } ]
                  - name: winter
                    from: 10-16
                    to: 04-14
                    tiers: [ { price: 0.09 } ]
            """);
        Assert.Equal([(8, "seasons")], problems);
        Assert.Equal([(10, "to")], Problems("""
            code: T
            name: Bad day
            effective: 2026-01-01
            charges:
              - code: E
                unit: kwh
                seasons:
                  - name: all
                    from: 01-01
                    to: 04-31
                    tiers: [ { price: 0.12 } ]
            """));
    }

    [Fact]
    public void A_winter_average_cap_percent_reads_back_and_is_refused_on_a_basis_it_cannot_cap()
    {
        const string Sewer = """
            code: T
            name: Sewer
            effective: 2026-01-01
            charges:
              - code: S
                description: Sewer
                sewer:
                  basis: lesser_of_use_and_winter_average
                  winter_average_cap_percent: 110
                  unit: gal
                  tiers: [ { price: 0.005 } ]
            """;
        var tariff = TariffYaml.Read(Sewer, "t.yaml");
        Assert.Equal(110m, ((SewerCharge)TariffYaml.Read(TariffYaml.Write(tariff), "again.yaml").Components.Single()).WinterAverageCapPercent);
        Assert.Equal([(9, "winter_average_cap_percent")], Problems(Sewer.Replace("basis: lesser_of_use_and_winter_average", "basis: use", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_demand_charge_with_its_ratchet_and_power_factor_reads_back_as_written_and_a_bad_one_is_named_by_line()
    {
        const string Demand = OpenCIS.Tests.Core.Rating.TestTariffs.DemandYaml;
        var tariff = TariffYaml.Read(Demand, "t.yaml");
        var again = (DemandCharge)TariffYaml.Read(TariffYaml.Write(tariff), "again.yaml").Components.Single();
        Assert.Equal((Unit.Kw, new DemandRatchet(80m, 11, 50m), (decimal?)0.9m, 2), (again.Unit, again.Ratchet, again.PowerFactorTarget, again.Blocks.Length));

        var problems = Problems(Demand.Replace("unit: kw", "unit: kwh", StringComparison.Ordinal).Replace("months: 11", "months: 1.5", StringComparison.Ordinal).Replace("power_factor: 0.9", "power_factor: 90", StringComparison.Ordinal));
        Assert.Equal([(8, "unit"), (9, "months"), (10, "power_factor")], problems.Order().ToArray());
    }

    [Fact]
    public void An_area_charge_reads_back_as_written_and_a_bad_rounding_is_named_by_line()
    {
        const string Storm = """
            code: STORM
            name: Stormwater
            effective: 2026-01-01
            charges:
              - code: STORM
                description: Stormwater
                area: { unit_size: 2500, rounding: up, price: 6.50, minimum_units: 1 }
            """;
        var again = (AreaCharge)TariffYaml.Read(TariffYaml.Write(TariffYaml.Read(Storm, "t.yaml")), "again.yaml").Components.Single();
        Assert.Equal(new AreaCharge("STORM", "Stormwater", 2_500m, AreaRounding.Up, 6.50m, 1m), again);
        Assert.Equal([(7, "rounding")], Problems(Storm.Replace("rounding: up", "rounding: sideways", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_fixed_charge_priced_by_another_attribute_reads_back_as_written()
    {
        var tariff = TariffYaml.Read("""
            code: TRASH
            name: Solid waste
            effective: 2026-01-01
            charges:
              - code: CART
                description: Garbage cart
                fixed: 0
                per: month
                by: { attribute: cart_size, prices: { 64gal: 18.00, 96gal: 21.50 } }
            """, "t.yaml");
        var again = (FixedCharge)TariffYaml.Read(TariffYaml.Write(tariff), "again.yaml").Components.Single();
        Assert.Equal(("cart_size", 21.50m), (again.PriceAttribute, again.ByMeterSize!["96gal"]));
        Assert.False(again.Optional);

        var addOn = TariffYaml.Read("""
            code: TRASH
            name: Solid waste
            effective: 2026-01-01
            charges:
              - code: BACKYARD
                description: Backyard service
                fixed: 0
                per: month
                by: { attribute: backyard, prices: { yes: 9.50 }, optional: true }
            """, "t.yaml");
        var written = (FixedCharge)TariffYaml.Read(TariffYaml.Write(addOn), "again.yaml").Components.Single();
        Assert.Equal(("backyard", 9.50m, true), (written.PriceAttribute, written.ByMeterSize!["yes"], written.Optional));
        Assert.Null(written.Standard);

        // The cart a new customer is issued: a standard value among the prices, kept; one the charge does not price is named by line.
        const string Standard = """
            code: TRASH
            name: Solid waste
            effective: 2026-01-01
            charges:
              - code: CART
                description: Garbage cart
                fixed: 0
                per: month
                by: { attribute: cart_size, prices: { 64gal: 18.00, 96gal: 21.50 }, standard: 64gal }
            """;
        var standard = (FixedCharge)TariffYaml.Read(TariffYaml.Write(TariffYaml.Read(Standard, "t.yaml")), "again.yaml").Components.Single();
        Assert.Equal("64gal", standard.Standard);
        Assert.Equal([(9, "standard")], Problems(Standard.Replace("standard: 64gal", "standard: 32gal", StringComparison.Ordinal)).ToArray());
    }

    [Fact]
    public void Time_of_use_periods_read_back_as_written_and_a_bad_register_hours_or_day_is_named_by_line()
    {
        const string Tou = OpenCIS.Tests.Core.Rating.TestTariffs.TimeOfUseYaml;
        var again = (RegisterCharge)TariffYaml.Read(TariffYaml.Write(TariffYaml.Read(Tou, "t.yaml")), "again.yaml").Components.Single();
        Assert.Equal(("OFF", "nerc", 2), (again.OtherHours, again.Holidays, again.TimeOfUse.Length));
        var first = again.TimeOfUse[0];
        Assert.Equal("ON 14-19 Weekday 6,7,8,9", $"{first.Register} {first.FromHour}-{first.ToHour} {string.Join(",", first.Days)} {string.Join(",", first.Months)}");

        var problems = Problems(Tou.Replace("register: ON, hours: 6-9", "register: PEAK, hours: 9-6", StringComparison.Ordinal).Replace("days: [weekday], months", "days: [workday], months", StringComparison.Ordinal)
            .Replace("holidays: nerc", "holidays: easter", StringComparison.Ordinal));
        Assert.Equal([(11, "holidays"), (13, "days"), (14, "hours"), (14, "register")], problems.Order().ToArray());
    }
}
