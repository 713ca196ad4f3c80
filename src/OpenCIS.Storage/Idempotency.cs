using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenCIS.Core.Common;

namespace OpenCIS.Storage;

/// <summary>
/// The workflows that keep a key on their own rows (receivables, deposits, returned payments) remember each money-moving request's key with a fingerprint of what it
/// asked for: the same key again with the same request returns the first result; with a different
/// request it is refused, naming the header.
/// </summary>
internal static class Idempotency
{
    public const int MaxKeyLength = IdempotentRequests.KeyLengthMax;

    public static string Fingerprint(params object?[] parts) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", parts.Select(p => p?.ToString()?.Trim() ?? "")))));

    public static string? CheckKey(string? key)
    {
        if (key is null)
        {
            return null;
        }

        var trimmed = key.Trim();
        return trimmed.Length switch
        {
            0 => null,
            > MaxKeyLength => throw new DomainException($"The idempotency key can be at most {MaxKeyLength} characters.", "Idempotency-Key"),
            _ => trimmed,
        };
    }

    public static void Match(string key, string? earlierFingerprint, string fingerprint, string what)
    {
        if (earlierFingerprint != fingerprint)
        {
            throw new DomainException($"Idempotency key '{key}' was already used for a different {what}.", "Idempotency-Key");
        }
    }

    /// <summary>
    /// Saves the unit of work that carries a request's key. When a concurrent request with the same key
    /// saved first (the key's unique index refuses this one), rolls back and returns what that request
    /// did; otherwise null.
    /// </summary>
    public static async Task<T?> SaveOrFindEarlierAsync<T>(
        OpenCisDbContext db, IDbContextTransaction transaction, string? key, Func<Task<T?>> earlier, string what, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException) when (key is not null)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return await earlier() ?? throw new InvalidOperationException($"The {what} key '{key}' collided, but no {what} has it.");
        }
    }
}
