using System.Globalization;
using System.Text;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Metering.Import;

namespace OpenCIS.Tests.Metering;

public sealed class GreenButtonParserTests
{
    private const string FileName = "usage.xml";
    private const string Customer = "RetailCustomer/9b6c7063";

    // 2024-03-01T00:00:00Z and the next day, in ESPI's seconds since 1970-01-01 UTC.
    private static readonly DateTimeOffset Day1 = new(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day2 = Day1.AddDays(1);

    [Fact]
    public void One_usage_point_with_two_hourly_interval_blocks_reads_every_interval_in_order()
    {
        var day1 = Enumerable.Range(1, 24).Select(h => (long)(h * 100)).ToArray(); // 100, 200, ... 2400 Wh
        var day2 = Enumerable.Range(1, 24).Select(h => (long)(h * 10)).ToArray();
        var xml = Feed(
            UsagePointEntry($"{Customer}/UsagePoint/1", "Single family"),
            MeterReadingEntry($"{Customer}/UsagePoint/1/MeterReading/1", "ReadingType/07"),
            ReadingTypeEntry("ReadingType/07", uom: "72", power: "0"),
            IntervalBlockEntry($"{Customer}/UsagePoint/1/MeterReading/1", 1, Day1, day1),
            IntervalBlockEntry($"{Customer}/UsagePoint/1/MeterReading/1", 2, Day2, day2));

        var result = Parse(xml);

        Assert.Empty(result.Errors);
        var usagePoint = Assert.Single(result.UsagePoints);
        Assert.Equal($"{Customer}/UsagePoint/1", usagePoint.Id);
        Assert.Equal("Single family", usagePoint.Title);
        var meterReading = Assert.Single(usagePoint.MeterReadings);
        Assert.Equal($"{Customer}/UsagePoint/1/MeterReading/1", meterReading.Id);
        Assert.Equal(new GreenButtonReadingType(72, Unit.Wh, 0, 3600, 4, 1, 1), meterReading.ReadingType);
        Assert.Equal(48, meterReading.Intervals.Count);
        Assert.Equal(new GreenButtonInterval(Day1, 3600, 100m), meterReading.Intervals[0]);
        Assert.Equal(new GreenButtonInterval(Day1.AddHours(23), 3600, 2400m), meterReading.Intervals[23]);
        Assert.Equal(new GreenButtonInterval(Day2, 3600, 10m), meterReading.Intervals[24]);
        Assert.Equal(new GreenButtonInterval(Day2.AddHours(23), 3600, 240m), meterReading.Intervals[47]);
        Assert.Equal(day1.Sum(), GreenButtonParser.Total(meterReading.Intervals, Day1, Day2));
        Assert.Equal(day2.Sum(), GreenButtonParser.Total(meterReading.Intervals, Day2, Day2.AddDays(1)));
    }

    [Theory]
    [InlineData("0", 1500, "1500")]
    [InlineData("-3", 1500, "1.5")]
    [InlineData("-3", 7, "0.007")]
    [InlineData("3", 2, "2000")]
    [InlineData("-3", -250, "-0.25")] // net readings may be negative; only durations may not
    public void Values_are_scaled_by_the_power_of_ten_multiplier(string power, long raw, string expected)
    {
        var xml = Feed(
            UsagePointEntry($"{Customer}/UsagePoint/1", null),
            MeterReadingEntry($"{Customer}/UsagePoint/1/MeterReading/1", "ReadingType/07"),
            ReadingTypeEntry("ReadingType/07", uom: "72", power: power),
            IntervalBlockEntry($"{Customer}/UsagePoint/1/MeterReading/1", 1, Day1, [raw]));

        var result = Parse(xml);

        Assert.Empty(result.Errors);
        var meterReading = Assert.Single(Assert.Single(result.UsagePoints).MeterReadings);
        Assert.Equal(int.Parse(power, CultureInfo.InvariantCulture), meterReading.ReadingType.PowerOfTenMultiplier);
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), Assert.Single(meterReading.Intervals).Value);
    }

    [Theory]
    [InlineData("72", Unit.Wh)]
    [InlineData("42", Unit.CubicMeters)]
    [InlineData("119", Unit.CubicFeet)]
    [InlineData("128", Unit.Gallons)]
    public void Uom_codes_map_to_the_units_the_espi_schema_gives_them(string uom, Unit unit)
    {
        var xml = Feed(
            UsagePointEntry($"{Customer}/UsagePoint/1", null),
            MeterReadingEntry($"{Customer}/UsagePoint/1/MeterReading/1", "ReadingType/07"),
            ReadingTypeEntry("ReadingType/07", uom: uom, power: "0"));

        var result = Parse(xml);

        Assert.Empty(result.Errors);
        Assert.Equal(unit, Assert.Single(Assert.Single(result.UsagePoints).MeterReadings).ReadingType.Unit);
    }

    [Fact]
    public void Two_usage_points_keep_their_own_readings_and_units()
    {
        var xml = Feed(
            UsagePointEntry($"{Customer}/UsagePoint/1", "House"),
            UsagePointEntry($"{Customer}/UsagePoint/2", "Irrigation"),
            MeterReadingEntry($"{Customer}/UsagePoint/1/MeterReading/1", "ReadingType/electric"),
            MeterReadingEntry($"{Customer}/UsagePoint/2/MeterReading/1", "ReadingType/water"),
            ReadingTypeEntry("ReadingType/electric", uom: "72", power: "-3"),
            ReadingTypeEntry("ReadingType/water", uom: "128", power: "0"),
            IntervalBlockEntry($"{Customer}/UsagePoint/1/MeterReading/1", 1, Day1, [1000, 2000]),
            IntervalBlockEntry($"{Customer}/UsagePoint/2/MeterReading/1", 1, Day1, [40, 60, 80]));

        var result = Parse(xml);

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.UsagePoints.Count);
        var house = Assert.Single(result.UsagePoints, u => u.Title == "House");
        var irrigation = Assert.Single(result.UsagePoints, u => u.Title == "Irrigation");
        var electric = Assert.Single(house.MeterReadings);
        var water = Assert.Single(irrigation.MeterReadings);
        Assert.Equal(Unit.Wh, electric.ReadingType.Unit);
        Assert.Equal([1m, 2m], electric.Intervals.Select(i => i.Value));
        Assert.Equal(Unit.Gallons, water.ReadingType.Unit);
        Assert.Equal([40m, 60m, 80m], water.Intervals.Select(i => i.Value));
    }

    [Fact]
    public void Entries_relate_whatever_order_the_file_puts_them_in()
    {
        var entries = new[]
        {
            UsagePointEntry($"{Customer}/UsagePoint/1", "House"),
            MeterReadingEntry($"{Customer}/UsagePoint/1/MeterReading/1", "ReadingType/07"),
            ReadingTypeEntry("ReadingType/07", uom: "72", power: "-3"),
            IntervalBlockEntry($"{Customer}/UsagePoint/1/MeterReading/1", 1, Day1, [1000, 2000]),
            IntervalBlockEntry($"{Customer}/UsagePoint/1/MeterReading/1", 2, Day2, [3000]),
        };
        var inOrder = Parse(Feed(entries));

        // Blocks first (the later day before the earlier), then the MeterReading, ReadingType and UsagePoint last.
        var reversed = Parse(Feed([.. entries.Reverse()]));

        Assert.Empty(inOrder.Errors);
        Assert.Empty(reversed.Errors);
        var expected = Assert.Single(Assert.Single(inOrder.UsagePoints).MeterReadings);
        var actual = Assert.Single(Assert.Single(reversed.UsagePoints).MeterReadings);
        Assert.Equal(expected.ReadingType, actual.ReadingType);
        Assert.Equal(expected.Intervals, actual.Intervals);
        Assert.Equal([Day1, Day1.AddHours(1), Day2], actual.Intervals.Select(i => i.Start));
    }

    [Fact]
    public void Absolute_links_give_ids_without_host_or_resource_root()
    {
        const string root = "https://utility.example.com/DataCustodian/espi/1_1/resource";
        var xml = Feed(
            UsagePointEntry($"{root}/Subscription/5/UsagePoint/1", null),
            MeterReadingEntry($"{root}/Subscription/5/UsagePoint/1/MeterReading/1", $"{root}/ReadingType/07"),
            ReadingTypeEntry($"{root}/ReadingType/07", uom: "72", power: "0"),
            IntervalBlockEntry($"{root}/Subscription/5/UsagePoint/1/MeterReading/1", 1, Day1, [5]));

        var result = Parse(xml);

        Assert.Empty(result.Errors);
        var usagePoint = Assert.Single(result.UsagePoints);
        Assert.Equal("Subscription/5/UsagePoint/1", usagePoint.Id);
        Assert.Equal("Subscription/5/UsagePoint/1/MeterReading/1", Assert.Single(usagePoint.MeterReadings).Id);
    }

    [Fact]
    public void Truncated_xml_is_an_error_with_its_line_and_what_came_before_is_kept()
    {
        var complete = Feed(
            UsagePointEntry($"{Customer}/UsagePoint/1", "House"),
            MeterReadingEntry($"{Customer}/UsagePoint/1/MeterReading/1", "ReadingType/07"),
            ReadingTypeEntry("ReadingType/07", uom: "72", power: "0"),
            IntervalBlockEntry($"{Customer}/UsagePoint/1/MeterReading/1", 1, Day1, [111, 222, 333, 444]));
        var cut = complete[..(complete.IndexOf("<value>333", StringComparison.Ordinal) + "<value>3".Length)];
        var lastLine = cut.Split('\n').Length;

        var result = Parse(cut);

        var error = Assert.Single(result.Errors);
        Assert.Equal(FileName, error.FileName);
        Assert.Equal("xml", error.Field);
        Assert.Equal(lastLine, error.Line);
        Assert.Contains("malformed or cut short", error.Message, StringComparison.Ordinal);
        // Entries before the cut still relate, but the caller posts nothing from a file with errors.
        var meterReading = Assert.Single(Assert.Single(result.UsagePoints).MeterReadings);
        Assert.Empty(meterReading.Intervals);
    }

    [Fact]
    public void Malformed_xml_reports_the_line_of_the_fault()
    {
        var xml = Feed(
            UsagePointEntry($"{Customer}/UsagePoint/1", "House"),
            MeterReadingEntry($"{Customer}/UsagePoint/1/MeterReading/1", "ReadingType/07")).Replace("<title>House</title>", "<title>House</titel>", StringComparison.Ordinal);

        var result = Parse(xml);

        var error = Assert.Single(result.Errors);
        Assert.Equal("xml", error.Field);
        Assert.Equal(LineOf(xml, "</titel>"), error.Line);
    }

    [Fact]
    public void An_unknown_uom_is_an_error_naming_the_reading_type_and_its_line()
    {
        var xml = Feed(
            UsagePointEntry($"{Customer}/UsagePoint/1", null),
            MeterReadingEntry($"{Customer}/UsagePoint/1/MeterReading/1", "ReadingType/07"),
            ReadingTypeEntry("ReadingType/07", uom: "169", power: "0"), // therms: energy, but not a unit this system bills in
            IntervalBlockEntry($"{Customer}/UsagePoint/1/MeterReading/1", 1, Day1, [5]));

        var result = Parse(xml);

        // One error for one cause: the MeterReading that uses the broken ReadingType is dropped without a second report.
        var error = Assert.Single(result.Errors);
        Assert.Equal("ReadingType/uom", error.Field);
        Assert.Equal(LineOf(xml, "<espi:uom>169</espi:uom>"), error.Line);
        Assert.Contains("ReadingType/07", error.Message, StringComparison.Ordinal);
        Assert.Contains("169", error.Message, StringComparison.Ordinal);
        Assert.Empty(Assert.Single(result.UsagePoints).MeterReadings);
    }

    [Fact]
    public void A_non_numeric_value_is_an_error_naming_the_interval_reading_value_and_its_line()
    {
        var xml = Feed(
            UsagePointEntry($"{Customer}/UsagePoint/1", null),
            MeterReadingEntry($"{Customer}/UsagePoint/1/MeterReading/1", "ReadingType/07"),
            ReadingTypeEntry("ReadingType/07", uom: "72", power: "0"),
            IntervalBlockEntry($"{Customer}/UsagePoint/1/MeterReading/1", 1, Day1, [100, 200, 300]))
            .Replace("<value>200</value>", "<value>2O0</value>", StringComparison.Ordinal);

        var result = Parse(xml);

        var error = Assert.Single(result.Errors);
        Assert.Equal("IntervalReading/value", error.Field);
        Assert.Equal(LineOf(xml, "<value>2O0</value>"), error.Line);
        Assert.Contains("'2O0' is not a number", error.Message, StringComparison.Ordinal);
        Assert.Equal([100m, 300m], Assert.Single(Assert.Single(result.UsagePoints).MeterReadings).Intervals.Select(i => i.Value));
    }

    [Fact]
    public void A_non_numeric_start_and_a_negative_duration_are_errors_on_their_lines()
    {
        var start = Day1.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var xml = Feed(
            UsagePointEntry($"{Customer}/UsagePoint/1", null),
            MeterReadingEntry($"{Customer}/UsagePoint/1/MeterReading/1", "ReadingType/07"),
            ReadingTypeEntry("ReadingType/07", uom: "72", power: "0"),
            IntervalBlockEntry($"{Customer}/UsagePoint/1/MeterReading/1", 1, Day1, [100, 200, 300]))
            .Replace($"<start>{start}</start>", "<start>2024-03-01T01:00:00Z</start>", StringComparison.Ordinal);
        xml = ReplaceOnLine(xml, "<value>300</value>", "<duration>3600</duration>", "<duration>-3600</duration>");

        var result = Parse(xml);

        Assert.Equal(2, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.Field == "IntervalReading/timePeriod/start" && e.Line == LineOf(xml, "2024-03-01T01:00:00Z"));
        Assert.Contains(result.Errors, e => e.Field == "IntervalReading/timePeriod/duration" && e.Line == LineOf(xml, "<duration>-3600</duration>"));
    }

    [Fact]
    public void An_interval_block_whose_up_link_names_no_meter_reading_is_an_error()
    {
        var xml = Feed(
            UsagePointEntry($"{Customer}/UsagePoint/1", null),
            MeterReadingEntry($"{Customer}/UsagePoint/1/MeterReading/1", "ReadingType/07"),
            ReadingTypeEntry("ReadingType/07", uom: "72", power: "0"),
            IntervalBlockEntry($"{Customer}/UsagePoint/1/MeterReading/9", 1, Day1, [100]));

        var result = Parse(xml);

        var error = Assert.Single(result.Errors);
        Assert.Equal("IntervalBlock", error.Field);
        Assert.Equal(LineOf(xml, "<IntervalBlock"), error.Line);
        Assert.Contains($"{Customer}/UsagePoint/1/MeterReading/9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_meter_reading_with_no_reading_type_is_an_error()
    {
        var xml = Feed(
            UsagePointEntry($"{Customer}/UsagePoint/1", null),
            MeterReadingEntry($"{Customer}/UsagePoint/1/MeterReading/1", "ReadingType/missing"),
            ReadingTypeEntry("ReadingType/07", uom: "72", power: "0"),
            IntervalBlockEntry($"{Customer}/UsagePoint/1/MeterReading/1", 1, Day1, [100]));

        var result = Parse(xml);

        var error = Assert.Single(result.Errors);
        Assert.Equal("MeterReading", error.Field);
        Assert.Equal(LineOf(xml, "<espi:MeterReading"), error.Line);
        Assert.Contains("has no ReadingType", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_readings_for_the_same_start_are_an_error_because_they_would_be_billed_twice()
    {
        var xml = Feed(
            UsagePointEntry($"{Customer}/UsagePoint/1", null),
            MeterReadingEntry($"{Customer}/UsagePoint/1/MeterReading/1", "ReadingType/07"),
            ReadingTypeEntry("ReadingType/07", uom: "72", power: "0"),
            IntervalBlockEntry($"{Customer}/UsagePoint/1/MeterReading/1", 1, Day1, [100, 200]),
            IntervalBlockEntry($"{Customer}/UsagePoint/1/MeterReading/1", 2, Day1.AddHours(1), [999]));

        var result = Parse(xml);

        var error = Assert.Single(result.Errors);
        Assert.Equal("IntervalReading/timePeriod/start", error.Field);
        Assert.Contains("two readings starting", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_with_no_atom_entries_is_an_error()
    {
        var result = Parse("<?xml version=\"1.0\"?>\n<usage><reading>5</reading></usage>");

        var error = Assert.Single(result.Errors);
        Assert.Equal("feed", error.Field);
        Assert.Empty(result.UsagePoints);
    }

    [Fact]
    public void Total_counts_intervals_starting_at_from_but_not_those_starting_at_to()
    {
        GreenButtonInterval[] intervals =
        [
            new(Day1.AddHours(-1), 3600, 1m),
            new(Day1, 3600, 10m),
            new(Day1.AddHours(23), 3600, 100m),
            new(Day2, 3600, 1000m),
        ];

        Assert.Equal(110m, GreenButtonParser.Total(intervals, Day1, Day2));
        Assert.Equal(0m, GreenButtonParser.Total(intervals, Day2.AddHours(1), Day2.AddHours(1)));
        Assert.Throws<ArgumentException>(() => GreenButtonParser.Total(intervals, Day2, Day1));
    }

    private static GreenButtonParseResult Parse(string xml)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(xml));
        return GreenButtonParser.Parse(FileName, stream);
    }

    /// <summary>The 1-based line of the first occurrence of <paramref name="marker"/>, so tests do not hard-code line numbers.</summary>
    private static int LineOf(string xml, string marker)
    {
        var index = xml.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{marker}' is not in the sample");
        return xml[..index].Count(c => c == '\n') + 1;
    }

    private static string ReplaceOnLine(string xml, string lineMarker, string oldText, string newText)
    {
        var lines = xml.Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains(lineMarker, StringComparison.Ordinal));
        Assert.True(index >= 0 && lines[index].Contains(oldText, StringComparison.Ordinal), $"no line holds both '{lineMarker}' and '{oldText}'");
        lines[index] = lines[index].Replace(oldText, newText, StringComparison.Ordinal);
        return string.Join('\n', lines);
    }

    internal static string Feed(params string[] entries) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:espi=\"http://naesb.org/espi\">\n"
        + "  <id>urn:uuid:feed</id>\n  <title>Green Button Usage Feed</title>\n"
        + string.Concat(entries)
        + "</feed>\n";

    internal static string UsagePointEntry(string self, string? title) =>
        $"""
          <entry>
            <link rel="self" href="{self}"/>
            <link rel="up" href="{self[..self.LastIndexOf('/')]}"/>
            <link rel="related" href="{self}/MeterReading"/>
            {(title is null ? "" : $"<title>{title}</title>")}
            <content>
              <espi:UsagePoint><espi:ServiceCategory><espi:kind>0</espi:kind></espi:ServiceCategory></espi:UsagePoint>
            </content>
          </entry>

        """;

    internal static string MeterReadingEntry(string self, string readingType) =>
        $"""
          <entry>
            <link rel="self" href="{self}"/>
            <link rel="up" href="{self[..self.LastIndexOf('/')]}"/>
            <link rel="related" href="{self}/IntervalBlock"/>
            <link rel="related" href="{readingType}"/>
            <content>
              <espi:MeterReading/>
            </content>
          </entry>

        """;

    internal static string ReadingTypeEntry(string self, string uom, string power) =>
        $"""
          <entry>
            <link rel="self" href="{self}"/>
            <link rel="up" href="{self[..self.LastIndexOf('/')]}"/>
            <content>
              <espi:ReadingType>
                <espi:accumulationBehaviour>4</espi:accumulationBehaviour>
                <espi:commodity>1</espi:commodity>
                <espi:flowDirection>1</espi:flowDirection>
                <espi:intervalLength>3600</espi:intervalLength>
                <espi:powerOfTenMultiplier>{power}</espi:powerOfTenMultiplier>
                <espi:uom>{uom}</espi:uom>
              </espi:ReadingType>
            </content>
          </entry>

        """;

    /// <summary>An IntervalBlock of hourly readings from <paramref name="start"/>, one reading per line, in the default ESPI namespace as many utilities write it.</summary>
    internal static string IntervalBlockEntry(string meterReading, int number, DateTimeOffset start, long[] hourlyValues)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"""
              <entry>
                <link rel="self" href="{meterReading}/IntervalBlock/{number}"/>
                <link rel="up" href="{meterReading}/IntervalBlock"/>
                <content>
                  <IntervalBlock xmlns="http://naesb.org/espi">
                    <interval><duration>{hourlyValues.Length * 3600}</duration><start>{start.ToUnixTimeSeconds()}</start></interval>

            """);
        for (var i = 0; i < hourlyValues.Length; i++)
        {
            builder.Append(CultureInfo.InvariantCulture,
                $"        <IntervalReading><timePeriod><duration>3600</duration><start>{start.AddHours(i).ToUnixTimeSeconds()}</start></timePeriod><value>{hourlyValues[i]}</value></IntervalReading>\n");
        }

        builder.Append("      </IntervalBlock>\n    </content>\n  </entry>\n");
        return builder.ToString();
    }
}
