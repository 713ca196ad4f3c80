using System.Collections.Concurrent;
using System.Diagnostics;
using OpenCIS.Storage.Users;

namespace OpenCIS.UseCases.Users;

/// <summary>
/// The keys the API has seen lately, by prefix, so that a request does not read its key again: each is kept
/// for <see cref="Lifetime"/>. The secret is still checked against the kept hash on every request, and
/// whether the key has expired is worked out from the clock each time. A key revoked or rotated through this
/// host is forgotten at once; another host sees the change within <see cref="Lifetime"/>. A prefix no key has
/// is not kept, so a key made a moment ago works on its first request.
/// </summary>
public sealed class ApiKeyDirectory
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (ApiKeyRow Key, long KeptAt)> keys = new(StringComparer.Ordinal);

    public bool TryGet(string prefix, out ApiKeyRow key)
    {
        if (keys.TryGetValue(prefix, out var kept) && Stopwatch.GetElapsedTime(kept.KeptAt) < Lifetime)
        {
            key = kept.Key;
            return true;
        }

        key = null!;
        return false;
    }

    public void Keep(ApiKeyRow key) => keys[key.Prefix] = (key, Stopwatch.GetTimestamp());

    public void Forget(string prefix) => keys.TryRemove(prefix, out _);
}
