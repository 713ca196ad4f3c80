using Microsoft.EntityFrameworkCore;

namespace OpenCIS.Storage;

/// <summary>
/// The answer an API write gave to a request carrying an <c>Idempotency-Key</c>: a retry with the same
/// key and the same request gets it again; the same key on a different request is refused.
/// </summary>
public sealed class IdempotentRequest
{
    public string Key { get; init; } = "";
    public string Fingerprint { get; init; } = "";
    public string Method { get; init; } = "";
    public string Path { get; init; } = "";
    public string UserName { get; init; } = "";
    public int StatusCode { get; init; }
    public string ResponseBody { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Looks up and records <see cref="IdempotentRequest"/>s, each record on a context of its own so it never rides along with a workflow's unit of work.</summary>
public sealed class IdempotentRequests(DatabaseSettings settings)
{
    public const int KeyLengthMax = 100;

    public async Task<IdempotentRequest?> FindAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = settings.CreateContext();
        return await db.IdempotentRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Key == key, cancellationToken);
    }

    /// <summary>Records the answer; false when a concurrent request with the same key recorded one first.</summary>
    public async Task<bool> RecordAsync(IdempotentRequest request, CancellationToken cancellationToken)
    {
        await using var db = settings.CreateContext();
        db.IdempotentRequests.Add(request);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
    }
}
