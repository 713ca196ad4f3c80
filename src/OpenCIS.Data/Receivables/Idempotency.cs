using System.Security.Cryptography;
using System.Text;
using OpenCIS.Core.Common;

namespace OpenCIS.Data.Receivables;

/// <summary>
/// The receivables workflows remember each money-moving request's key with a fingerprint of what it
/// asked for: the same key again with the same request returns the first result; with a different
/// request it is refused, naming the header.
/// </summary>
internal static class Idempotency
{
    public const int MaxKeyLength = 100;

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
}
