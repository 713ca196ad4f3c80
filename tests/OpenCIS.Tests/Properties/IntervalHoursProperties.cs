using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Storage.Metering;

namespace OpenCIS.Tests.Properties;

/// <summary>A day's hours read back exactly as written, value and scale, through the billing run's fast reader.</summary>
public sealed class IntervalHoursProperties
{
    private static readonly Gen<decimal> Hours =
        from whole in Gen.Choose(0, 99_999)
        from fraction in Gen.Choose(0, 999_999)
        from scale in Gen.Choose(0, 6)
        from negative in Gen.Frequency((1, Gen.Constant(true)), (9, Gen.Constant(false)))
        select (negative ? -1m : 1m) * (whole + decimal.Round(fraction / 1_000_000m, scale));

    [Fact]
    public void Hours_read_back_as_written_with_their_scale()
    {
        var days = Gen.ArrayOf(Hours, 24);
        var property = Prop.ForAll(days.ToArbitrary(), hours =>
        {
            var text = IntervalDayRow.FormatHours(hours);
            var read = IntervalDayRow.ParseHours(text);
            return read.SequenceEqual(hours)
                && read.Select(h => h.ToString(System.Globalization.CultureInfo.InvariantCulture)).SequenceEqual(hours.Select(h => h.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
        Check.One(Generators.Config, property);
    }

    [Theory]
    [InlineData("1.5 0 -2.25 12345678901234567890.5", new[] { "1.5", "0", "-2.25", "12345678901234567890.5" })]
    [InlineData(".5  7.", new[] { "0.5", "7" })]
    public void Values_beyond_the_fast_path_still_read(string text, string[] expected)
    {
        var read = IntervalDayRow.ParseHours(text);

        Assert.Equal(expected.Select(e => decimal.Parse(e, System.Globalization.CultureInfo.InvariantCulture)), read);
    }
}
