using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;

namespace OpenCIS.Tests.Core.Metering;

public sealed class ConsumptionCalculatorTests
{
    private static MeterRegister Meter(int dials, decimal multiplier = 1m, Unit unit = Unit.Gallons) => new("M-1", dials, multiplier, unit);

    [Theory]
    [InlineData(4, 1, 1000, 1250, 250, false)]
    [InlineData(4, 1, 1000, 1000, 0, false)]
    [InlineData(4, 1, 9990, 10, 20, true)] // the register wrapped past 9999
    [InlineData(4, 1, 9999, 0, 1, true)]
    [InlineData(4, 1, 6000, 1000, 5000, true)] // exactly half the register is still a rollover
    [InlineData(6, 1, 999_500, 300, 800, true)]
    [InlineData(4, 10, 9990, 10, 200, true)] // the multiplier applies after the rollover
    [InlineData(5, 10, 100, 150, 500, false)]
    public void Consumption_is_rollover_aware(int dials, int multiplier, long previous, long present, long expectedUsage, bool rolledOver)
    {
        var result = ConsumptionCalculator.Calculate(Meter(dials, multiplier), previous, present);

        Assert.Null(result.Problem);
        Assert.Equal(new Quantity(expectedUsage, Unit.Gallons), result.Usage);
        Assert.Equal(rolledOver, result.RolledOver);
    }

    [Theory]
    [InlineData(4, 5000, 100)] // a wrap of 5,100 on a 10,000 register is more likely a misread
    [InlineData(4, 1250, 1000)]
    [InlineData(4, 12000, 10)] // a previous read the register cannot show
    [InlineData(6, 500_000, 499_999)]
    public void A_drop_that_is_not_a_rollover_is_reported_as_negative_consumption(int dials, long previous, long present)
    {
        var result = ConsumptionCalculator.Calculate(Meter(dials), previous, present);

        Assert.Null(result.Usage);
        Assert.False(result.RolledOver);
        Assert.StartsWith("Negative consumption on meter M-1", result.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    public void Dials_outside_1_to_12_are_refused(int dials) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ConsumptionCalculator.Calculate(Meter(dials), 0, 1));
}
