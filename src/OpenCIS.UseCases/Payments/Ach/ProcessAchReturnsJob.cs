using OpenCIS.UseCases.Jobs;

namespace OpenCIS.UseCases.Payments.Ach;

/// <summary>An ACH return file's outcome as the job keeps it and the API shows it (amounts as plain decimals).</summary>
public sealed record AchReturnsResult(bool Posted, bool AlreadyPosted, int ReturnCount, string Total, string Fees, IReadOnlyList<FileError> Errors, IReadOnlyList<string> CashOnlyAccounts, string Message);

/// <summary>The bank's ACH return file posted as a job (from the ACH screen or the API): <see cref="ProcessAchReturns"/> on the file kept with the job.</summary>
public sealed class ProcessAchReturnsJob(ProcessAchReturns processAchReturns, JobFiles files) : IJobHandler
{
    public const string JobKind = "AchReturns";

    public string Kind => JobKind;

    public static JobRequest Request(JobFile file) =>
        new(JobKind, $"ach-returns:{file.Sha256()}", $"ACH return file {file.ShortName()}", new JobArguments(new Dictionary<string, string>()), file);

    public async Task<JobResult> RunAsync(JobWork work, IProgress<JobProgress> progress, CancellationToken cancellationToken)
    {
        var file = await files.ReadAsync(work.JobId, cancellationToken);
        progress.Report(new JobProgress(0, 1));
        var o = await processAchReturns.ExecuteAsync(file.FileName, file.Content, work.RequestedBy, cancellationToken);
        progress.Report(new JobProgress(1, 1));
        Telemetry.OpenCisMetrics.FileImported("ach_returns", o.Posted, o.AlreadyPosted, o.ReturnCount);
        return new JobResult(o.Message, null, new AchReturnsResult(
            o.Posted, o.AlreadyPosted, o.ReturnCount, o.Total.ToPlainString(), o.Fees.ToPlainString(), o.Errors, o.CashOnlyAccounts, o.Message));
    }
}
