using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenCIS.Storage;
using OpenCIS.Storage.Users;

namespace OpenCIS.UseCases.Users;

/// <summary>
/// The use log of the API keys, written off the request path. A request made with a key hands its
/// line over (<see cref="Record"/>) and answers at once; a writer in the host (<see cref="RunAsync"/>)
/// saves what came in, every quarter of a second or every few hundred lines, in one insert and one
/// commit. A request used to wait for a commit of its own, which on PostgreSQL is a flush of the
/// write-ahead log to disk: at a few hundred requests a second that was most of the database's
/// work for the API. Whoever reads the log flushes it first (<see cref="FlushAsync"/>), so a key's
/// page shows every use up to the moment it is opened. A host killed outright loses at most the
/// lines of its last quarter second; a host stopping saves them.
/// </summary>
public sealed class ApiKeyUseLog(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ApiKeyUseLog> logger)
{
    /// <summary>The longest a line waits before it is saved.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>Lines saved in one insert at most.</summary>
    public const int BatchSize = 500;

    /// <summary>Lines kept for a database that refuses them, beyond which the oldest are let go (and counted in the log).</summary>
    public const int Backlog = 100_000;

    private readonly Channel<ApiKeyUseRow> incoming = Channel.CreateUnbounded<ApiKeyUseRow>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly List<ApiKeyUseRow> unsaved = [];

    /// <summary>One request made with a key, or refused for one, with its answer's status: queued to be saved.</summary>
    public void Record(long keyId, string method, string path, int status, string? remoteAddress) =>
        incoming.Writer.TryWrite(Line(keyId, method, path, status, remoteAddress, clock.GetUtcNow()));

    /// <summary>Saves every line queued so far.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await writing.WaitAsync(cancellationToken);
        try
        {
            while (incoming.Reader.TryRead(out var line))
            {
                unsaved.Add(line);
            }

            await SaveAsync();
        }
        finally
        {
            writing.Release();
        }
    }

    /// <summary>The writer: saves what comes in until <paramref name="stopping"/>, then what is left.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (await incoming.Reader.WaitToReadAsync(stopping))
            {
                // Gather for a moment: one insert for many requests.
                await Task.Delay(Interval, stopping);
                await FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }

        await FlushAsync(CancellationToken.None);
    }

    /// <summary>
    /// Saves the unsaved lines in batches; a batch the database refuses stays for the next try. A save is never cancelled
    /// part-way (a reader's request ended, the host stopping): one cut off might have committed, and would be saved twice.
    /// </summary>
    private async Task SaveAsync()
    {
        while (unsaved.Count > 0)
        {
            var batch = unsaved.Take(BatchSize).ToList();
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
                db.ApiKeyUses.AddRange(batch);
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "Could not save {Count} lines of the API key use log; they are kept for the next try.", batch.Count);
                if (unsaved.Count > Backlog)
                {
                    logger.LogError("The API key use log let go of its {Count} oldest unsaved lines.", unsaved.Count - Backlog);
                    unsaved.RemoveRange(0, unsaved.Count - Backlog);
                }

                return;
            }

            unsaved.RemoveRange(0, batch.Count);
        }
    }

    internal static ApiKeyUseRow Line(long keyId, string method, string path, int status, string? remoteAddress, DateTimeOffset at) => new()
    {
        ApiKeyId = keyId,
        At = at,
        Method = method.Length > 10 ? method[..10] : method,
        Path = path.Length > 300 ? path[..300] : path,
        Status = status,
        RemoteAddress = remoteAddress is { Length: > 45 } ? remoteAddress[..45] : remoteAddress,
    };
}
