using System.Globalization;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.UseCases.Payments.Ach;

/// <summary>A generated ACH file as the job keeps it and the API shows it; its NACHA text is at <c>/api/ach/files/{FileId}</c>.</summary>
public sealed record AchFileResult(bool Generated, bool AlreadyGenerated, long? FileId, string FileName, int EntryCount, int PrenoteCount, string Total, string Message);

/// <summary>
/// The job behind the ACH file, started from the ACH screen, the API or the schedule each banking day:
/// <see cref="GenerateAchFile"/> for the job's settlement date. A date that has its file gets that file back.
/// </summary>
public sealed class GenerateAchFileJob(GenerateAchFile generateAchFile) : IJobHandler
{
    public const string JobKind = "AchFile";
    public const string SettlementDateArgument = "settlementDate";

    public string Kind => JobKind;

    public static string WorkKey(DateOnly settlementDate) => $"ach-file:{settlementDate:yyyy-MM-dd}";

    public static JobRequest Request(DateOnly settlementDate) => new(
        JobKind,
        WorkKey(settlementDate),
        $"ACH file for settlement on {settlementDate:yyyy-MM-dd}",
        new JobArguments(new Dictionary<string, string> { [SettlementDateArgument] = settlementDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }));

    public async Task<JobResult> RunAsync(JobWork work, IProgress<JobProgress> progress, CancellationToken cancellationToken)
    {
        progress.Report(new JobProgress(0, 1));
        var o = await generateAchFile.ExecuteAsync(work.Arguments.Date(SettlementDateArgument), work.RequestedBy, cancellationToken);
        progress.Report(new JobProgress(1, 1));
        return new JobResult(o.Message, o.FileId, new AchFileResult(o.Generated, o.AlreadyGenerated, o.FileId, o.FileName, o.EntryCount, o.PrenoteCount, o.Total.ToPlainString(), o.Message));
    }
}
