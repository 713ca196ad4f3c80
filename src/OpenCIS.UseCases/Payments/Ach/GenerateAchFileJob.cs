using OpenCIS.UseCases.Jobs;

namespace OpenCIS.UseCases.Payments.Ach;

/// <summary>The job behind the ACH file the schedule starts each banking day: <see cref="GenerateAchFile"/> for the job's settlement date.</summary>
public sealed class GenerateAchFileJob(GenerateAchFile generateAchFile) : IJobHandler
{
    public const string JobKind = "AchFile";
    public const string SettlementDateArgument = "settlementDate";

    public string Kind => JobKind;

    public async Task<JobResult> RunAsync(JobWork work, IProgress<JobProgress> progress, CancellationToken cancellationToken)
    {
        progress.Report(new JobProgress(0, 1));
        var outcome = await generateAchFile.ExecuteAsync(work.Arguments.Date(SettlementDateArgument), work.RequestedBy, cancellationToken);
        progress.Report(new JobProgress(1, 1));
        return new JobResult(outcome.Message, outcome.FileId);
    }
}
