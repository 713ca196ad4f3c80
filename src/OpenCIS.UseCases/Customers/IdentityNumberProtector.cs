using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Customers;

/// <summary>
/// Encrypts identity numbers (SSN, tax id) at rest with AES-256-GCM. The key comes from
/// <c>OPENCIS_ENCRYPTION_KEY</c> (base64, 32 bytes); without one, a key file is created beside
/// the embedded database (<c>data/opencis.key</c>) so a development install works at once.
/// Production installs set the variable and keep the key out of the database's backups.
/// </summary>
public sealed class IdentityNumberProtector
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly byte[] key;
    private readonly byte[] hashKey;

    public IdentityNumberProtector(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("The encryption key must be 32 bytes.", nameof(key));
        }

        this.key = key;
        hashKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: Encoding.UTF8.GetBytes("opencis identity number hash"));
    }

    /// <summary>
    /// A keyed hash of an identity number's nine digits, hex: equal numbers give equal hashes, so duplicate
    /// detection can look a number up by index without decrypting anything, and without the key the hash
    /// cannot be tried against the billion possible numbers.
    /// </summary>
    public string Hash(string digits) => Convert.ToHexStringLower(HMACSHA256.HashData(hashKey, Encoding.UTF8.GetBytes(digits)));

    public static IdentityNumberProtector FromConfiguration(IConfiguration configuration)
    {
        var configured = configuration["OPENCIS_ENCRYPTION_KEY"] ?? configuration["Encryption:Key"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new IdentityNumberProtector(Convert.FromBase64String(configured));
        }

        var keyFile = configuration["Encryption:KeyFile"] ?? "data/opencis.key";
        if (!File.Exists(keyFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
            File.WriteAllText(keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        return new IdentityNumberProtector(Convert.FromBase64String(File.ReadAllText(keyFile).Trim()));
    }

    public string Protect(string plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var cipher = new byte[plain.Length];
        var tag = new byte[TagBytes];
        using (var aes = new AesGcm(key, TagBytes))
        {
            aes.Encrypt(nonce, plain, cipher, tag);
        }

        return Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    public string Unprotect(string protectedText)
    {
        var bytes = Convert.FromBase64String(protectedText);
        var nonce = bytes.AsSpan(0, NonceBytes);
        var tag = bytes.AsSpan(NonceBytes, TagBytes);
        var cipher = bytes.AsSpan(NonceBytes + TagBytes);
        var plain = new byte[cipher.Length];
        using (var aes = new AesGcm(key, TagBytes))
        {
            aes.Decrypt(nonce, cipher, tag, plain);
        }

        return Encoding.UTF8.GetString(plain);
    }
}
