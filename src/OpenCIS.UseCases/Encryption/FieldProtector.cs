using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using OpenCIS.Core.Common;

namespace OpenCIS.UseCases.Encryption;

/// <summary>
/// Encrypts the fields kept secret at rest (identity numbers, bank account numbers) with AES-256-GCM.
/// <para>
/// The key is <c>OPENCIS_ENCRYPTION_KEY</c> (base64, 32 bytes). Only in demo mode, without one, a key file is
/// created beside the embedded database (<c>data/opencis.key</c>, mode 0600) so a demo works at once; outside
/// demo mode the host refuses to start without the variable (<see cref="RequireConfiguredKey"/>), and the key is
/// kept out of the database's backups.
/// </para>
/// <para>
/// Each value is stored as <c>{key id}:{base64 of nonce, tag and ciphertext}</c>, the key id being the first eight
/// hex digits of the key's SHA-256, so after <c>opencis keys rotate</c> a value names the key that opens it.
/// Retired keys are listed in <c>OPENCIS_ENCRYPTION_KEY_PREVIOUS</c> (comma-separated) until the rotation is done.
/// Values written before key ids (no prefix) are tried with every key; GCM's tag tells the right one.
/// </para>
/// </summary>
public sealed class FieldProtector
{
    public const string KeyVariable = "OPENCIS_ENCRYPTION_KEY";
    public const string PreviousKeysVariable = "OPENCIS_ENCRYPTION_KEY_PREVIOUS";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int KeyIdLength = 8;
    private readonly ProtectionKey current;
    private readonly ProtectionKey[] all;

    public FieldProtector(byte[] key, params byte[][] previousKeys)
    {
        ArgumentNullException.ThrowIfNull(previousKeys);
        current = new ProtectionKey(key);
        all = [current, .. previousKeys.Select(k => new ProtectionKey(k)).Where(k => k.Id != current.Id)];
    }

    /// <summary>The id of the key new values are protected under.</summary>
    public string CurrentKeyId => current.Id;

    /// <summary>
    /// A keyed hash of an identity number's nine digits, hex: equal numbers give equal hashes, so duplicate
    /// detection can look a number up by index without decrypting anything, and without the key the hash
    /// cannot be tried against the billion possible numbers. A rotation recomputes it under the new key.
    /// </summary>
    public string Hash(string digits) => Convert.ToHexStringLower(HMACSHA256.HashData(current.HashKey, Encoding.UTF8.GetBytes(digits)));

    /// <summary>True when the value is protected under the current key (a rotation skips it).</summary>
    public bool IsCurrent(string protectedText) =>
        protectedText.Length > KeyIdLength && protectedText[KeyIdLength] == ':' && protectedText.StartsWith(current.Id, StringComparison.Ordinal);

    public static FieldProtector FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var previous = (configuration[PreviousKeysVariable] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => Decode(k, PreviousKeysVariable)).ToArray();
        var configured = configuration[KeyVariable] ?? configuration["Encryption:Key"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new FieldProtector(Decode(configured, KeyVariable), previous);
        }

        var keyFile = configuration["Encryption:KeyFile"] ?? "data/opencis.key";
        if (!File.Exists(keyFile))
        {
            if (!string.Equals(configuration["OPENCIS_DEMO"], "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new DomainException($"{KeyVariable} is not set. Outside demo mode the encryption key comes from the environment: 32 random bytes, base64 (`opencis keys generate` prints one).", KeyVariable);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(keyFile, options);
            stream.Write(Encoding.ASCII.GetBytes(NewKey()));
        }

        return new FieldProtector(Decode(File.ReadAllText(keyFile).Trim(), keyFile), previous);
    }

    /// <summary>Outside demo mode: the key must come from the environment, never from a file beside the database.</summary>
    public static string? RequireConfiguredKey(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration[KeyVariable] ?? configuration["Encryption:Key"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return $"{KeyVariable} is required outside demo mode: 32 random bytes, base64 (`opencis keys generate` prints one). Keep it out of the database's backups.";
        }

        try
        {
            _ = Decode(configured, KeyVariable);
            return null;
        }
        catch (DomainException refused)
        {
            return refused.Message;
        }
    }

    /// <summary>A new random key, base64.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Protect(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var cipher = new byte[plain.Length];
        var tag = new byte[TagBytes];
        using (var aes = new AesGcm(current.Secret, TagBytes))
        {
            aes.Encrypt(nonce, plain, cipher, tag);
        }

        return current.Id + ":" + Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    public string Unprotect(string protectedText)
    {
        ArgumentNullException.ThrowIfNull(protectedText);
        if (protectedText.Length > KeyIdLength && protectedText[KeyIdLength] == ':')
        {
            var id = protectedText[..KeyIdLength];
            var key = all.FirstOrDefault(k => k.Id == id)
                ?? throw new CryptographicException($"The value is protected under key {id}, which is neither {KeyVariable} nor in {PreviousKeysVariable}.");
            return Decrypt(key, protectedText[(KeyIdLength + 1)..]);
        }

        foreach (var key in all)
        {
            try
            {
                return Decrypt(key, protectedText);
            }
            catch (AuthenticationTagMismatchException)
            {
                // Written before key ids: not this key; try the next.
            }
        }

        throw new CryptographicException($"No configured key opens the value; list the key it was written under in {PreviousKeysVariable}.");
    }

    private static string Decrypt(ProtectionKey key, string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        var nonce = bytes.AsSpan(0, NonceBytes);
        var tag = bytes.AsSpan(NonceBytes, TagBytes);
        var cipher = bytes.AsSpan(NonceBytes + TagBytes);
        var plain = new byte[cipher.Length];
        using (var aes = new AesGcm(key.Secret, TagBytes))
        {
            aes.Decrypt(nonce, cipher, tag, plain);
        }

        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] Decode(string base64, string source)
    {
        try
        {
            var bytes = Convert.FromBase64String(base64.Trim());
            return bytes.Length == 32 ? bytes : throw new DomainException($"The key in {source} is {bytes.Length} bytes; it must be 32 (base64 of 32 random bytes).", KeyVariable);
        }
        catch (FormatException)
        {
            throw new DomainException($"The key in {source} is not base64.", KeyVariable);
        }
    }

    private sealed class ProtectionKey
    {
        public ProtectionKey(byte[] secret)
        {
            if (secret.Length != 32)
            {
                throw new ArgumentException("An encryption key must be 32 bytes.", nameof(secret));
            }

            Secret = secret;
            Id = Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes("opencis key id "), .. secret]))[..KeyIdLength];
            HashKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: Encoding.UTF8.GetBytes("opencis identity number hash"));
        }

        public string Id { get; }
        public byte[] Secret { get; }
        public byte[] HashKey { get; }
    }
}
