using OpenCIS.UseCases.Jobs;

namespace OpenCIS.UseCases.Metering.Import;

/// <summary>
/// A read file imported as a job (from the import screen or the API): <see cref="ImportReads"/> on the
/// file kept with the job. Its progress counts the reads written out of the file's lines; its outcome
/// (<see cref="ReadImportOutcome"/>, with every error naming line and field) is kept with the job.
/// The work is the file: the same file is never imported twice at once, and once imported it is recognised.
/// </summary>
public sealed class ImportReadsJob(ImportReads importReads, JobFiles files) : IJobHandler
{
    public const string JobKind = "ReadImport";
    public const string FormatArgument = "format";

    public string Kind => JobKind;

    public static JobRequest Request(JobFile file, ReadFileFormat format) => new(
        JobKind,
        $"read-import:{file.Sha256()}",
        $"Read import of {file.ShortName()}",
        new JobArguments(new Dictionary<string, string> { [FormatArgument] = format.ToString() }),
        file);

    public async Task<JobResult> RunAsync(JobWork work, IProgress<JobProgress> progress, CancellationToken cancellationToken)
    {
        var file = await files.ReadAsync(work.JobId, cancellationToken);
        var format = Enum.Parse<ReadFileFormat>(work.Arguments[FormatArgument]);
        var lines = format == ReadFileFormat.Csv ? Math.Max(0, file.Content.AsSpan().Count((byte)'\n') - 1) : 0;
        var written = 0;
        progress.Report(new JobProgress(0, lines));
        var outcome = await importReads.ExecuteAsync(
            file.FileName,
            new MemoryStream(file.Content, writable: false),
            format,
            null,
            work.RequestedBy,
            new ReadProgress(phase =>
            {
                if (phase.Phase == "written")
                {
                    var done = Interlocked.Add(ref written, phase.Reads);
                    progress.Report(new JobProgress(done, Math.Max(lines, done)));
                }
            }),
            cancellationToken);
        Telemetry.OpenCisMetrics.FileImported("reads", outcome.Posted, outcome.AlreadyPosted, outcome.Total);
        return new JobResult(outcome.Message, null, outcome);
    }

    private sealed class ReadProgress(Action<(string Phase, int Reads)> report) : IProgress<(string Phase, int Reads)>
    {
        public void Report((string Phase, int Reads) value) => report(value);
    }
}
