using Microsoft.EntityFrameworkCore;

namespace OpenCIS.Storage;

/// <summary>
/// The answer an API write gave to a request carrying an <c>Idempotency-Key</c>, kept by the user who sent
/// it and the key: that user's retry with the same key and request gets it again; that user's key on a
/// different request is refused; another user's key is theirs alone.
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

    /// <summary>The answer this user's request under this key was given, or null.</summary>
    public async Task<IdempotentRequest?> FindAsync(RequestKey key, CancellationToken cancellationToken)
    {
        await using var db = settings.CreateContext();
        return await db.IdempotentRequests.AsNoTracking().SingleOrDefaultAsync(r => r.UserName == key.User && r.Key == key.Key, cancellationToken);
    }

    /// <summary>Records the answer; false when a concurrent request of the same user with the same key recorded one first.</summary>
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
