using System.Globalization;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.UseCases.Collections;

/// <summary>What a finished run job reports (the job's <c>result</c>).</summary>
public sealed record CollectionRunResult(long RunId, DateOnly BusinessDate, bool AlreadyCompleted, int AccountsSelected, int LateCharges, string LateChargeTotal, int Notices, int Listed, int Protected, string Message);

/// <summary>The job behind the daily collections run started from a screen, the API or the nightly schedule: <see cref="RunCollections"/> for the job's date.</summary>
public sealed class RunCollectionsJob(RunCollections run, ProduceNotices notices, Invoices.InvoiceStatements statements, Pursuit.PursueFinalBills pursuit, Liens.RunLiens liens, Portal.DueDateReminders reminders) : IJobHandler
{
    public const string JobKind = "CollectionsRun";
    public const string BusinessDateArgument = "businessDate";

    public string Kind => JobKind;

    /// <summary>The work key of a date's run: one run of a date at a time.</summary>
    public static string WorkKey(DateOnly businessDate) => $"collections:{businessDate:yyyy-MM-dd}";

    public static JobRequest Request(DateOnly businessDate) => new(
        JobKind,
        WorkKey(businessDate),
        $"Collections run for {businessDate:yyyy-MM-dd}",
        new JobArguments(new Dictionary<string, string> { [BusinessDateArgument] = businessDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }));

    public async Task<JobResult> RunAsync(JobWork work, IProgress<JobProgress> progress, CancellationToken cancellationToken)
    {
        var outcome = await run.ExecuteAsync(work.Arguments.Date(BusinessDateArgument), work.RequestedBy, new Progress(progress), cancellationToken);

        // The notices are written after the run, outside it, once the run has completed (a worker that leaves chunks to others writes none).
        var written = await notices.AfterRunAsync(outcome.BusinessDate, work.RequestedBy, cancellationToken);
        var message = written is null ? outcome.Message : $"{outcome.Message} {written.Message}";

        // The invoices' patient statements go out on the same business days, once the run has completed.
        if (written is not null)
        {
            message = $"{message} {(await statements.ProduceAsync(outcome.BusinessDate, work.RequestedBy, cancellationToken)).Message}";

            // Owner-responsible balances old and large enough move through the lien stages (before the pursuit, which leaves a liened balance alone).
            message = $"{message} {(await liens.ExecuteAsync(outcome.BusinessDate, work.RequestedBy, cancellationToken)).Message}";

            // The final-bill pursuit takes the final accounts the run left at their final notice.
            message = $"{message} {(await pursuit.ExecuteAsync(outcome.BusinessDate, work.RequestedBy, cancellationToken)).Message}";

            // Portal customers who want them are reminded of bills about to fall due.
            message = $"{message} Queued {await reminders.QueueAsync(outcome.BusinessDate, cancellationToken):N0} due-date reminders.";
        }

        return new JobResult(message, outcome.RunId, new CollectionRunResult(outcome.RunId, outcome.BusinessDate, outcome.AlreadyCompleted, outcome.AccountsSelected,
            outcome.LateCharges, outcome.LateChargeTotal.ToPlainString(), outcome.Notices, outcome.Listed, outcome.Protected, message));
    }

    private sealed class Progress(IProgress<JobProgress> job) : IProgress<CollectionProgress>
    {
        public void Report(CollectionProgress value) => job.Report(new JobProgress(value.Done, value.Total));
    }
}
