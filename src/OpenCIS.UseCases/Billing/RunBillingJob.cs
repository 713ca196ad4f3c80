using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.UseCases.Billing;

/// <summary>
/// How billing runs started as jobs are cut and paced: <c>OPENCIS_BILLING_CHUNK_SIZE</c> (accounts per
/// committed chunk), <c>OPENCIS_BILLING_WORKERS</c> (lanes) and <c>OPENCIS_BILLING_PAUSE_MS</c> (a rest
/// after each chunk, leaving the database room for the counters during business hours).
/// </summary>
public sealed record BillingJobSettings(int ChunkSize, int Workers, TimeSpan PauseBetweenChunks)
{
    public const int ChunkSizeMax = 100_000;
    public const int WorkersMax = 16;
    public const int PauseMillisecondsMax = 60_000;

    public static BillingJobSettings FromConfiguration(IConfiguration configuration) => new(
        Number(configuration, "OPENCIS_BILLING_CHUNK_SIZE", RunBilling.DefaultChunkSize, 1, ChunkSizeMax),
        Number(configuration, "OPENCIS_BILLING_WORKERS", RunBilling.DefaultWorkers, 1, WorkersMax),
        TimeSpan.FromMilliseconds(Number(configuration, "OPENCIS_BILLING_PAUSE_MS", 0, 0, PauseMillisecondsMax)));

    private static int Number(IConfiguration configuration, string key, int fallback, int minimum, int maximum) =>
        configuration[key] is not { Length: > 0 } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum ? value
        : throw new InvalidOperationException($"{key} '{text}' is not a whole number from {minimum} to {maximum}.");
}

/// <summary>The job behind a billing run started from a screen, the API or the schedule: <see cref="RunBilling"/> with the job's cycle and date.</summary>
public sealed class RunBillingJob(RunBilling runBilling, BillingJobSettings settings) : IJobHandler
{
    public const string JobKind = "BillingRun";
    public const string CycleArgument = "cycle";
    public const string BusinessDateArgument = "businessDate";

    public string Kind => JobKind;

    public async Task<JobResult> RunAsync(JobWork work, IProgress<JobProgress> progress, CancellationToken cancellationToken)
    {
        runBilling.ChunkSize = settings.ChunkSize;
        runBilling.Workers = settings.Workers;
        runBilling.PauseBetweenChunks = settings.PauseBetweenChunks;
        var outcome = await runBilling.ExecuteAsync(
            work.Arguments[CycleArgument],
            work.Arguments.Date(BusinessDateArgument),
            work.RequestedBy,
            new Progress(progress),
            cancellationToken);
        return new JobResult(outcome.Message, outcome.RunId);
    }

    /// <summary>Billing counts accounts; a job counts units of work.</summary>
    private sealed class Progress(IProgress<JobProgress> job) : IProgress<BillingProgress>
    {
        public void Report(BillingProgress value) => job.Report(new JobProgress(value.Done, value.Total));
    }
}
