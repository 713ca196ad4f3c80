using System.Collections.Concurrent;
using System.Diagnostics;

namespace OpenCIS.UseCases.Billing;

/// <summary>
/// Where a billing run's lanes spent their time, phase by phase, summed over the lanes (so the sum
/// can exceed the run's wall time when lanes overlap). The billing benchmark prints it; a run
/// without one measures nothing.
/// </summary>
public sealed class BillingRunTimings
{
    private readonly ConcurrentDictionary<string, long> ticks = new();
    private readonly ConcurrentQueue<string> order = new();

    /// <summary>Times what follows until the returned scope is disposed, under <paramref name="phase"/>.</summary>
    public Scope Measure(string phase) => new(this, phase, Stopwatch.GetTimestamp());

    /// <summary>Each phase and its summed time, in the order the phases were first seen.</summary>
    public IReadOnlyList<(string Phase, TimeSpan Time)> Phases =>
        [.. order.Select(p => (p, Stopwatch.GetElapsedTime(0, ticks[p])))];

    private void Add(string phase, long elapsed)
    {
        if (ticks.TryAdd(phase, elapsed))
        {
            order.Enqueue(phase);
            return;
        }

        ticks.AddOrUpdate(phase, elapsed, (_, sum) => sum + elapsed);
    }

    /// <summary>Times a phase under <paramref name="timings"/>, or nothing when there are none.</summary>
    public static Scope Time(BillingRunTimings? timings, string phase) => timings?.Measure(phase) ?? default;

    public readonly struct Scope(BillingRunTimings? timings, string phase, long started) : IDisposable
    {
        public void Dispose() => timings?.Add(phase, Stopwatch.GetTimestamp() - started);
    }
}
