using System.Collections.Immutable;
using OpenCIS.Core.Common;
using OpenCIS.Core.Rating;

namespace OpenCIS.Tests.Core.Rating;

/// <summary>Each kind of tariff component, rated on its own terms, with the rule it follows stated in the test name.</summary>
public sealed class TariffComponentTests
{
    private static readonly DateOnly January1 = new(2026, 1, 1);

    private static ImmutableArray<ChargeLine> Rate(RatingInput input, params TariffComponent[] components) =>
        RatingEngine.Rate(new Tariff("T", "Test", January1, [.. components]), input, UnitConversion.Default);

    private static RatingInput Input(string from, string to, Quantity? usage = null) =>
        new(new BillingPeriod(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture)), usage, null, 0);

    private static string[] Amounts(IEnumerable<ChargeLine> lines) => [.. lines.Select(l => $"{l.Code} {l.Amount}")];

    [Fact]
    public void A_daily_charge_is_charged_for_every_day_of_the_period()
    {
        var lines = Rate(Input("2026-01-01", "2026-01-31"), new FixedCharge("DAY", "Service", 0.50m, Per: ChargeFrequency.Day));
        Assert.Equal(["DAY $15.50"], Amounts(lines));
        Assert.Equal("31 days x $0.50 per day = $15.50", lines[0].Trace);
    }

    [Theory]
    [InlineData("2026-01-01", "2026-01-31", "$12.00")] // a normal month
    [InlineData("2026-02-01", "2026-02-28", "$12.00")] // a short month is still a month
    [InlineData("2026-01-01", "2026-01-12", "$4.80")] // a 12-day final bill: 12/30 of a month
    [InlineData("2026-01-01", "2026-02-14", "$18.00")] // 45 days after a missed read: 45/30
    public void A_monthly_charge_is_one_month_for_a_27_to_33_day_period_and_prorated_by_days_over_30_otherwise(string from, string to, string expected)
    {
        var lines = Rate(Input(from, to), new FixedCharge("MONTH", "Base", 12m, Per: ChargeFrequency.Month));
        Assert.Equal(expected, lines.Single().Amount.ToString());
    }

    [Fact]
    public void A_period_spanning_seasons_splits_its_use_by_days_and_prices_each_part_on_its_season()
    {
        var seasonal = new BlockCharge("E", "Energy", Unit.Kwh, 1m, [])
        {
            Seasons =
            [
                new Season("winter", [1, 2, 3, 4, 5, 10, 11, 12], [new Block(null, 0.10m)]),
                new Season("summer", [6, 7, 8, 9], [new Block(null, 0.20m)]),
            ],
        };

        // 17-31 May is 15 days of winter, 1-15 June 15 days of summer: 500 kWh each.
        var lines = Rate(Input("2026-05-17", "2026-06-15", new Quantity(1_000m, Unit.Kwh)), seasonal);
        Assert.Equal(["E-WINTER-1 $50.00", "E-SUMMER-1 $100.00"], Amounts(lines));
        Assert.StartsWith("winter, 15 of 30 days (500 kWh, tier bounds x 15/30):", lines[0].Trace, StringComparison.Ordinal);
    }

    [Fact]
    public void A_period_spanning_seasons_prorates_each_seasons_tier_bounds_by_its_days_so_no_one_gains_a_second_first_tier()
    {
        // Both seasons: the first 600 kWh at 10 cents, the rest at 20 (summer) or 15 (winter).
        var seasonal = new BlockCharge("E", "Energy", Unit.Kwh, 1m, [])
        {
            Seasons =
            [
                new Season("winter", [1, 2, 3, 4, 5, 10, 11, 12], [new Block(600m, 0.10m), new Block(null, 0.15m)]),
                new Season("summer", [6, 7, 8, 9], [new Block(600m, 0.10m), new Block(null, 0.20m)]),
            ],
        };

        // 1,200 kWh over 15 days of each: 600 kWh in each season against a first tier of 300, not 600.
        var spanning = Rate(Input("2026-05-17", "2026-06-15", new Quantity(1_200m, Unit.Kwh)), seasonal);
        Assert.Equal(["E-WINTER-1 $30.00", "E-WINTER-2 $45.00", "E-SUMMER-1 $30.00", "E-SUMMER-2 $60.00"], Amounts(spanning));
        var summer = Rate(Input("2026-07-01", "2026-07-30", new Quantity(1_200m, Unit.Kwh)), seasonal);
        Assert.Equal("$180.00", Money.Sum(summer.Select(l => l.Amount)).ToString());
        Assert.Equal("$165.00", Money.Sum(spanning.Select(l => l.Amount)).ToString());
    }

    [Theory]
    [InlineData(ChargeFrequency.Quarter, "2026-01-01", "2026-03-31", "$45.00", "per quarter = $45.00")] // 90 days: a quarter
    [InlineData(ChargeFrequency.Quarter, "2026-01-01", "2026-01-31", "$15.29", "$45.00 per quarter x 31/91.25 days = $15.29")]
    [InlineData(ChargeFrequency.Year, "2026-01-01", "2026-12-31", "$45.00", "per year = $45.00")]
    [InlineData(ChargeFrequency.Year, "2026-01-01", "2026-01-31", "$3.82", "$45.00 per year x 31/365 days = $3.82")]
    public void A_charge_per_quarter_or_year_is_whole_for_its_own_length_of_period_and_prorated_by_days_otherwise(ChargeFrequency per, string from, string to, string expected, string trace)
    {
        var line = Rate(Input(from, to), new FixedCharge("FIRE", "Fire line", 45m, Per: per)).Single();
        Assert.Equal((expected, trace), (line.Amount.ToString(), line.Trace));
    }

    [Theory]
    [InlineData(120, "", null, "$1,060.00", "")] // 50 kW x $10 + 70 kW x $8
    [InlineData(100, "150,140", null, "$1,060.00", "Billing demand: greatest of actual 100 kW, 80% of the highest 150 kW of the prior 11 bills (120 kW), the minimum 50 kW = 120 kW. ")]
    [InlineData(20, "", null, "$500.00", "Billing demand: greatest of actual 20 kW, 80% of the highest 0 kW of the prior 11 bills (0 kW), the minimum 50 kW = 50 kW. ")]
    [InlineData(100, "", "0.75", "$1,060.00", "Billing demand: greatest of actual 100 kW x 0.9 target / 0.75 power factor (120 kW), 80% of the highest 0 kW of the prior 11 bills (0 kW), the minimum 50 kW = 120 kW. ")]
    [InlineData(100, "", "0.95", "$900.00", "Billing demand: greatest of actual 100 kW, 80% of the highest 0 kW of the prior 11 bills (0 kW), the minimum 50 kW = 100 kW. ")]
    public void Demand_is_billed_on_the_greatest_of_actual_demand_adjusted_for_power_factor_the_ratchet_and_the_floor(int kw, string history, string? powerFactor, string expected, string note)
    {
        var demand = new DemandCharge("DEM", "Demand", Unit.Kw, [new Block(50m, 10m), new Block(null, 8m)]);
        if (history.Length > 0 || powerFactor is not null || note.Length > 0)
        {
            demand = demand with { Ratchet = new DemandRatchet(80m, 11, 50m), PowerFactorTarget = 0.9m };
        }

        var input = Input("2026-07-01", "2026-07-31") with
        {
            Demand = new Quantity(kw, Unit.Kw),
            DemandHistory = [.. history.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(h => decimal.Parse(h, System.Globalization.CultureInfo.InvariantCulture))],
            PowerFactor = powerFactor is null ? 1m : decimal.Parse(powerFactor, System.Globalization.CultureInfo.InvariantCulture),
        };

        var lines = Rate(input, demand);

        Assert.Equal(expected, Money.Sum(lines.Select(l => l.Amount)).ToString());
        Assert.StartsWith(note + "Tier 1", lines[0].Trace, StringComparison.Ordinal);
    }

    [Fact]
    public void A_demand_charge_without_a_demand_or_a_power_factor_it_needs_names_the_missing_input()
    {
        var demand = new DemandCharge("DEM", "Demand", Unit.Kw, [new Block(null, 10m)]) { PowerFactorTarget = 0.9m };
        Assert.Equal("demand", Assert.Throws<DomainException>(() => Rate(Input("2026-07-01", "2026-07-31"), demand)).Field);
        Assert.Equal("powerFactor", Assert.Throws<DomainException>(() => Rate(Input("2026-07-01", "2026-07-31") with { Demand = new Quantity(10m, Unit.Kw) }, demand)).Field);
        Assert.Equal("demand", Assert.Throws<DomainException>(() => Rate(Input("2026-07-01", "2026-07-31") with { Demand = new Quantity(10m, Unit.Kva), PowerFactor = 1m }, demand)).Field);
    }

    [Fact]
    public void A_discount_for_a_program_applies_only_to_its_named_lines_and_only_to_an_enrolled_account()
    {
        TariffComponent[] tariff =
        [
            new FixedCharge("BASE", "Service charge", 20m),
            new BlockCharge("USE", "Use", Unit.Kgal, 1m, [new Block(null, 4m)]),
            new PercentCharge("SENIOR", "Senior discount", -30m, ["BASE"]) { ForPrograms = ["senior"] },
        ];
        var input = Input("2026-01-01", "2026-01-31", new Quantity(5m, Unit.Kgal));

        Assert.Equal(["BASE $20.00", "USE-1 $20.00"], Amounts(Rate(input, tariff)));
        Assert.Equal(["BASE $20.00", "USE-1 $20.00", "SENIOR -$6.00"], Amounts(Rate(input with { Programs = ["senior"] }, tariff)));
        Assert.Equal(["BASE $20.00", "USE-1 $20.00"], Amounts(Rate(input with { Programs = ["medical"] }, tariff)));
    }

    [Fact]
    public void A_fixed_charge_may_be_priced_by_any_attribute_of_the_service_and_names_one_it_lacks_or_does_not_price()
    {
        var cart = new FixedCharge("CART", "Garbage cart", 0m, ImmutableDictionary<string, decimal>.Empty.Add("64gal", 18m).Add("96gal", 21.50m), ChargeFrequency.Month)
        {
            PriceAttribute = "cart_size",
        };
        var input = Input("2026-01-01", "2026-01-31") with { Attributes = ImmutableDictionary<string, string>.Empty.Add("cart_size", "96gal") };

        var line = Rate(input, cart).Single();

        Assert.Equal(("$21.50", "cart size 96gal, per month = $21.50"), (line.Amount.ToString(), line.Trace));
        Assert.Equal("attributes", Assert.Throws<DomainException>(() => Rate(Input("2026-01-01", "2026-01-31"), cart)).Field);
        var unpriced = Assert.Throws<DomainException>(() => Rate(input with { Attributes = input.Attributes.SetItem("cart_size", "300gal") }, cart));
        Assert.Equal("Charge CART has no price for cart size 300gal; it prices 64gal, 96gal.", unpriced.Message);
    }

    [Fact]
    public void An_add_on_priced_by_an_attribute_bills_only_the_services_that_have_it()
    {
        var backyard = new FixedCharge("BACKYARD", "Backyard service", 0m, ImmutableDictionary<string, decimal>.Empty.Add("yes", 9.50m), ChargeFrequency.Month)
        {
            PriceAttribute = "backyard",
            Optional = true,
        };
        var input = Input("2026-01-01", "2026-01-31");

        Assert.Empty(Rate(input, backyard));
        var line = Rate(input with { Attributes = ImmutableDictionary<string, string>.Empty.Add("backyard", "yes") }, backyard).Single();
        Assert.Equal(("$9.50", "backyard yes, per month = $9.50"), (line.Amount.ToString(), line.Trace));
        var unpriced = Assert.Throws<DomainException>(() => Rate(input with { Attributes = ImmutableDictionary<string, string>.Empty.Add("backyard", "maybe") }, backyard));
        Assert.Equal("Charge BACKYARD has no price for backyard maybe; it prices yes.", unpriced.Message);
    }

    [Theory]
    [InlineData(AreaRounding.Up, 3_400, "$13.00", "3,400 sq ft / 2,500 sq ft per unit = 1.36, rounded up to 2: 2 x $6.50 = $13.00")]
    [InlineData(AreaRounding.Nearest, 3_400, "$6.50", "3,400 sq ft / 2,500 sq ft per unit = 1.36, rounded to 1: 1 x $6.50 = $6.50")]
    [InlineData(AreaRounding.Down, 600, "$6.50", "600 sq ft / 2,500 sq ft per unit = 0.24, whole units 0, at least 1: 1 x $6.50 = $6.50")]
    [InlineData(AreaRounding.None, 3_400, "$8.84", "3,400 sq ft / 2,500 sq ft per unit = 1.36: 1.36 x $6.50 = $8.84")]
    public void Stormwater_is_billed_on_impervious_area_in_units_rounded_by_the_tariffs_rule(AreaRounding rounding, int squareFeet, string expected, string trace)
    {
        var storm = new AreaCharge("STORM", "Stormwater", 2_500m, rounding, 6.50m, MinimumUnits: 1m);
        var line = Rate(Input("2026-01-01", "2026-01-31") with { ImperviousArea = squareFeet }, storm).Single();
        Assert.Equal((expected, trace), (line.Amount.ToString(), line.Trace));
        Assert.Equal("imperviousArea", Assert.Throws<DomainException>(() => Rate(Input("2026-01-01", "2026-01-31"), storm)).Field);
    }

    [Fact]
    public void Gas_metered_in_ccf_is_priced_in_therms_through_the_periods_heating_value()
    {
        var gas = new BlockCharge("GAS", "Gas", Unit.Therm, 1m, [new Block(20m, 1.20m), new Block(null, 1.00m)]);
        var input = Input("2026-01-01", "2026-01-31", new Quantity(70m, Unit.Ccf)) with { HeatingValue = 1.037m };

        var lines = Rate(input, gas);

        // 70 CCF x 1.037 = 72.59 therms: 20 x $1.20 + 52.59 x $1.00.
        Assert.Equal(["GAS-1 $24.00", "GAS-2 $52.59"], Amounts(lines));
        Assert.StartsWith("70 CCF x 1.037 therms per CCF = 72.59 therms. Tier 1 (0-20 therm): 20 therm x $1.20 per therm", lines[0].Trace, StringComparison.Ordinal);
        Assert.Equal("heatingValue", Assert.Throws<DomainException>(() => Rate(input with { HeatingValue = null }, gas)).Field);
        // Use already in therms (a meter that reads energy) needs no heating value.
        Assert.Equal("$84.00", Money.Sum(Rate(input with { Usage = new Quantity(80m, Unit.Therm), HeatingValue = null }, gas).Select(l => l.Amount)).ToString());
    }

    [Fact]
    public void A_sewer_cap_may_be_a_percent_of_the_winter_average()
    {
        var input = Input("2026-07-01", "2026-07-31", new Quantity(9_000m, Unit.Gallons)) with { WinterAverage = new Quantity(6_000m, Unit.Gallons) };
        var sewer = new SewerCharge("S", "Sewer", Unit.Gallons, 1_000m, [new Block(null, 5m)], SewerBasis.LesserOfUseAndWinterAverage) { WinterAverageCapPercent = 110m };

        var line = Rate(input, sewer).Single();

        // The cap is 110% of 6,000 = 6,600 gallons, under the 9,000 used.
        Assert.Equal("$33.00", line.Amount.ToString());
        Assert.StartsWith("Billed volume: lesser of use 9,000 and 110% of winter average 6,000 (6,600) gal = 6,600 gal.", line.Trace, StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_charge_or_rider_may_bill_a_percent_of_use()
    {
        TariffComponent[] tariff =
        [
            new BlockCharge("IRR", "Irrigation", Unit.Kgal, 1m, [new Block(5m, 2m), new Block(null, 3m)]) { UsePercent = 80m },
            new RiderCharge("ADJ", "Adjustment", "PCA", Unit.Kgal) { UsePercent = 50m },
        ];
        var input = Input("2026-01-01", "2026-01-31", new Quantity(10m, Unit.Kgal)) with { Riders = ImmutableDictionary<string, decimal>.Empty.Add("PCA", 0.10m) };

        var lines = Rate(input, tariff);

        // 80% of 10 kgal = 8: 5 x $2 + 3 x $3; the rider on half: 5 x $0.10.
        Assert.Equal(["IRR-1 $10.00", "IRR-2 $9.00", "ADJ $0.50"], Amounts(lines));
        Assert.StartsWith("Billed use: 80% of 10 kgal = 8 kgal. ", lines[0].Trace, StringComparison.Ordinal);
    }

    [Fact]
    public void Seasons_bounded_by_days_split_a_period_at_the_day_they_change()
    {
        var seasonal = new BlockCharge("E", "Energy", Unit.Kwh, 1m, [])
        {
            Seasons =
            [
                new Season("summer", [], [new Block(null, 0.20m)]) { Days = new SeasonDays(4, 15, 10, 15) },
                new Season("winter", [], [new Block(null, 0.10m)]) { Days = new SeasonDays(10, 16, 4, 14) },
            ],
        };

        // April: 14 days of winter (1-14), 16 of summer (15-30); 600 kWh splits 280 and 320.
        var lines = Rate(Input("2026-04-01", "2026-04-30", new Quantity(600m, Unit.Kwh)), seasonal);
        Assert.Equal(["E-SUMMER-1 $64.00", "E-WINTER-1 $28.00"], Amounts(lines));
        Assert.Equal(["E-WINTER-1 $60.00"], Amounts(Rate(Input("2026-12-15", "2027-01-13", new Quantity(600m, Unit.Kwh)), seasonal)));
    }

    [Theory]
    [InlineData(100, LineRounding.HalfAwayFromZero, "$12.35")] // 12.345
    [InlineData(100, LineRounding.HalfEven, "$12.34")]
    [InlineData(100, LineRounding.Up, "$12.35")]
    [InlineData(99, LineRounding.HalfAwayFromZero, "$12.22")] // 12.22155
    [InlineData(99, LineRounding.HalfEven, "$12.22")]
    [InlineData(99, LineRounding.Up, "$12.23")]
    public void Each_charge_rounds_its_lines_its_own_way(int kwh, LineRounding rounding, string expected)
    {
        var use = new BlockCharge("USE", "Use", Unit.Kwh, 1m, [new Block(null, 0.12345m)]) { Rounding = rounding };
        Assert.Equal(expected, Rate(Input("2026-01-01", "2026-01-31", new Quantity(kwh, Unit.Kwh)), use).Single().Amount.ToString());
    }

    [Fact]
    public void A_charges_own_minimum_and_maximum_add_a_line_that_a_tax_on_it_counts()
    {
        TariffComponent[] tariff =
        [
            new FixedCharge("DAILY", "Customer charge", 0.50m, Per: ChargeFrequency.Day) { LineMinimum = 20m },
            new BlockCharge("USE", "Use", Unit.Kwh, 1m, [new Block(500m, 0.10m), new Block(null, 0.12m)]) { LineMaximum = 80m },
            new PercentCharge("TAX", "Tax", 10m, ["USE"]),
        ];

        var lines = Rate(Input("2026-01-01", "2026-01-31", new Quantity(1_000m, Unit.Kwh)), tariff);

        // 31 days x $0.50 = $15.50, topped up to $20; 500 x 0.10 + 500 x 0.12 = $110, capped at $80; the tax sees $80.
        Assert.Equal(["DAILY $15.50", "DAILY-MIN $4.50", "USE-1 $50.00", "USE-2 $60.00", "USE-MAX -$30.00", "TAX $8.00"], Amounts(lines));
        Assert.Equal("Maximum for this charge $80.00 - $110.00 = -$30.00", lines[4].Trace);
        Assert.Equal(["DAILY $15.50", "DAILY-MIN $4.50", "USE-1 $30.00", "TAX $3.00"], Amounts(Rate(Input("2026-01-01", "2026-01-31", new Quantity(300m, Unit.Kwh)), tariff)));
    }

    [Fact]
    public void A_minimum_bill_tops_up_the_charges_before_it_and_is_absent_when_they_reach_it()
    {
        TariffComponent[] tariff = [new BlockCharge("USE", "Use", Unit.Gallons, 1_000m, [new Block(null, 4m)]), new MinimumCharge("MIN", "Minimum bill", 12m)];
        Assert.Equal(["USE-1 $8.00", "MIN $4.00"], Amounts(Rate(Input("2026-01-01", "2026-01-31", new Quantity(2_000m, Unit.Gallons)), tariff)));
        Assert.Equal(["USE-1 $20.00"], Amounts(Rate(Input("2026-01-01", "2026-01-31", new Quantity(5_000m, Unit.Gallons)), tariff)));
    }

    [Fact]
    public void Sewer_volume_is_the_lesser_of_use_and_winter_average_or_a_percentage_of_use()
    {
        var input = Input("2026-07-01", "2026-07-31", new Quantity(9_000m, Unit.Gallons)) with { WinterAverage = new Quantity(6_000m, Unit.Gallons) };
        var capped = Rate(input, new SewerCharge("S", "Sewer", Unit.Gallons, 1_000m, [new Block(null, 5m)], SewerBasis.LesserOfUseAndWinterAverage));
        Assert.Equal(["S-1 $30.00"], Amounts(capped));
        Assert.StartsWith("Billed volume: lesser of use 9,000 and winter average 6,000 gal = 6,000 gal.", capped[0].Trace, StringComparison.Ordinal);

        var share = Rate(input, new SewerCharge("S", "Sewer", Unit.Gallons, 1_000m, [new Block(null, 5m)], SewerBasis.Use, 90m));
        Assert.Equal(["S-1 $40.50"], Amounts(share));

        var noAverage = Input("2026-07-01", "2026-07-31", new Quantity(9_000m, Unit.Gallons));
        Assert.Throws<DomainException>(() => Rate(noAverage, new SewerCharge("S", "Sewer", Unit.Gallons, 1_000m, [new Block(null, 5m)], SewerBasis.WinterAverage)));
    }

    [Fact]
    public void Time_of_use_registers_are_each_priced_and_a_missing_register_is_an_error()
    {
        var tou = new RegisterCharge("TOU", "Energy", Unit.Kwh, ImmutableDictionary<string, decimal>.Empty.Add("ON", 0.21m).Add("OFF", 0.08m));
        var input = Input("2026-07-01", "2026-07-31") with
        {
            Registers = ImmutableDictionary<string, Quantity>.Empty.Add("ON", new Quantity(300m, Unit.Kwh)).Add("OFF", new Quantity(700_000m, Unit.Wh)),
        };
        Assert.Equal(["TOU-OFF $56.00", "TOU-ON $63.00"], Amounts(Rate(input, tou)));
        Assert.Throws<DomainException>(() => Rate(input with { Registers = input.Registers.Remove("OFF") }, tou));
    }

    [Fact]
    public void A_percentage_charge_is_taken_on_its_chosen_lines_including_an_earlier_tax()
    {
        var lines = Rate(
            Input("2026-01-01", "2026-01-31", new Quantity(10_000m, Unit.Gallons)),
            new FixedCharge("W-BASE", "Base", 10m),
            new BlockCharge("W-USE", "Use", Unit.Gallons, 1_000m, [new Block(5_000m, 2m), new Block(null, 3m)]),
            new FlatCharge("TRASH", "Cart", 20m, "cart"),
            new PercentCharge("STATE", "State tax", 5m, ["W*"]),
            new PercentCharge("CITY", "City surcharge", 2m, ["W-BASE", "STATE"]));
        // W lines: 10 + 10 + 15 = 35; state 5% = 1.75; city 2% of (10 + 1.75) = 0.235 -> 0.24.
        Assert.Equal(["W-BASE $10.00", "W-USE-1 $10.00", "W-USE-2 $15.00", "STATE $1.75", "CITY $0.24"], Amounts(lines));
        Assert.Equal("2% of $11.75 (W-BASE, STATE) = $0.24", lines[^1].Trace);
    }

    [Fact]
    public void A_charge_limited_to_some_months_is_absent_in_the_others_and_a_rider_needs_its_value()
    {
        var summerOnly = new FixedCharge("PEAK", "Summer capacity", 5m) { Months = [6, 7, 8, 9] };
        Assert.Empty(Rate(Input("2026-01-01", "2026-01-31"), summerOnly));
        Assert.Single(Rate(Input("2026-07-01", "2026-07-31"), summerOnly));

        var rider = new RiderCharge("PCA", "Power cost adjustment", "PCA", Unit.Kwh);
        var input = Input("2026-07-01", "2026-07-31", new Quantity(1_000m, Unit.Kwh));
        Assert.Throws<DomainException>(() => Rate(input, rider));
        Assert.Equal(["PCA $12.35"], Amounts(Rate(input with { Riders = ImmutableDictionary<string, decimal>.Empty.Add("PCA", 0.01235m) }, rider)));
    }
}

public sealed class RateChangeProrationTests
{
    private static Tariff Version(string effective, decimal baseCharge, decimal perKgal) =>
        new("W", "Water", DateOnly.Parse(effective, System.Globalization.CultureInfo.InvariantCulture),
        [
            new FixedCharge("BASE", "Base charge", baseCharge),
            new BlockCharge("USE", "Water use", Unit.Kgal, 1m, [new Block(null, perKgal)]),
        ]);

    [Fact]
    public void A_rate_change_inside_a_period_weights_each_versions_lines_by_its_days()
    {
        var input = new RatingInput(new BillingPeriod(new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 30)), new Quantity(3_000m, Unit.Gallons), null, 0);
        var lines = RatingEngine.RateAcross([Version("2026-07-16", 12m, 3m), Version("2020-01-01", 10m, 2m)], input, UnitConversion.Default);

        // 1-15 July at the old rates, 16-30 July at the new: half of each bill.
        Assert.Equal(["BASE@20200101 $5.00", "USE-1@20200101 $3.00", "BASE@20260716 $6.00", "USE-1@20260716 $4.50"], lines.Select(l => $"{l.Code} {l.Amount}").ToArray());
        Assert.EndsWith("x 15/30 days (1 Jul to 15 Jul 2026, 15 of 30 days at the rates effective 2020-01-01) = $5.00", lines[0].Trace, StringComparison.Ordinal);
        Assert.Equal(1.5m, lines[1].Quantity!.Value.Value);
    }

    [Fact]
    public void With_one_version_in_force_the_period_is_rated_as_usual_and_a_version_starting_late_is_an_error()
    {
        var input = new RatingInput(new BillingPeriod(new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 30)), new Quantity(3_000m, Unit.Gallons), null, 0);
        var plain = RatingEngine.RateAcross([Version("2020-01-01", 10m, 2m), Version("2026-08-01", 12m, 3m)], input, UnitConversion.Default);
        Assert.Equal(["BASE $10.00", "USE-1 $6.00"], plain.Select(l => $"{l.Code} {l.Amount}").ToArray());
        Assert.Throws<DomainException>(() => RatingEngine.RateAcross([Version("2026-07-10", 12m, 3m)], input, UnitConversion.Default));
    }
}
