using System.Collections.Immutable;
using System.Globalization;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Metering;

public enum WorklistKind
{
    /// <summary>Suspected tampering or theft of service.</summary>
    Tampering,

    /// <summary>A meter that seems not to measure right.</summary>
    DefectiveMeter,
}

/// <summary>One read in a service point's history, as detection sees it.</summary>
public sealed record HistoryPoint(DateOnly ReadOn, long Reading, DeviceFlags Flags);

/// <summary>A service point's state and its meter's reads (billable ones, oldest first).</summary>
public sealed record DetectionInput(MeterRegister Meter, ServicePointState State, DateOnly? MeterSetOn, DateOnly? PreviousMeterRemovedOn, decimal? DailyUseBeforeExchange, ImmutableArray<HistoryPoint> Reads);

/// <summary>Why a service point is on a worklist, in words an investigator can act on.</summary>
public sealed record Finding(WorklistKind Kind, string Rule, string Reason);

/// <summary>
/// The rules that put a service point on the tampering or defective-meter worklist. Pure: the same
/// history always gives the same findings, so the demo city's planted cases can be checked exactly.
/// </summary>
public static class Detection
{
    public const decimal SuddenDropRatio = 0.4m;
    public const decimal ExchangeDropRatio = 0.5m;
    public const int StuckReads = 3;
    public const decimal ErraticSpread = 4m;

    /// <summary>How far daily use must move, up or down, for a turn to count as an erratic swing.</summary>
    public const decimal ErraticSwing = 2m;

    public static ImmutableArray<Finding> Examine(DetectionInput input)
    {
        var findings = ImmutableArray.CreateBuilder<Finding>();
        var periods = Periods(input);
        var unit = input.Meter.Unit;

        if (input.State is ServicePointState.Inactive or ServicePointState.Disconnected && periods.Count > 0 && periods[^1].Usage > 0m)
        {
            var last = periods[^1];
            findings.Add(new Finding(WorklistKind.Tampering, "use-while-off",
                $"{Q(last.Usage, unit)} used between {last.From:yyyy-MM-dd} and {last.To:yyyy-MM-dd} while the service point is {(input.State == ServicePointState.Inactive ? "inactive" : "disconnected")}."));
        }

        foreach (var flagged in input.Reads.Where(r => r.Flags.HasFlag(DeviceFlags.Tamper) || r.Flags.HasFlag(DeviceFlags.ReverseFlow)).TakeLast(1))
        {
            var what = flagged.Flags.HasFlag(DeviceFlags.Tamper) ? "a tamper flag" : "reverse flow";
            findings.Add(new Finding(WorklistKind.Tampering, "device-flag", $"The meter reported {what} with the read of {flagged.ReadOn:yyyy-MM-dd}."));
        }

        // Sudden sustained drop: the last two periods against the six before them.
        if (periods.Count >= 5 && input.State == ServicePointState.ActiveOccupied)
        {
            var recent = periods.TakeLast(2).ToList();
            var baseline = periods.SkipLast(2).TakeLast(6).ToList();
            var recentDaily = Daily(recent);
            var baselineDaily = Daily(baseline);
            if (baselineDaily > 0m && recentDaily > 0m && recentDaily < baselineDaily * SuddenDropRatio && !AfterExchange(input, recent[0].From))
            {
                findings.Add(new Finding(WorklistKind.Tampering, "sudden-drop",
                    $"Use fell to {Percent(recentDaily / baselineDaily)} of its usual level for the last two reads ({Q(baselineDaily, unit)} a day before, {Q(recentDaily, unit)} a day now)."));
            }
        }

        // A drop right after a meter exchange: the new meter may be bypassed or wrongly set.
        if (input.PreviousMeterRemovedOn is { } exchangedOn && input.DailyUseBeforeExchange is { } before && before > 0m)
        {
            var after = periods.Where(p => p.From >= exchangedOn).ToList();
            var afterDaily = Daily(after);
            if (after.Count >= 1 && afterDaily < before * ExchangeDropRatio)
            {
                findings.Add(new Finding(WorklistKind.Tampering, "drop-after-exchange",
                    $"Use dropped to {Percent(afterDaily / before)} of its level after the meter exchange on {exchangedOn:yyyy-MM-dd} ({Q(before, unit)} a day before, {Q(afterDaily, unit)} after)."));
            }
        }

        // Stuck: the same reading several times in a row on an occupied premise.
        if (input.State == ServicePointState.ActiveOccupied && input.Reads.Length >= StuckReads)
        {
            var last = input.Reads.TakeLast(StuckReads).ToList();
            if (last.All(r => r.Reading == last[0].Reading))
            {
                findings.Add(new Finding(WorklistKind.DefectiveMeter, "stuck",
                    $"The meter shows {last[0].Reading.ToString("N0", CultureInfo.InvariantCulture)} on each of its last {StuckReads} reads ({last[0].ReadOn:yyyy-MM-dd} to {last[^1].ReadOn:yyyy-MM-dd}) though the premise is occupied."));
            }
        }

        // Erratic: daily use swinging up and down by a wide spread across recent periods.
        if (periods.Count >= 4)
        {
            var recent = periods.TakeLast(6).Select(p => p.Daily).ToList();
            var low = recent.Min();
            var high = recent.Max();
            // A swing is a turn between two big moves (each by half or double at least): noise about a level, or one
            // sudden drop, is not erratic.
            var swings = recent.Zip(recent.Skip(1)).Zip(recent.Skip(2)).Count(t =>
                (t.First.Second - t.First.First) * (t.Second - t.First.Second) < 0m && BigMove(t.First.First, t.First.Second) && BigMove(t.First.Second, t.Second));
            if (low > 0m && high > low * ErraticSpread && swings >= 2)
            {
                findings.Add(new Finding(WorklistKind.DefectiveMeter, "erratic",
                    $"Erratic reads: daily use swings between {Q(low, unit)} and {Q(high, unit)} over the last {recent.Count} periods."));
            }
        }

        return findings.ToImmutable();
    }

    private sealed record Period(DateOnly From, DateOnly To, decimal Usage)
    {
        public decimal Daily => Usage / Math.Max(1, To.DayNumber - From.DayNumber);
    }

    private static List<Period> Periods(DetectionInput input)
    {
        var result = new List<Period>();
        for (var i = 1; i < input.Reads.Length; i++)
        {
            var usage = ConsumptionCalculator.Calculate(input.Meter, input.Reads[i - 1].Reading, input.Reads[i].Reading).Usage;
            if (usage is not null && input.Reads[i].ReadOn > input.Reads[i - 1].ReadOn)
            {
                result.Add(new Period(input.Reads[i - 1].ReadOn, input.Reads[i].ReadOn, usage.Value.Value));
            }
        }

        return result;
    }

    private static bool BigMove(decimal from, decimal to) => from > 0m && to > 0m && (to >= from * ErraticSwing || from >= to * ErraticSwing);

    private static bool AfterExchange(DetectionInput input, DateOnly from) => input.PreviousMeterRemovedOn is { } exchanged && exchanged >= from.AddDays(-1);

    private static decimal Daily(IReadOnlyCollection<Period> periods)
    {
        var days = periods.Sum(p => p.To.DayNumber - p.From.DayNumber);
        return days > 0 ? periods.Sum(p => p.Usage) / days : 0m;
    }

    private static string Q(decimal value, Unit unit) => new Quantity(decimal.Round(value, 1), unit).ToString();

    private static string Percent(decimal ratio) => (ratio * 100m).ToString("0", CultureInfo.InvariantCulture) + "%";
}
