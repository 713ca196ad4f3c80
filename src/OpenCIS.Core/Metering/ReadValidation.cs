using System.Collections.Immutable;
using System.Globalization;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Metering;

/// <summary>Flags a device sends with a read.</summary>
[Flags]
public enum DeviceFlags
{
    None = 0,
    Tamper = 1,
    Leak = 2,
    ReverseFlow = 4,
}

/// <summary>Whether the service point may use anything at all.</summary>
public enum ServicePointState
{
    ActiveOccupied,
    ActiveVacant,
    Inactive,
    Disconnected,
}

/// <summary>
/// The thresholds of validation, set per commodity and account class. A read whose daily use is
/// above <see cref="HighFactor"/> times the service point's average, or below <see cref="LowFactor"/>
/// times it, is suspect.
/// </summary>
public sealed record ValidationThresholds(decimal HighFactor, decimal LowFactor, int MaximumConsecutiveEstimates)
{
    public static readonly ValidationThresholds Default = new(3.0m, 0.25m, 3);
}

/// <summary>The last billable read of the same meter, to measure consumption from.</summary>
public readonly record struct PriorRead(long Reading, DateOnly ReadOn);

/// <summary>Everything validation needs to judge one new read; gathered by the workflow, judged here.</summary>
public readonly record struct ReadCandidate(
    MeterRegister Meter,
    long Reading,
    DateOnly ReadOn,
    DeviceFlags Flags,
    PriorRead? Previous,
    ServicePointState ServicePoint,
    decimal? AverageDailyUse,
    int ConsecutiveEstimates,
    DateOnly? ReadWindowStart,
    DateOnly? ReadWindowEnd,
    bool DuplicateOfExisting,
    DateOnly? MeterSetOn);

/// <summary>The outcome: a status and every reason for it, in words a clerk can act on.</summary>
public readonly record struct ReadVerdict(ReadStatus Status, ImmutableArray<string> Reasons, Quantity? Consumption)
{
    public string ReasonText => string.Join(" ", Reasons);
}

/// <summary>
/// Validation (the V of VEE). Rejected: the read cannot be right (a duplicate, before the meter was
/// set, or negative consumption that is no rollover). Suspect: it may be right but a person must look
/// (high or low use, zero use on an occupied service, use on an inactive or disconnected point,
/// device flags, too many estimates in a row, outside the read window). Otherwise valid.
/// </summary>
public static class ReadValidation
{
    public static ReadVerdict Judge(in ReadCandidate read, ValidationThresholds thresholds)
    {
        // Most reads are valid: the reason lists are made only when there is a reason.
        List<string>? rejected = null;
        List<string>? suspect = null;
        Quantity? consumption = null;

        if (read.DuplicateOfExisting)
        {
            (rejected ??= []).Add($"Duplicate: meter {read.Meter.Serial} already has a read on {read.ReadOn:yyyy-MM-dd}.");
        }

        if (read.MeterSetOn is { } setOn && read.ReadOn < setOn)
        {
            (rejected ??= []).Add($"Read date {read.ReadOn:yyyy-MM-dd} is before meter {read.Meter.Serial} was set on {setOn:yyyy-MM-dd}.");
        }

        if (read.Previous is { } previous && read.ReadOn > previous.ReadOn)
        {
            var result = ConsumptionCalculator.Calculate(read.Meter, previous.Reading, read.Reading);
            if (result.Usage is null)
            {
                (rejected ??= []).Add(result.Problem!);
            }
            else
            {
                consumption = result.Usage;
                var days = read.ReadOn.DayNumber - previous.ReadOn.DayNumber;
                var daily = result.Usage.Value.Value / days;
                // A register passing its top is routine when the use it implies is the service's usual
                // use (the high and low checks below see to that); with no history to compare, a person confirms it.
                if (result.RolledOver && read.AverageDailyUse is not > 0m)
                {
                    (suspect ??= []).Add($"The register rolled over past {read.Meter.Maximum.ToString("N0", CultureInfo.InvariantCulture)}; confirm the read.");
                }

                if (read.ServicePoint is ServicePointState.Inactive or ServicePointState.Disconnected && daily > 0m)
                {
                    (suspect ??= []).Add($"{Use(result.Usage.Value)} used while the service point is {(read.ServicePoint == ServicePointState.Inactive ? "inactive" : "disconnected")}.");
                }
                else if (daily == 0m && read.ServicePoint == ServicePointState.ActiveOccupied && ExpectsUse(read, days))
                {
                    (suspect ??= []).Add($"Zero use over {days} day{(days == 1 ? "" : "s")} on an active, occupied service.");
                }
                else if (read.AverageDailyUse is { } average && average > 0m)
                {
                    if (daily > average * thresholds.HighFactor)
                    {
                        (suspect ??= []).Add($"High use: {Daily(daily, read.Meter.Unit)} per day against an average of {Daily(average, read.Meter.Unit)} (more than {thresholds.HighFactor:0.##} times).");
                    }
                    else if (daily > 0m && daily < average * thresholds.LowFactor)
                    {
                        (suspect ??= []).Add($"Low use: {Daily(daily, read.Meter.Unit)} per day against an average of {Daily(average, read.Meter.Unit)} (less than {thresholds.LowFactor:0.##} of it).");
                    }
                }
            }
        }
        else if (read.Previous is { } earlier && read.ReadOn <= earlier.ReadOn && !read.DuplicateOfExisting)
        {
            (suspect ??= []).Add($"Read date {read.ReadOn:yyyy-MM-dd} is not after the last billable read of {earlier.ReadOn:yyyy-MM-dd}.");
        }

        if (read.Flags.HasFlag(DeviceFlags.Tamper))
        {
            (suspect ??= []).Add("The meter reported tampering.");
        }

        if (read.Flags.HasFlag(DeviceFlags.ReverseFlow))
        {
            (suspect ??= []).Add("The meter reported reverse flow.");
        }

        if (read.Flags.HasFlag(DeviceFlags.Leak))
        {
            (suspect ??= []).Add("The meter reported a continuous-flow leak.");
        }

        if (read.ConsecutiveEstimates >= thresholds.MaximumConsecutiveEstimates)
        {
            (suspect ??= []).Add($"{read.ConsecutiveEstimates} estimated reads in a row before this one; an actual read is overdue.");
        }

        if (read.ReadWindowStart is { } windowStart && read.ReadWindowEnd is { } windowEnd && (read.ReadOn < windowStart || read.ReadOn > windowEnd))
        {
            (suspect ??= []).Add($"Read on {read.ReadOn:yyyy-MM-dd}, outside the read window {windowStart:yyyy-MM-dd} to {windowEnd:yyyy-MM-dd}.");
        }

        if (rejected is not null)
        {
            return new ReadVerdict(ReadStatus.Rejected, [.. rejected, .. suspect ?? []], null);
        }

        return suspect is not null
            ? new ReadVerdict(ReadStatus.Suspect, [.. suspect], consumption)
            : new ReadVerdict(ReadStatus.Valid, [], consumption);
    }

    /// <summary>
    /// Whether the service's usual use over the period would have turned the register at least one
    /// step: a meter that moves a unit every few days shows no use on a daily read, and that is no
    /// reason to look. Without an average, zero use always is.
    /// </summary>
    private static bool ExpectsUse(in ReadCandidate read, int days) =>
        read.AverageDailyUse is not { } average || average * days >= read.Meter.Multiplier;

    private static string Use(Quantity quantity) => quantity.ToString();

    private static string Daily(decimal value, Unit unit) => new Quantity(decimal.Round(value, 1), unit).ToString();
}
