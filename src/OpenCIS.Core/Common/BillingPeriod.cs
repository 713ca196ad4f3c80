namespace OpenCIS.Core.Common;

/// <summary>
/// A service period. Both ends are inclusive: a period from the day after the previous read
/// to the day of the present read. Days are counted one way everywhere: <see cref="Days"/>.
/// </summary>
public readonly record struct BillingPeriod
{
    public BillingPeriod(DateOnly start, DateOnly end)
    {
        if (end < start)
        {
            throw new ArgumentException($"A billing period cannot end ({end:yyyy-MM-dd}) before it starts ({start:yyyy-MM-dd}).", nameof(end));
        }

        Start = start;
        End = end;
    }

    public DateOnly Start { get; }
    public DateOnly End { get; }

    /// <summary>Number of service days, counting both the first and the last day.</summary>
    public int Days => End.DayNumber - Start.DayNumber + 1;

    public bool Contains(DateOnly date) => date >= Start && date <= End;

    public override string ToString() => $"{Start:yyyy-MM-dd} to {End:yyyy-MM-dd} ({Days} days)";
}
