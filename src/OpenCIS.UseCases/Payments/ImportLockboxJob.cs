using OpenCIS.UseCases.Jobs;

namespace OpenCIS.UseCases.Payments;

/// <summary>A lockbox file's outcome as the job keeps it and the API shows it (amounts as plain decimals).</summary>
public sealed record LockboxResult(bool Posted, bool AlreadyPosted, bool Resumed, int PaymentCount, string PostedTotal, int SuspenseCount, string SuspenseTotal, IReadOnlyList<FileError> Errors, string Message);

/// <summary>
/// A bank lockbox file imported as a job (from the payment files screen or the API): <see cref="ImportLockbox"/>
/// on the file kept with the job. The import posts in chunks and resumes after an interruption, so a job
/// run again after a host restart posts every payment exactly once.
/// </summary>
public sealed class ImportLockboxJob(ImportLockbox importLockbox, JobFiles files) : IJobHandler
{
    public const string JobKind = "Lockbox";
    public const string FormatArgument = "format";

    public string Kind => JobKind;

    public static JobRequest Request(JobFile file, LockboxFormat format) => new(
        JobKind,
        $"lockbox:{file.Sha256()}",
        $"Lockbox file {file.ShortName()}",
        new JobArguments(new Dictionary<string, string> { [FormatArgument] = format.ToString() }),
        file);

    public async Task<JobResult> RunAsync(JobWork work, IProgress<JobProgress> progress, CancellationToken cancellationToken)
    {
        var file = await files.ReadAsync(work.JobId, cancellationToken);
        progress.Report(new JobProgress(0, 1));
        var o = await importLockbox.ExecuteAsync(Enum.Parse<LockboxFormat>(work.Arguments[FormatArgument]), file.FileName, file.Content, work.RequestedBy, cancellationToken);
        progress.Report(new JobProgress(1, 1));
        Telemetry.OpenCisMetrics.FileImported("lockbox", o.Posted, o.AlreadyPosted, o.PaymentCount + o.SuspenseCount);
        return new JobResult(o.Message, null, new LockboxResult(
            o.Posted, o.AlreadyPosted, o.Resumed, o.PaymentCount, o.PostedTotal.ToPlainString(), o.SuspenseCount, o.SuspenseTotal.ToPlainString(), o.Errors, o.Message));
    }
}
