using OpenCIS.Core.Common;

namespace OpenCIS.Tests.Core.Metering;

public sealed class UnitConversionTests
{
    [Theory]
    [InlineData(1, Unit.Ccf, Unit.Gallons, "748.052")]
    [InlineData(10, Unit.Ccf, Unit.Gallons, "7480.52")]
    [InlineData(748.052, Unit.Gallons, Unit.Ccf, "1")]
    [InlineData(100, Unit.CubicFeet, Unit.Ccf, "1")]
    [InlineData(1, Unit.CubicFeet, Unit.Gallons, "7.48052")]
    [InlineData(1000, Unit.Gallons, Unit.Kgal, "1")]
    [InlineData(2.5, Unit.Kgal, Unit.Gallons, "2500")]
    [InlineData(7, Unit.Gallons, Unit.Gallons, "7")]
    public void Converts_with_the_default_factor(decimal value, Unit from, Unit to, string expected)
    {
        var converted = UnitConversion.Default.Convert(new Quantity(value, from), to);

        Assert.Equal(to, converted.Unit);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), converted.Value);
    }

    [Theory]
    [InlineData(10, Unit.Ccf, Unit.Gallons, "7480")]
    [InlineData(748, Unit.Gallons, Unit.Ccf, "1")]
    [InlineData(1, Unit.CubicFeet, Unit.Gallons, "7.48")]
    public void Converts_with_a_utility_factor_of_748(decimal value, Unit from, Unit to, string expected)
    {
        var converted = new UnitConversion(748m).Convert(new Quantity(value, from), to);

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), converted.Value);
    }

    [Theory]
    [InlineData(Unit.Kwh, Unit.Gallons)]
    [InlineData(Unit.Gallons, Unit.Kwh)]
    [InlineData(Unit.Each, Unit.Ccf)]
    public void Refuses_to_convert_between_kinds_of_unit(Unit from, Unit to) =>
        Assert.Equal("unit", Assert.Throws<DomainException>(() => UnitConversion.Default.Convert(new Quantity(1m, from), to)).Field);

    [Fact]
    public void Quantities_of_different_units_do_not_add()
    {
        Assert.Throws<InvalidOperationException>(() => new Quantity(1m, Unit.Ccf) + new Quantity(1m, Unit.Gallons));
        Assert.Equal(new Quantity(3m, Unit.Ccf), new Quantity(1m, Unit.Ccf) + new Quantity(2m, Unit.Ccf));
    }
}
