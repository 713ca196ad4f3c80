using System.Globalization;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.UseCases.Invoices;

/// <summary>
/// The patient statements of a date as a job, started from the statements screen or the API (the daily collections
/// run writes them too, after its notices): <see cref="InvoiceStatements.ProduceAsync"/>.
/// </summary>
public sealed class InvoiceStatementsJob(InvoiceStatements statements) : IJobHandler
{
    public const string JobKind = "InvoiceStatements";
    public const string DateArgument = "date";

    public string Kind => JobKind;

    public static JobRequest Request(DateOnly date) => new(
        JobKind,
        $"invoice-statements:{date:yyyy-MM-dd}",
        $"Invoice statements for {date:yyyy-MM-dd}",
        new JobArguments(new Dictionary<string, string> { [DateArgument] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }));

    public async Task<JobResult> RunAsync(JobWork work, IProgress<JobProgress> progress, CancellationToken cancellationToken)
    {
        var outcome = await statements.ProduceAsync(work.Arguments.Date(DateArgument), work.RequestedBy, cancellationToken);
        progress.Report(new JobProgress(1, 1));
        return new JobResult(outcome.Message, null, outcome);
    }
}
