using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;

namespace OpenCIS.Tests.Core.Metering;

/// <summary>The register's maximum, the reading a usage implies, and the one list of billable read statuses.</summary>
public sealed class MeterRegisterTests
{
    private static MeterRegister Register(int dials, decimal multiplier = 1m) => new("M-1", dials, multiplier, Unit.Gallons);

    [Theory]
    [InlineData(1, 10L)]
    [InlineData(4, 10_000L)]
    [InlineData(6, 1_000_000L)]
    [InlineData(11, 100_000_000_000L)]
    [InlineData(12, 1_000_000_000_000L)]
    public void The_maximum_is_ten_to_the_dials_exactly(int dials, long expected)
    {
        Assert.Equal(expected, MeterRegister.MaximumFor(dials));
        Assert.Equal(expected, Register(dials).Maximum);
        Assert.True(Register(dials).Fits(expected - 1));
        Assert.False(Register(dials).Fits(expected));
        Assert.True(Register(dials).Fits(0));
        Assert.False(Register(dials).Fits(-1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    [InlineData(-1)]
    public void A_dial_count_no_meter_has_has_no_maximum(int dials) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MeterRegister.MaximumFor(dials));

    [Fact]
    public void Every_maximum_is_ten_times_the_one_below_it()
    {
        // The oracle is plain multiplication, checked at every dial count a meter can have.
        var expected = 1L;
        for (var dials = MeterRegister.DialsMin; dials <= MeterRegister.DialsMax; dials++)
        {
            expected *= 10;
            Assert.Equal(expected, MeterRegister.MaximumFor(dials));
        }
    }

    [Theory]
    [InlineData(4, 1, 1_000, 250, 1_250)]
    [InlineData(4, 1, 9_990, 10, 0)] // reaching the maximum shows zero
    [InlineData(4, 1, 9_990, 15, 5)] // past it, the register has wrapped
    [InlineData(4, 1, 9_999, 0, 9_999)]
    [InlineData(4, 1, 0, 0, 0)]
    [InlineData(4, 1, 1_234, 30_000, 1_234)] // three whole turns leave the reading where it was
    [InlineData(4, 10, 100, 25, 103)] // 2.5 register steps round half away from zero
    [InlineData(4, 10, 100, 24, 102)]
    [InlineData(4, 10, 9_999, 15, 1)] // 1.5 steps round to 2, wrapping
    [InlineData(12, 1, 999_999_999_999, 1, 0)] // the top of the largest register
    public void The_reading_a_usage_implies_wraps_at_the_maximum(int dials, int multiplier, long previous, long usage, long expected) =>
        Assert.Equal(expected, Register(dials, multiplier).ReadingAfter(previous, usage));

    [Fact]
    public void The_reading_a_usage_implies_gives_back_that_usage_to_the_consumption_calculator()
    {
        var register = Register(6);
        foreach (var (previous, usage) in new[] { (0L, 1L), (999_000L, 2_500L), (999_999L, 1L), (500_000L, 400_000L) })
        {
            var present = register.ReadingAfter(previous, usage);
            Assert.Equal(new Quantity(usage, Unit.Gallons), ConsumptionCalculator.Calculate(register, previous, present).Usage);
        }
    }

    [Fact]
    public void A_usage_too_large_for_a_long_in_register_steps_still_wraps_exactly()
    {
        var usage = decimal.MaxValue / 2;
        var steps = decimal.Round(usage, 0, MidpointRounding.AwayFromZero);
        Assert.Equal((long)((5 + steps) % 10_000), Register(4).ReadingAfter(5, usage));
    }

    [Fact]
    public void A_previous_reading_that_does_not_fit_or_a_negative_usage_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Register(4).ReadingAfter(10_000, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Register(4).ReadingAfter(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Register(4).ReadingAfter(5, -1));
    }

    [Fact]
    public void Valid_estimated_and_overridden_reads_bill_and_reads_awaiting_review_do_not()
    {
        foreach (var status in Enum.GetValues<ReadStatus>())
        {
            var billable = status is ReadStatus.Valid or ReadStatus.Estimated or ReadStatus.Overridden;
            Assert.Equal(billable, ReadStatuses.IsBillable(status));
            Assert.Equal(billable, ReadStatuses.Billable.Contains(status));
        }
    }
}
