using System.Diagnostics.Metrics;

namespace OpenCIS.UseCases.Telemetry;

/// <summary>
/// OpenCIS's own metrics (meter <c>OpenCIS</c>), exported by the web host through OpenTelemetry with ASP.NET Core's
/// request metrics: jobs by kind and how they ended with their duration, and file imports by format and outcome with
/// the records they carried. Names follow OpenTelemetry's conventions (dotted, units in the instrument).
/// </summary>
public static class OpenCisMetrics
{
    public const string MeterName = "OpenCIS";

    private static readonly Meter Meter = new(MeterName, "1.0");
    private static readonly Counter<long> JobsFinished = Meter.CreateCounter<long>("opencis.jobs.finished", "{job}", "Jobs that ended, by kind and outcome (completed, failed, refused).");
    private static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>("opencis.jobs.duration", "s", "How long a job ran, by kind.");
    private static readonly Counter<long> FilesImported = Meter.CreateCounter<long>("opencis.imports.files", "{file}", "Files imported, by kind and outcome (posted, refused, already_posted).");
    private static readonly Counter<long> RecordsImported = Meter.CreateCounter<long>("opencis.imports.records", "{record}", "Records posted from imported files, by kind.");

    public static void JobFinished(string kind, string outcome, TimeSpan duration)
    {
        JobsFinished.Add(1, new("kind", kind), new("outcome", outcome));
        JobDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));
    }

    public static void FileImported(string kind, bool posted, bool alreadyPosted, int records)
    {
        var outcome = alreadyPosted ? "already_posted" : posted ? "posted" : "refused";
        FilesImported.Add(1, new("kind", kind), new("outcome", outcome));
        if (posted && !alreadyPosted)
        {
            RecordsImported.Add(records, new KeyValuePair<string, object?>("kind", kind));
        }
    }
}
