using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Jobs;

namespace OpenCIS.UseCases.Jobs;

/// <summary>Long work to start: its kind, the key that names the work, how people name it, its arguments and the file it works on, if any.</summary>
public sealed record JobRequest(string Kind, string WorkKey, string Description, JobArguments Arguments, JobFile? File = null);

/// <summary>
/// Records a job and hands it to the host's scheduler. The same work is never queued or running twice at
/// once: a unique index over the active rows' work keys refuses the second insert, from any host, and the
/// refusal names the job already going (<see cref="JobAlreadyActiveException"/>).
/// </summary>
public sealed class StartJob(OpenCisDbContext db, IJobQueue queue, TimeProvider clock)
{
    /// <summary>A start that loses the insert race reads the winner; if that one finished meanwhile, it tries once more.</summary>
    private const int AttemptsMax = 2;

    public async Task<JobView> ExecuteAsync(JobRequest request, string user, CancellationToken cancellationToken = default)
    {
        Validate(request);
        for (var attempt = 1; ; attempt++)
        {
            if (await ActiveAsync(request.WorkKey, cancellationToken) is { } active)
            {
                throw new JobAlreadyActiveException(active);
            }

            var job = new JobRecord
            {
                Kind = request.Kind,
                WorkKey = request.WorkKey,
                Description = request.Description,
                Arguments = request.Arguments.ToJson(),
                Status = JobStatus.Queued,
                RequestedBy = user,
                RequestedAt = clock.GetUtcNow(),
            };
            db.Jobs.Add(job);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException) when (attempt < AttemptsMax)
            {
                // Another start of the same work committed first; the next turn names it.
                db.ChangeTracker.Clear();
                continue;
            }

            await SaveFileAsync(job, request.File, cancellationToken);
            await EnqueueAsync(job, cancellationToken);
            return JobQueries.View(job);
        }
    }

    /// <summary>Keeps the uploaded file with its job; a job whose file could not be kept fails at once instead of holding its work key.</summary>
    private async Task SaveFileAsync(JobRecord job, JobFile? file, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            return;
        }

        try
        {
            db.JobFiles.Add(new JobFileRecord { JobId = job.Id, FileName = file.ShortName(), Content = file.Content });
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            db.ChangeTracker.Clear();
            await JobLifecycle.FailAsync(db, job.Id, $"The file could not be kept for the job: {exception.Message}", clock.GetUtcNow(), CancellationToken.None);
            throw;
        }
    }

    private async Task EnqueueAsync(JobRecord job, CancellationToken cancellationToken)
    {
        try
        {
            await queue.EnqueueAsync(new ActiveJob(job.Id, job.Kind, job.WorkKey), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A job the scheduler never took must not hold its work key: it would refuse every later start.
            await JobLifecycle.FailAsync(db, job.Id, $"The scheduler did not take the job: {exception.Message}", clock.GetUtcNow(), CancellationToken.None);
            throw;
        }
    }

    private async Task<JobView?> ActiveAsync(string workKey, CancellationToken cancellationToken) =>
        await db.Jobs.AsNoTracking().Where(j => j.WorkKey == workKey && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))
            .SingleOrDefaultAsync(cancellationToken) is { } job ? JobQueries.View(job) : null;

    private static void Validate(JobRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.WorkKey) || request.WorkKey.Length > JobRecord.WorkKeyLengthMax)
        {
            throw new DomainException($"A job's work key has 1 to {JobRecord.WorkKeyLengthMax} characters.", "workKey");
        }

        if (request.File is { Content.Length: 0 })
        {
            throw new DomainException($"{request.File.FileName} is empty.", "file");
        }

        if (request.Description.Length > JobRecord.DescriptionLengthMax)
        {
            throw new DomainException($"A job's description has at most {JobRecord.DescriptionLengthMax} characters.", "description");
        }
    }
}
