using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace OpenCIS.Cli.Benchmarks;

/// <summary>One timed request of a latency benchmark: its kind, how long it took and whether it found what it looked for.</summary>
internal readonly record struct Timing(string Kind, double Ms, bool Found);

/// <summary>How the latency benchmarks (search, debt check) report: a table of each kind's median, p99 and slowest, and the figures of all.</summary>
internal static class Latencies
{
    public static Table ByKind(IEnumerable<Timing> timings, string kindHeading, string foundHeading)
    {
        var table = new Table().AddColumns(kindHeading, "Count", "Median ms", "p99 ms", "Max ms", foundHeading);
        foreach (var kind in timings.GroupBy(t => t.Kind))
        {
            var ms = kind.Select(t => t.Ms).Order().ToList();
            table.AddRow(kind.Key, ms.Count.ToString(CultureInfo.InvariantCulture), Format(Percentile(ms, 0.5)), Format(Percentile(ms, 0.99)), Format(ms[^1]),
                $"{kind.Count(t => t.Found)} of {ms.Count}");
        }

        return table;
    }

    /// <summary>The nearest-rank percentile of sorted figures.</summary>
    public static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Format(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture);
}

/// <summary>A load at a steady rate: the latency benchmarks' callers, each request timed from when it was due (no coordinated omission).</summary>
internal static class SteadyLoad
{
    /// <summary>
    /// Sends <paramref name="timings"/>.Length requests, the i-th due i / <paramref name="rate"/> seconds after the start, from
    /// <paramref name="workers"/> callers; <paramref name="send"/> sends the i-th and says its kind and whether it was answered
    /// as expected. Returns how long it all took.
    /// </summary>
    public static async Task<TimeSpan> RunAsync(Timing[] timings, int rate, int workers, Func<int, Task<(string Kind, bool Found)>> send, CancellationToken cancellationToken)
    {
        var next = -1;
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < timings.Length)
            {
                var due = TimeSpan.FromSeconds((double)index / rate);
                if (due > started.Elapsed)
                {
                    await Task.Delay(due - started.Elapsed, cancellationToken);
                }

                var (kind, found) = await send(index);
                timings[index] = new Timing(kind, (started.Elapsed - due).TotalMilliseconds, found);
            }
        }, cancellationToken)));
        return started.Elapsed;
    }
}
