using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace OpenCIS.Tests.Cli;

/// <summary>
/// The example tariffs in examples/tariffs reproduce their utilities' own published example bills,
/// to the cent, through <c>opencis tariff quote</c> (no database involved).
/// </summary>
public sealed class TariffQuoteTests
{
    private static readonly IConfiguration NoSettings = new ConfigurationBuilder().Build();

    private static string Example(string file) => RepositoryExamples.Path("tariffs", file);

    /// <summary>Runs a test on a tariff file of its own, written to a temporary path and deleted after.</summary>
    private static async Task WithTariffFileAsync(string yaml, Func<string, Task> test)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tariff-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, yaml);
        try
        {
            await test(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<(string Total, (string Code, string Amount)[] Lines)> QuoteAsync(params string[] args)
    {
        var run = await CliRun.ExecuteAsync(NoSettings, ["tariff", "quote", .. args, "--json"]);
        Assert.True(run.ExitCode == 0, run.Output);
        using var json = JsonDocument.Parse(run.Output);
        var lines = json.RootElement.GetProperty("lines").EnumerateArray()
            .Select(l => (l.GetProperty("code").GetString()!, l.GetProperty("amount").GetString()!)).ToArray();
        Assert.All(json.RootElement.GetProperty("lines").EnumerateArray(), l => Assert.False(string.IsNullOrWhiteSpace(l.GetProperty("trace").GetString())));
        return (json.RootElement.GetProperty("total").GetString()!, lines);
    }

    [Fact]
    public async Task Seymour_Texas_winter_example_1200_kWh_is_171_55()
    {
        var quote = await QuoteAsync("--tariff", Example("seymour-tx-residential-electric.yaml"), "--from", "2019-01-01", "--to", "2019-01-31", "--usage", "1200kwh", "--rider", "PCF=0.085");
        Assert.Equal("171.55", quote.Total);
        Assert.Equal(["16.00", "22.05", "22.30", "102.00", "7.50", "1.70"], quote.Lines.Select(l => l.Amount).ToArray());
    }

    [Fact]
    public async Task Seymour_Texas_summer_example_2000_kWh_is_277_88_with_a_half_cent_rounded_up()
    {
        var quote = await QuoteAsync("--tariff", Example("seymour-tx-residential-electric.yaml"), "--from", "2019-07-01", "--to", "2019-07-31", "--usage", "2000 kWh", "--rider", "PCF=0.085");
        Assert.Equal("277.88", quote.Total);
        // 550 kWh x $0.0475 = $26.125: each line is rounded half away from zero, as the city prints it.
        Assert.Equal(["16.00", "22.05", "26.13", "33.45", "170.00", "7.50", "2.75"], quote.Lines.Select(l => l.Amount).ToArray());
    }

    [Fact]
    public async Task Charlotte_Water_example_7_Ccf_on_a_5_8_inch_meter_is_80_35()
    {
        var quote = await QuoteAsync("--tariff", Example("charlotte-nc-water-sewer.yaml"), "--from", "2024-09-01", "--to", "2024-09-30", "--usage", "7ccf", "--meter-size", "5/8\"");
        Assert.Equal("80.35", quote.Total);
        Assert.Contains(("S-USE-1", "41.51"), quote.Lines);
    }

    [Fact]
    public async Task Longview_Texas_sewer_on_a_6900_gallon_winter_average_is_31_76()
    {
        var quote = await QuoteAsync("--tariff", Example("longview-tx-sewer.yaml"), "--from", "2024-09-01", "--to", "2024-09-30", "--winter-average", "6900gal");
        Assert.Equal("31.76", quote.Total);
        Assert.Equal([("S-MIN", "12.40"), ("S-USE-1", "0.00"), ("S-USE-2", "19.36")], quote.Lines);
    }

    [Fact]
    public async Task Goodland_Kansas_large_commercial_example_1000_kWh_and_10_kW_is_105_00_energy_and_95_00_demand()
    {
        var quote = await QuoteAsync("--tariff", Example("goodland-ks-large-commercial-electric.yaml"), "--from", "2024-09-01", "--to", "2024-09-30", "--usage", "1000kwh", "--demand", "10kw");
        Assert.Equal("200.00", quote.Total);
        Assert.Equal([("ENERGY-1", "90.00"), ("METER", "15.00"), ("DEMAND-1", "95.00")], quote.Lines);
    }

    /// <summary>
    /// River Falls' calculator: 675.54 kWh a month, 45% of it on-peak as is typical, then ten, fifteen and twenty
    /// points of it moved off-peak.
    /// </summary>
    [Theory]
    [InlineData("303.993", "371.547", "58.06", "24.52", "96.58")]
    [InlineData("236.439", "439.101", "45.16", "28.98", "88.14")]
    [InlineData("202.662", "472.878", "38.71", "31.21", "83.92")]
    [InlineData("168.885", "506.655", "32.26", "33.44", "79.70")]
    public async Task River_Falls_Wisconsin_time_of_day_examples_on_675_54_kWh_match_the_published_costs(string onPeak, string offPeak, string on, string off, string total)
    {
        var quote = await QuoteAsync("--tariff", Example("river-falls-wi-time-of-day-electric.yaml"), "--from", "2020-10-01", "--to", "2020-10-31", "--register", $"ON={onPeak}kwh", "--register", $"OFF={offPeak}kwh");
        Assert.Equal(total, quote.Total);
        Assert.Equal([("CUST", "14.00"), ("ENERGY-OFF", off), ("ENERGY-ON", on)], quote.Lines);
    }

    [Fact]
    public async Task Berkeley_County_stormwater_example_915447_sq_ft_is_332_ERU_and_11952_00_a_year()
    {
        var quote = await QuoteAsync("--tariff", Example("berkeley-county-sc-stormwater.yaml"), "--from", "2024-01-01", "--to", "2024-12-31", "--impervious-area", "915447");
        Assert.Equal("11952.00", quote.Total);
        Assert.Equal([("STORM", "11952.00")], quote.Lines);
    }

    /// <summary>
    /// Richmond Gas Works prices gas per Ccf: a monthly customer charge, a distribution charge and the purchased gas
    /// cost (a rider), the city's example being 70 Ccf before and after the purchased gas cost fell with May 2018 bills.
    /// </summary>
    [Theory]
    [InlineData("2018-04-01", "2018-04-30", "0.525", "36.75", "88.37")]
    [InlineData("2018-05-01", "2018-05-31", "0.400", "28.00", "79.62")]
    public async Task Richmond_Virginia_gas_example_70_Ccf_matches_the_published_bills(string from, string to, string pgc, string gasCost, string total)
    {
        var quote = await QuoteAsync("--tariff", Example("richmond-va-gas.yaml"), "--from", from, "--to", to, "--usage", "70ccf", "--rider", $"PGC={pgc}");
        Assert.Equal(total, quote.Total);
        Assert.Equal([("CUST", "12.98"), ("DIST-1", "38.64"), ("PGC", gasCost)], quote.Lines);
    }

    [Fact]
    public async Task A_bad_tariff_file_is_reported_by_line_and_field_and_quotes_nothing()
    {
        await WithTariffFileAsync("""
            code: BAD
            name: A tariff with mistakes
            effective: 2026-13-01
            charges:
              - code: BASE
                fixed: ten dollars
              - code: USE
                blocks:
                  unit: furlongs
                  tiers:
                    - { up_to: 10, price: 1 }
                    - { up_to: 5, price: 2 }
                    - { price: 3 }
              - code: TAX
                percent: 5
                of: [BASE, LATER]
              - code: LATER
                flat: 2
            """, async path =>
        {
            var run = await CliRun.ExecuteAsync(NoSettings, "tariff", "quote", "--tariff", path, "--from", "2026-01-01", "--to", "2026-01-31", "--usage", "5gal");
            Assert.Equal(1, run.ExitCode);
            var name = Path.GetFileName(path);
            Assert.Contains($"{name} line 3, field effective:", run.Output, StringComparison.Ordinal);
            Assert.Contains($"{name} line 6, field fixed:", run.Output, StringComparison.Ordinal);
            Assert.Contains($"{name} line 9, field unit:", run.Output, StringComparison.Ordinal);
            Assert.Contains($"{name} line 12, field up_to:", run.Output, StringComparison.Ordinal);
            Assert.Contains($"{name} line 16, field of:", run.Output, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("--from 2025-01-01 --to 2025-01-31 --usage 1200kwh", "--usage: Charge W-USE prices CCF; 1200 kWh does not convert to it.")]
    [InlineData("--from 2025-01-31 --to 2025-01-01 --usage 7ccf", "--to: The period ends (2025-01-01) before it starts (2025-01-31).")]
    [InlineData("--from 2025-01-01 --to 2025-01-31 --usage 7ccf --meter-size 9in", "--meter-size: The tariff prices no 9in meter; its sizes are 1\", 5/8\".")]
    [InlineData("--from 2024-06-01 --to 2024-06-30 --usage 7ccf", "--from/--to: No version of rate schedule CLT-WS-RES is in force during 2024-06-01 to 2024-06-30")]
    [InlineData("--from 2024-06-20 --to 2024-07-19 --usage 7ccf", "--from/--to: Rate schedule CLT-WS-RES takes effect on 2024-07-01, after the period starts (2024-06-20).")]
    public async Task A_quote_on_input_the_tariff_cannot_rate_is_an_error_naming_the_option_never_a_stack_trace_or_a_silent_default(string options, string expected)
    {
        var run = await CliRun.ExecuteAsync(NoSettings, ["tariff", "quote", "--tariff", Example("charlotte-nc-water-sewer.yaml"), .. options.Split(' ')]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, run.Output.ReplaceLineEndings(""), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tariff_with_a_negative_price_or_a_fixed_charge_in_fractions_of_a_cent_is_refused_by_line()
    {
        await WithTariffFileAsync("""
            code: PRICES
            name: A tariff with bad prices
            effective: 2026-01-01
            charges:
              - code: BASE
                description: Base charge
                fixed: 10.005
                per: month
              - code: DAILY
                description: Daily charge, a rate
                fixed: 0.3287
                per: day
              - code: USE
                description: Use
                blocks:
                  unit: ccf
                  tiers:
                    - { up_to: 10, price: -1 }
                    - { price: 3.12345 }
            """, async path =>
        {
            var run = await CliRun.ExecuteAsync(NoSettings, "tariff", "quote", "--tariff", path, "--from", "2026-01-01", "--to", "2026-01-31", "--usage", "5ccf");
            Assert.Equal(1, run.ExitCode);
            var name = Path.GetFileName(path);
            var output = run.Output.ReplaceLineEndings("");
            Assert.Contains($"{name} line 7, field fixed: '10.005' has more than two decimals", output, StringComparison.Ordinal);
            Assert.Contains($"{name} line 18, field price: '-1' is negative", output, StringComparison.Ordinal);
            Assert.DoesNotContain("line 11", output, StringComparison.Ordinal);
            Assert.DoesNotContain("line 19", output, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_demand_tariff_is_quoted_from_the_demand_its_history_and_the_power_factor_and_refused_without_the_demand()
    {
        await WithTariffFileAsync(OpenCIS.Tests.Core.Rating.TestTariffs.DemandYaml, async path =>
        {
            var (total, lines) = await QuoteAsync("--tariff", path, "--from", "2026-07-01", "--to", "2026-07-31", "--demand", "100kw", "--demand-history", "150,140", "--power-factor", "0.95");
            Assert.Equal("1060.00", total);
            Assert.Equal([("DEMAND-1", "500.00"), ("DEMAND-2", "560.00")], lines);

            var refused = await CliRun.ExecuteAsync(NoSettings, "tariff", "quote", "--tariff", path, "--from", "2026-07-01", "--to", "2026-07-31", "--power-factor", "0.95");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("--demand: Charge DEMAND prices demand, and the service has no demand read for the period.", refused.Output.ReplaceLineEndings(""), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_gas_tariff_in_therms_is_quoted_through_the_heating_value_and_refused_without_it()
    {
        await WithTariffFileAsync("""
            code: G-RES
            name: Residential gas
            effective: 2026-01-01
            charges:
              - code: GAS
                description: Gas
                blocks:
                  unit: therm
                  tiers: [ { up_to: 20, price: 1.20 }, { price: 1.00 } ]
            """, async path =>
        {
            var (total, _) = await QuoteAsync("--tariff", path, "--from", "2026-01-01", "--to", "2026-01-31", "--usage", "70ccf", "--heating-value", "1.037");
            Assert.Equal("76.59", total);

            var refused = await CliRun.ExecuteAsync(NoSettings, "tariff", "quote", "--tariff", path, "--from", "2026-01-01", "--to", "2026-01-31", "--usage", "70ccf");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("--heating-value: Charge GAS prices therms", refused.Output.ReplaceLineEndings(""), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_senior_discount_on_the_service_charge_is_quoted_only_for_an_enrolled_account()
    {
        await WithTariffFileAsync("""
            code: W-SEN
            name: Water with a senior discount
            effective: 2026-01-01
            charges:
              - code: BASE
                description: Service charge
                fixed: 20.00
              - code: USE
                description: Use
                blocks: { unit: kgal, tiers: [ { price: 4 } ] }
              - code: SENIOR
                description: Senior discount, 30% of the service charge
                percent: -30
                of: [BASE]
                for_programs: [senior]
            """, async path =>
        {
            var (plain, _) = await QuoteAsync("--tariff", path, "--from", "2026-01-01", "--to", "2026-01-31", "--usage", "5kgal");
            var (senior, lines) = await QuoteAsync("--tariff", path, "--from", "2026-01-01", "--to", "2026-01-31", "--usage", "5kgal", "--program", "senior");
            Assert.Equal(("40.00", "34.00"), (plain, senior));
            Assert.Contains(("SENIOR", "-6.00"), lines);
        });
    }

    [Fact]
    public async Task A_quote_sums_interval_reads_into_the_tariffs_time_of_use_registers_and_names_a_bad_interval_line()
    {
        const string Tou = OpenCIS.Tests.Core.Rating.TestTariffs.TimeOfUseYaml;
        // Wednesday 2026-07-01 to Saturday 2026-07-04, every 15 minutes 0.25 kWh (1 kWh an hour): a summer weekday has 8 on-peak hours.
        var csv = new System.Text.StringBuilder("start,minutes,kwh\n");
        foreach (var day in new[] { new DateTime(2026, 7, 1), new DateTime(2026, 7, 2), new DateTime(2026, 7, 3), new DateTime(2026, 7, 4) })
        {
            for (var minute = 0; minute < 24 * 60; minute += 15)
            {
                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{day.AddMinutes(minute):yyyy-MM-ddTHH:mm},15,0.25\n");
            }
        }

        var intervals = Path.Combine(Path.GetTempPath(), $"intervals-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(intervals, csv.ToString());
        try
        {
            await WithTariffFileAsync(Tou, async path =>
            {
                var quote = await QuoteAsync("--tariff", path, "--from", "2026-07-01", "--to", "2026-07-04", "--intervals", intervals);
                // Three weekdays x 8 on-peak hours = 24 kWh x $0.25; 96 - 24 = 72 kWh x $0.08.
                Assert.Equal([("ENERGY-OFF", "5.76"), ("ENERGY-ON", "6.00")], quote.Lines);
                Assert.Equal("11.76", quote.Total);

                await File.AppendAllTextAsync(intervals, "2026-07-05 25:00,15,0.25\n");
                var bad = await CliRun.ExecuteAsync(NoSettings, ["tariff", "quote", "--tariff", path, "--from", "2026-07-01", "--to", "2026-07-04", "--intervals", intervals]);
                Assert.Equal(1, bad.ExitCode);
                Assert.Contains("--intervals:", bad.Output, StringComparison.Ordinal);
                Assert.Contains("line 386, field start", bad.Output, StringComparison.Ordinal);
            });
        }
        finally
        {
            File.Delete(intervals);
        }
    }
}
