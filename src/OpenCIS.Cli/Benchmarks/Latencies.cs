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
