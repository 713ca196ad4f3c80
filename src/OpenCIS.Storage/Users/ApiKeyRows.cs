using Microsoft.EntityFrameworkCore;

namespace OpenCIS.Storage.Users;

/// <summary>
/// A key another city system (a permit or licensing system, a kiosk) uses to call the API as a service account: its
/// name, the permissions it is scoped to, and only a hash of its secret. A key is revoked (at once) or, when rotated
/// with a grace period, expires at the end of it. Keys never sign in to the screens.
/// </summary>
public sealed class ApiKeyRow
{
    public long Id { get; internal set; }
    public string Name { get; init; } = "";
    public string? Description { get; init; }

    /// <summary>The public part of the key, shown in lists and logs, by which a presented key is found.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>SHA-256 of the secret, hex. The secret itself is shown once, when the key is made.</summary>
    public string SecretHash { get; init; } = "";

    /// <summary>The permissions the key holds, separated by spaces.</summary>
    public string Permissions { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";

    /// <summary>The key this one replaced by a rotation.</summary>
    public long? RotatedFromId { get; init; }

    /// <summary>When the key stops working by itself: the end of a rotation's grace period.</summary>
    public DateTimeOffset? ExpiresAt { get; internal set; }

    public DateTimeOffset? RevokedAt { get; private set; }
    public string? RevokedBy { get; private set; }
    public string? RevokeReason { get; private set; }

    public IReadOnlyList<string> PermissionList => Permissions.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    internal void Revoke(string user, DateTimeOffset at, string reason)
    {
        if (RevokedAt is not null)
        {
            throw new Core.Common.DomainException($"Key {Prefix} was already revoked by {RevokedBy} on {RevokedAt:yyyy-MM-dd}.", "keyId");
        }

        (RevokedBy, RevokedAt, RevokeReason) = (user, at, reason);
    }
}

/// <summary>One request made with a key (or refused for it: a revoked or expired key presented): when, what, and its answer.</summary>
public sealed class ApiKeyUseRow
{
    public long Id { get; internal set; }
    public long ApiKeyId { get; init; }
    public DateTimeOffset At { get; init; }
    public string Method { get; init; } = "";
    public string Path { get; init; } = "";
    public int Status { get; init; }
    public string? RemoteAddress { get; init; }
}

internal static class ApiKeysModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<ApiKeyRow>(e =>
        {
            e.ToTable("api_keys");
            e.Property(k => k.Name).HasMaxLength(60);
            e.Property(k => k.Description).HasMaxLength(200);
            e.Property(k => k.Prefix).HasMaxLength(20);
            e.Property(k => k.SecretHash).HasMaxLength(64);
            e.Property(k => k.Permissions).HasMaxLength(2000);
            e.Property(k => k.CreatedBy).HasMaxLength(100);
            e.Property(k => k.RevokedBy).HasMaxLength(100);
            e.Property(k => k.RevokeReason).HasMaxLength(200);
            e.Ignore(k => k.PermissionList);
            e.HasIndex(k => k.Prefix).IsUnique();
        });
        builder.Entity<ApiKeyUseRow>(e =>
        {
            e.ToTable("api_key_uses");
            e.Property(u => u.Method).HasMaxLength(10);
            e.Property(u => u.Path).HasMaxLength(300);
            e.Property(u => u.RemoteAddress).HasMaxLength(45);
            e.HasIndex(u => new { u.ApiKeyId, u.At });
        });
    }
}
