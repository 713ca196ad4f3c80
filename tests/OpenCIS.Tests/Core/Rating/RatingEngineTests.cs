using OpenCIS.Core.Common;
using OpenCIS.Core.Rating;

namespace OpenCIS.Tests.Core.Rating;

public sealed class RatingEngineTests
{
    private static IReadOnlyList<ChargeLine> RateWater(decimal usage, Unit unit = Unit.Gallons, string? meterSize = "5/8\"") =>
        RatingEngine.Rate(TestTariffs.ResidentialWater, new RatingInput(TestTariffs.March2026, new Quantity(usage, unit), meterSize, 0), UnitConversion.Default);

    private static IReadOnlyList<ChargeLine> UsageLines(decimal usage, Unit unit = Unit.Gallons) =>
        RateWater(usage, unit).Where(l => l.Code.StartsWith("W-RES-USE", StringComparison.Ordinal)).ToList();

    [Theory]
    // usage, gallons in tier 1, 2, 3 (-1: no line for that tier)
    [InlineData(0, 0, -1, -1)]
    [InlineData(1, 1, -1, -1)]
    [InlineData(4999, 4999, -1, -1)]
    [InlineData(5000, 5000, -1, -1)] // the 5,000th gallon is in tier 1 (BlockCharge: "up to and including")
    [InlineData(5001, 5000, 1, -1)]
    [InlineData(15000, 5000, 10000, -1)]
    [InlineData(15001, 5000, 10000, 1)]
    [InlineData(40000, 5000, 10000, 25000)]
    public void Usage_fills_tiers_up_to_and_including_each_bound(int usage, int tier1, int tier2, int tier3)
    {
        var lines = UsageLines(usage);

        var expected = new[] { tier1, tier2, tier3 }.TakeWhile(g => g >= 0).ToArray();
        Assert.Equal(expected.Length, lines.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal($"W-RES-USE-{i + 1}", lines[i].Code);
            Assert.Equal(new Quantity(expected[i], Unit.Gallons), lines[i].Quantity);
        }

        Assert.Equal(usage, lines.Sum(l => l.Quantity!.Value.Value));
    }

    [Theory]
    [InlineData(5000, 1550)] // 5 x $3.10
    [InlineData(9000, 1550 + 1700)] // + 4 x $4.25
    [InlineData(15000, 1550 + 4250)]
    [InlineData(20000, 1550 + 4250 + 2800)] // + 5 x $5.60
    [InlineData(5001, 1550)] // the 5,001st gallon costs $0.00425, which rounds to nothing on its own line
    [InlineData(5118, 1550 + 50)] // 118 gal x $4.25 / 1,000 = $0.5015
    [InlineData(5119, 1550 + 51)] // $0.5058 rounds up
    public void Prices_are_per_thousand_gallons_and_each_line_rounds_to_the_cent(int usage, long expectedUsageCents)
    {
        var total = Money.Sum(UsageLines(usage).Select(l => l.Amount));

        Assert.Equal(expectedUsageCents, total.Cents);
    }

    [Fact]
    public void Every_line_carries_its_calculation_in_plain_words()
    {
        var lines = RateWater(20000);

        Assert.Equal(
            [
                "5/8\" meter, per bill = $12.50",
                "Tier 1 (0-5,000 gal): 5,000 gal x $3.10 per 1,000 gal = $15.50",
                "Tier 2 (5,000-15,000 gal): 10,000 gal x $4.25 per 1,000 gal = $42.50",
                "Tier 3 (over 15,000 gal): 5,000 gal x $5.60 per 1,000 gal = $28.00",
            ],
            lines.Select(l => l.Trace));
        Assert.Equal("Water usage, tier 2", lines[2].Description);
    }

