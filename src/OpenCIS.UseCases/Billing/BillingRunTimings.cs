using System.Collections.Concurrent;
using System.Diagnostics;

namespace OpenCIS.UseCases.Billing;

/// <summary>
/// Where a billing run's lanes spent their time, phase by phase, summed over the lanes (so the sum
/// can exceed the run's wall time when lanes overlap). The billing benchmark prints it; a run
/// without one measures nothing. Each phase also counts the bytes allocated meanwhile, process-wide:
/// exact with one lane, an upper bound when lanes overlap.
/// </summary>
public sealed class BillingRunTimings
{
    private readonly ConcurrentDictionary<string, (long Ticks, long Bytes)> sums = new();
    private readonly ConcurrentQueue<string> order = new();

    /// <summary>Times what follows until the returned scope is disposed, under <paramref name="phase"/>.</summary>
    public Scope Measure(string phase) => new(this, phase, Stopwatch.GetTimestamp(), GC.GetTotalAllocatedBytes());

    /// <summary>Each phase with its summed time and bytes allocated, in the order the phases were first seen.</summary>
    public IReadOnlyList<(string Phase, TimeSpan Time, long AllocatedBytes)> Phases =>
        [.. order.Select(p => (p, Stopwatch.GetElapsedTime(0, sums[p].Ticks), sums[p].Bytes))];

    private void Add(string phase, long elapsed, long allocated)
    {
        if (sums.TryAdd(phase, (elapsed, allocated)))
        {
            order.Enqueue(phase);
            return;
        }

        sums.AddOrUpdate(phase, (elapsed, allocated), (_, sum) => (sum.Ticks + elapsed, sum.Bytes + allocated));
    }

    /// <summary>Times a phase under <paramref name="timings"/>, or nothing when there are none.</summary>
    public static Scope Time(BillingRunTimings? timings, string phase) => timings?.Measure(phase) ?? default;

    public readonly struct Scope(BillingRunTimings? timings, string phase, long started, long allocated) : IDisposable
    {
        public void Dispose() => timings?.Add(phase, Stopwatch.GetTimestamp() - started, GC.GetTotalAllocatedBytes() - allocated);
    }
}
