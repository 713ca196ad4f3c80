using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;

namespace OpenCIS.Tests.Core.Metering;

public sealed class ReadValidationTests
{
    private static readonly MeterRegister Meter = new("W100", 6, 1m, Unit.Gallons);
    private static readonly DateOnly Day = new(2026, 11, 5);

    private static ReadCandidate Read(
        long reading,
        DeviceFlags flags = DeviceFlags.None,
        ServicePointState state = ServicePointState.ActiveOccupied,
        decimal? averageDaily = 200m,
        int estimates = 0,
        bool duplicate = false,
        DateOnly? setOn = null,
        DateOnly? readOn = null) =>
        new(Meter, reading, readOn ?? Day, flags, new PriorRead(100_000, Day.AddDays(-30)), state, averageDaily, estimates, Day.AddDays(-5), Day.AddDays(5), duplicate, setOn);

    [Fact]
    public void A_read_in_line_with_history_is_valid_and_carries_its_consumption()
    {
        var verdict = ReadValidation.Judge(Read(106_000), ValidationThresholds.Default);
        Assert.Equal(ReadStatus.Valid, verdict.Status);
        Assert.Empty(verdict.Reasons);
        Assert.Equal(new Quantity(6_000m, Unit.Gallons), verdict.Consumption);
    }

    [Theory]
    [InlineData(120_000, "High use: 666.7 gal per day against an average of 200 gal")]
    [InlineData(101_000, "Low use: 33.3 gal per day")]
    [InlineData(100_000, "Zero use over 30 days on an active, occupied service.")]
    public void Use_far_from_the_average_or_none_at_all_is_suspect(long reading, string reason)
    {
        var verdict = ReadValidation.Judge(Read(reading), ValidationThresholds.Default);
        Assert.Equal(ReadStatus.Suspect, verdict.Status);
        Assert.Contains(verdict.Reasons, r => r.StartsWith(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void The_thresholds_are_boundaries_exactly_three_times_the_average_is_still_valid()
    {
        Assert.Equal(ReadStatus.Valid, ReadValidation.Judge(Read(100_000 + 18_000), ValidationThresholds.Default).Status);
        Assert.Equal(ReadStatus.Suspect, ReadValidation.Judge(Read(100_000 + 18_001), ValidationThresholds.Default).Status);
        Assert.Equal(ReadStatus.Valid, ReadValidation.Judge(Read(100_000 + 1_500), ValidationThresholds.Default).Status);
        Assert.Equal(ReadStatus.Suspect, ReadValidation.Judge(Read(100_000 + 1_499), ValidationThresholds.Default).Status);
    }

    [Fact]
    public void Zero_use_is_suspect_only_when_the_usual_use_would_have_turned_the_register()
    {
        // A CCF register that usually moves a third of a unit a day shows no use on many daily reads.
        var slow = new MeterRegister("C100", 5, 1m, Unit.Ccf);
        ReadCandidate Daily(decimal? average, int days) =>
            new(slow, 5_000, Day, DeviceFlags.None, new PriorRead(5_000, Day.AddDays(-days)), ServicePointState.ActiveOccupied, average, 0, null, null, false, null);

        Assert.Equal(ReadStatus.Valid, ReadValidation.Judge(Daily(0.3m, 1), ValidationThresholds.Default).Status);
        Assert.Equal(ReadStatus.Suspect, ReadValidation.Judge(Daily(0.3m, 30), ValidationThresholds.Default).Status);
        Assert.Equal(ReadStatus.Suspect, ReadValidation.Judge(Daily(null, 1), ValidationThresholds.Default).Status);
    }

    [Fact]
    public void Zero_use_on_a_vacant_service_is_fine_but_any_use_on_a_disconnected_one_is_not()
    {
        Assert.Equal(ReadStatus.Valid, ReadValidation.Judge(Read(100_000, state: ServicePointState.ActiveVacant), ValidationThresholds.Default).Status);
        var disconnected = ReadValidation.Judge(Read(100_500, state: ServicePointState.Disconnected), ValidationThresholds.Default);
        Assert.Equal(ReadStatus.Suspect, disconnected.Status);
        Assert.Contains("500 gal used while the service point is disconnected.", disconnected.Reasons);
    }

    [Fact]
    public void A_lower_read_is_rejected_unless_the_register_rolled_over()
    {
        var backwards = ReadValidation.Judge(Read(90_000), ValidationThresholds.Default);
        Assert.Equal(ReadStatus.Rejected, backwards.Status);
        Assert.Contains(backwards.Reasons, r => r.StartsWith("Negative consumption on meter W100", StringComparison.Ordinal));

        // Past the top of a six-dial register: 6,000 gallons in 30 days is this service's usual use.
        var nearTop = new ReadCandidate(Meter, 2_000, Day, DeviceFlags.None, new PriorRead(996_000, Day.AddDays(-30)), ServicePointState.ActiveOccupied, 200m, 0, null, null, false, null);
        var rolled = ReadValidation.Judge(nearTop, ValidationThresholds.Default);
        Assert.Equal(new Quantity(6_000m, Unit.Gallons), rolled.Consumption);
        Assert.Equal(ReadStatus.Valid, rolled.Status);

        // With no history to compare the use against, a person confirms the rollover.
        var unknown = ReadValidation.Judge(nearTop with { AverageDailyUse = null }, ValidationThresholds.Default);
        Assert.Equal(ReadStatus.Suspect, unknown.Status);
        Assert.Contains(unknown.Reasons, r => r.Contains("rolled over past 1,000,000", StringComparison.Ordinal));

        // A rollover implying far more than usual is high use.
        var far = ReadValidation.Judge(nearTop with { Reading = 90_000 }, ValidationThresholds.Default);
        Assert.Equal(ReadStatus.Suspect, far.Status);
        Assert.Contains(far.Reasons, r => r.StartsWith("High use", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DeviceFlags.Tamper, "The meter reported tampering.")]
    [InlineData(DeviceFlags.ReverseFlow, "The meter reported reverse flow.")]
    [InlineData(DeviceFlags.Leak, "The meter reported a continuous-flow leak.")]
    public void Device_flags_make_a_read_suspect(DeviceFlags flags, string reason)
    {
        var verdict = ReadValidation.Judge(Read(106_000, flags), ValidationThresholds.Default);
        Assert.Equal(ReadStatus.Suspect, verdict.Status);
        Assert.Equal([reason], verdict.Reasons.ToArray());
    }

    [Fact]
    public void Duplicates_and_reads_before_the_meter_was_set_are_rejected()
    {
        Assert.Equal(ReadStatus.Rejected, ReadValidation.Judge(Read(106_000, duplicate: true), ValidationThresholds.Default).Status);
        var early = ReadValidation.Judge(Read(106_000, setOn: Day.AddDays(1)), ValidationThresholds.Default);
        Assert.Equal(ReadStatus.Rejected, early.Status);
        Assert.Contains("Read date 2026-11-05 is before meter W100 was set on 2026-11-06.", early.Reasons);
    }

    [Fact]
    public void Too_many_estimates_in_a_row_and_reads_outside_the_window_are_suspect()
    {
        var overdue = ReadValidation.Judge(Read(106_000, estimates: 3), ValidationThresholds.Default);
        Assert.Contains("3 estimated reads in a row before this one; an actual read is overdue.", overdue.Reasons);
        var late = ReadValidation.Judge(Read(106_000, readOn: Day.AddDays(6)), ValidationThresholds.Default);
        Assert.Contains(late.Reasons, r => r.StartsWith("Read on 2026-11-11, outside the read window", StringComparison.Ordinal));
    }
}