    [Fact]
    public void The_tier_2_trace_reads_the_way_the_bill_explains_it()
    {
        var tier2 = UsageLines(9000)[1];

        Assert.Equal("Tier 2 (5,000-15,000 gal): 4,000 gal x $4.25 per 1,000 gal = $17.00", tier2.Trace);
        Assert.Equal(1700, tier2.Amount.Cents);
    }

    [Fact]
    public void Usage_read_in_ccf_is_converted_to_the_tariff_unit_before_rating()
    {
        // 10 CCF = 7,480.52 gal: 5,000 in tier 1 ($15.50) and 2,480.52 in tier 2 ($10.54221 -> $10.54).
        var lines = UsageLines(10m, Unit.Ccf);

        Assert.Equal(new Quantity(2480.52m, Unit.Gallons), lines[1].Quantity);
        Assert.Equal(1054, lines[1].Amount.Cents);
        Assert.Equal("Tier 2 (5,000-15,000 gal): 2,480.52 gal x $4.25 per 1,000 gal = $10.54", lines[1].Trace);
    }

    [Fact]
    public void Zero_usage_still_shows_the_first_tier_rate_at_zero()
    {
        var line = Assert.Single(UsageLines(0));

        Assert.Equal(Money.Zero, line.Amount);
        Assert.Equal("Tier 1 (0-5,000 gal): 0 gal x $3.10 per 1,000 gal = $0.00", line.Trace);
    }

    [Theory]
    [InlineData("5/8\"", 1250)]
    [InlineData("3/4\"", 1500)]
    [InlineData("1\"", 2200)]
    [InlineData("6\"", 1250)] // a size the tariff does not list pays the default amount
    [InlineData(null, 1250)]
    public void The_fixed_charge_depends_on_meter_size(string? meterSize, long expectedCents)
    {
        var fixedLine = RateWater(1000, meterSize: meterSize).Single(l => l.Code == "W-RES-BASE");

        Assert.Equal(expectedCents, fixedLine.Amount.Cents);
    }

    [Theory]
    [InlineData(1, 2150, "1 cart x $21.50 = $21.50")]
    [InlineData(2, 4300, "2 carts x $21.50 = $43.00")]
    [InlineData(3, 6450, "3 carts x $21.50 = $64.50")]
    public void Flat_charges_are_per_cart(int carts, long expectedCents, string trace)
    {
        var line = Assert.Single(RatingEngine.Rate(TestTariffs.ResidentialTrash, new RatingInput(TestTariffs.March2026, null, null, carts), UnitConversion.Default));

        Assert.Equal(expectedCents, line.Amount.Cents);
        Assert.Equal(trace, line.Trace);
        Assert.Equal(new Quantity(carts, Unit.Each), line.Quantity);
    }

    [Fact]
    public void No_carts_no_flat_charge() =>
        Assert.Empty(RatingEngine.Rate(TestTariffs.ResidentialTrash, new RatingInput(TestTariffs.March2026, null, null, 0), UnitConversion.Default));

    [Fact]
    public void Prices_with_more_than_two_decimals_are_shown_as_the_tariff_states_them()
    {
        var tariff = new Tariff("E", "Electric", new DateOnly(2020, 1, 1), [
            new BlockCharge("E-USE", "Energy", Unit.Kwh, 1m, [new Block(null, 0.11875m)]),
        ]);

        var line = Assert.Single(RatingEngine.Rate(tariff, new RatingInput(TestTariffs.March2026, new Quantity(812m, Unit.Kwh), null, 0), UnitConversion.Default));

        // 812 x 0.11875 = 96.425, half away from zero = $96.43
        Assert.Equal(9643, line.Amount.Cents);
        Assert.Equal("812 kWh x $0.11875 per kWh = $96.43", line.Trace);
    }

    [Fact]
    public void Pricing_usage_without_usage_is_an_error() =>
        Assert.Throws<DomainException>(() =>
            RatingEngine.Rate(TestTariffs.ResidentialWater, new RatingInput(TestTariffs.March2026, null, "5/8\"", 0), UnitConversion.Default));
}
