using System.Security.Cryptography;
using System.Text;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Users;

/// <summary>
/// An API key as another system presents it: <c>ocis_{prefix}_{secret}</c>. The prefix (10 lowercase hex digits) is
/// public: it finds the key and names it in lists and logs. The secret (43 base64url characters, 256 random bits) is
/// shown once; only its SHA-256 is kept, which is enough for a random secret of that length (no password stretching is
/// needed: nothing about it can be guessed).
/// </summary>
public sealed record ApiKeyToken(string Prefix, string Secret)
{
    public const string Scheme = "ocis";
    public const int PrefixLength = 10;
    public const int SecretLength = 43;
    public const int NameLengthMax = 60;
    public const int DescriptionLengthMax = 200;
    public const int ReasonLengthMax = 200;

    /// <summary>The longest grace period a rotation gives the old key: a week to change the other system's settings.</summary>
    public const int RotationGraceHoursMax = 168;

    public override string ToString() => $"{Scheme}_{Prefix}_{Secret}";

    /// <summary>Makes a key from random bytes (10 hex digits of prefix from 5 bytes, the secret from 32).</summary>
    public static ApiKeyToken From(ReadOnlySpan<byte> prefixBytes, ReadOnlySpan<byte> secretBytes)
    {
        if (prefixBytes.Length != PrefixLength / 2 || secretBytes.Length != 32)
        {
            throw new ArgumentException("A key is made from 5 bytes of prefix and 32 of secret.");
        }

        return new ApiKeyToken(Convert.ToHexStringLower(prefixBytes), Convert.ToBase64String(secretBytes).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
    }

    /// <summary>Reads a presented key; null when it is not one of ours in shape.</summary>
    public static ApiKeyToken? Parse(string? text)
    {
        var parts = (text ?? "").Trim().Split('_', 3);
        if (parts.Length != 3 || parts[0] != Scheme || parts[1].Length != PrefixLength || !parts[1].All(char.IsAsciiHexDigitLower)
            || parts[2].Length != SecretLength || !parts[2].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }

        return new ApiKeyToken(parts[1], parts[2]);
    }

    public string SecretHash() => Hash(Secret);

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether the secret hashes to the kept hash, compared in constant time.</summary>
    public bool Matches(string secretHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(SecretHash()), Encoding.ASCII.GetBytes(secretHash));

    /// <summary>A service account's name: 3 to 60 lowercase letters, digits, dots, hyphens or underscores (e.g. <c>permits-system</c>).</summary>
    public static string CheckName(string? name)
    {
        var trimmed = (name ?? "").Trim().ToLowerInvariant();
        if (trimmed.Length is < 3 or > NameLengthMax || !trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            throw new DomainException($"A key's name is 3 to {NameLengthMax} letters, digits, dots, hyphens or underscores, naming the system that uses it (e.g. permits-system).", "name");
        }

        return trimmed;
    }

    /// <summary>
    /// The permissions a key may hold: named, known, and never those that make more keys or users (a key that could
    /// would be an administrator nobody signs in as).
    /// </summary>
    public static IReadOnlyList<string> CheckPermissions(IEnumerable<string>? permissions, IReadOnlyCollection<string> known, IReadOnlyCollection<string> neverForKeys)
    {
        var wanted = (permissions ?? []).Select(p => (p ?? "").Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            throw new DomainException("Scope the key to at least one permission (e.g. CheckDebts).", "permissions");
        }

        if (wanted.FirstOrDefault(p => !known.Contains(p)) is { } unknown)
        {
            throw new DomainException($"There is no permission '{unknown}'.", "permissions");
        }

        if (wanted.FirstOrDefault(neverForKeys.Contains) is { } refused)
        {
            throw new DomainException($"A key cannot hold {refused}: keys and users are managed by a signed-in administrator only.", "permissions");
        }

        return wanted;
    }
}
