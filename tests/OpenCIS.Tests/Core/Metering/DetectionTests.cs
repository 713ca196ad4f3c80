using System.Collections.Immutable;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;

namespace OpenCIS.Tests.Core.Metering;

/// <summary>The erratic-meter rule: big swings up and down, not noise about a level nor one sudden drop.</summary>
public sealed class DetectionTests
{
    /// <summary>Reads 30 days apart whose periods use these gallons a day.</summary>
    private static DetectionInput History(params int[] dailyUse)
    {
        var reads = ImmutableArray.CreateBuilder<HistoryPoint>();
        var (on, reading) = (new DateOnly(2026, 1, 1), 100_000L);
        reads.Add(new HistoryPoint(on, reading, DeviceFlags.None));
        foreach (var daily in dailyUse)
        {
            (on, reading) = (on.AddDays(30), reading + (daily * 30L));
            reads.Add(new HistoryPoint(on, reading, DeviceFlags.None));
        }

        return new DetectionInput(new MeterRegister("W1", 7, 1m, Unit.Gallons), ServicePointState.ActiveOccupied, null, null, null, reads.ToImmutable());
    }

    private static string[] Rules(DetectionInput input) => [.. Detection.Examine(input).Select(f => f.Rule)];

    [Fact]
    public void Use_swinging_up_and_down_by_more_than_double_is_erratic()
    {
        Assert.Contains("erratic", Rules(History(200, 200, 520, 50, 520, 50)));
    }

    [Fact]
    public void A_sudden_drop_after_noisy_months_is_a_drop_and_not_erratic()
    {
        var rules = Rules(History(200, 230, 190, 240, 200, 25, 22));
        Assert.Contains("sudden-drop", rules);
        Assert.DoesNotContain("erratic", rules);
    }
}
