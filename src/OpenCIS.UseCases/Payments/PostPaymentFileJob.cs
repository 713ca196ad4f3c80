using OpenCIS.UseCases.Jobs;

namespace OpenCIS.UseCases.Payments;

/// <summary>A CSV payment file's outcome as the job keeps it and the API shows it (amounts as plain decimals).</summary>
public sealed record PaymentFileResult(bool Posted, bool AlreadyPosted, int PaymentCount, string Total, IReadOnlyList<FileError> Errors, string Message);

/// <summary>A CSV payment file posted as a job (from the payment files screen or the API): <see cref="PostPaymentFile"/> on the file kept with the job.</summary>
public sealed class PostPaymentFileJob(PostPaymentFile postPaymentFile, JobFiles files) : IJobHandler
{
    public const string JobKind = "PaymentFile";

    public string Kind => JobKind;

    public static JobRequest Request(JobFile file) =>
        new(JobKind, $"payment-file:{file.Sha256()}", $"Payment file {file.ShortName()}", new JobArguments(new Dictionary<string, string>()), file);

    public async Task<JobResult> RunAsync(JobWork work, IProgress<JobProgress> progress, CancellationToken cancellationToken)
    {
        var file = await files.ReadAsync(work.JobId, cancellationToken);
        progress.Report(new JobProgress(0, 1));
        var o = await postPaymentFile.ExecuteAsync(file.FileName, file.Content, work.RequestedBy, cancellationToken);
        progress.Report(new JobProgress(1, 1));
        Telemetry.OpenCisMetrics.FileImported("payment_file", o.Posted, o.AlreadyPosted, o.PaymentCount);
        return new JobResult(o.Message, null, new PaymentFileResult(o.Posted, o.AlreadyPosted, o.PaymentCount, o.Total.ToPlainString(), o.Errors, o.Message));
    }
}
