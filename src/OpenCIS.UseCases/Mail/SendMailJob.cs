using OpenCIS.UseCases.Jobs;

namespace OpenCIS.UseCases.Mail;

/// <summary>The mail sender as a job: started by its schedule every few minutes, or by a person ("Send now").</summary>
public sealed class SendMailJob(SendQueuedMail sendQueuedMail) : IJobHandler
{
    public const string JobKind = "MailSend";
    public const string WorkKey = "mail-send";

    public string Kind => JobKind;

    public static JobRequest Request() => new(JobKind, WorkKey, "Send the queued mail", new JobArguments(new Dictionary<string, string>()));

    public async Task<JobResult> RunAsync(JobWork work, IProgress<JobProgress> progress, CancellationToken cancellationToken)
    {
        var outcome = await sendQueuedMail.ExecuteAsync(new Progress(progress), cancellationToken);
        return new JobResult(outcome.Message, null, outcome);
    }

    private sealed class Progress(IProgress<JobProgress> job) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => job.Report(new JobProgress(value.Done, value.Total));
    }
}
