using System.Collections.Immutable;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Metering;

/// <summary>One interval read of an AMI meter: when it started (the utility's local time), how long it lasted, and what it measured.</summary>
public readonly record struct IntervalRead(DateTime LocalStart, int Minutes, decimal Value);

/// <summary>
/// A meter's interval reads of one local day, kept by clock hour (a time-of-use register is a set of hours), with the
/// day's highest demand: the largest interval's use per hour (a 15-minute interval of 12 kWh is a demand of 48 kW) and
/// the minute of the day it began. On the day clocks go back the repeated hour adds into its hour; on the day they go
/// forward the skipped hour is empty.
/// </summary>
public sealed record IntervalDay(DateOnly Day, Unit Unit, ImmutableArray<decimal> Hours, decimal PeakDemand, int PeakMinute)
{
    public const int HoursInDay = 24;

    public decimal Total => Hours.Sum();

    /// <summary>The days of the reads, one per local date, in date order; a read's whole value counts in the hour it began.</summary>
    public static ImmutableArray<IntervalDay> FromReads(IEnumerable<IntervalRead> reads, Unit unit)
    {
        ArgumentNullException.ThrowIfNull(reads);
        var days = new SortedDictionary<DateOnly, (decimal[] Hours, decimal Peak, int PeakMinute)>();
        foreach (var read in reads)
        {
            if (read.Minutes <= 0)
            {
                throw new DomainException($"The interval starting {read.LocalStart:yyyy-MM-dd HH:mm} lasts {read.Minutes} minutes.", "intervals");
            }

            var day = DateOnly.FromDateTime(read.LocalStart);
            if (!days.TryGetValue(day, out var entry))
            {
                entry = (new decimal[HoursInDay], 0m, 0);
            }

            entry.Hours[read.LocalStart.Hour] += read.Value;
            var demand = read.Value * 60m / read.Minutes;
            if (demand > entry.Peak)
            {
                entry = (entry.Hours, demand, (read.LocalStart.Hour * 60) + read.LocalStart.Minute);
            }

            days[day] = entry;
        }

        return [.. days.Select(d => new IntervalDay(d.Key, unit, [.. d.Value.Hours], d.Value.Peak, d.Value.PeakMinute))];
    }
}
