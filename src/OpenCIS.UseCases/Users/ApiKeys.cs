using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Users;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Users;

namespace OpenCIS.UseCases.Users;

[JsonConverter(typeof(JsonStringEnumConverter<ApiKeyState>))]
public enum ApiKeyState
{
    Active,
    Expiring,
    Expired,
    Revoked,
}

public sealed record ApiKeyView(long Id, string Name, string? Description, string Prefix, IReadOnlyList<string> Permissions, ApiKeyState State,
    DateTimeOffset CreatedAt, string CreatedBy, long? RotatedFromId, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, string? RevokedBy, string? RevokeReason,
    DateTimeOffset? LastUsedAt, int Uses);

/// <summary>A key just made: the whole key, shown this once, and what it is.</summary>
public sealed record IssuedApiKey(ApiKeyView Key, string Token);

public sealed record ApiKeyUseView(DateTimeOffset At, string Method, string Path, int Status, string? RemoteAddress);

/// <summary>Who a presented key is: the service account and its permissions. <see cref="Refusal"/> says why a key that was found does not work.</summary>
public sealed record ApiKeyCaller(long KeyId, string Name, string Prefix, IReadOnlyList<string> Permissions, string? Refusal)
{
    /// <summary>The name the key's requests act under in the audit trail and the idempotency records.</summary>
    public string Actor => $"api-key:{Name}";
}

/// <summary>
/// API keys for service accounts: the city's permit and licensing systems call the debt check and the holds with one.
/// An administrator makes a key scoped to named permissions (the secret shown once), rotates it (a new key, the old
/// one revoked at once or after a grace period) and revokes it; each change is audited, and every request made with a
/// key, or refused for one, is logged.
/// </summary>
public sealed class ApiKeys(OpenCisDbContext db, TimeProvider clock, ApiKeyUseLog? useLog = null, ApiKeyDirectory? directory = null)
{
    /// <summary>Permissions a key never holds, whatever the administrator asks.</summary>
    public static readonly IReadOnlyCollection<string> NeverForKeys = ["ManageUsers", "ManageApiKeys"];

    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Name).ThenByDescending(k => k.Id).ToListAsync(cancellationToken);
        return await ViewsAsync(keys, cancellationToken);
    }

    public async Task<ApiKeyView> FindAsync(long keyId, CancellationToken cancellationToken = default) =>
        (await ViewsAsync([await KeyAsync(keyId, cancellationToken)], cancellationToken)).Single();

    public async Task<IssuedApiKey> CreateAsync(string? name, string? description, IEnumerable<string>? permissions, IReadOnlyCollection<string> knownPermissions, string actor, CancellationToken cancellationToken = default)
    {
        var checkedName = ApiKeyToken.CheckName(name);
        var scope = ApiKeyToken.CheckPermissions(permissions, knownPermissions, NeverForKeys);
        var about = description?.Trim() is { Length: > 0 } d ? d : null;
        if (about is { Length: > ApiKeyToken.DescriptionLengthMax })
        {
            throw new DomainException($"A key's description is at most {ApiKeyToken.DescriptionLengthMax} characters.", "description");
        }

        var now = clock.GetUtcNow();
        var (row, token) = NewKey(checkedName, about, scope, actor, now, null);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, now, actor, "ApiKey", row.Id, null, "Create API key", null, new { row.Name, row.Prefix, Permissions = scope }, about);
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedApiKey(await FindAsync(row.Id, cancellationToken), token.ToString());
    }

    /// <summary>A new key with the same name and permissions; the old one is revoked now, or expires after the grace period.</summary>
    public async Task<IssuedApiKey> RotateAsync(long keyId, int graceHours, string actor, CancellationToken cancellationToken = default)
    {
        if (graceHours is < 0 or > ApiKeyToken.RotationGraceHoursMax)
        {
            throw new DomainException($"The old key's grace period is 0 to {ApiKeyToken.RotationGraceHoursMax} hours.", "graceHours");
        }

        var old = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId, cancellationToken) ?? throw new DomainException($"There is no API key {keyId}.", "keyId");
        var now = clock.GetUtcNow();
        if (StateOf(old, now) is ApiKeyState.Revoked or ApiKeyState.Expired)
        {
            throw new DomainException($"Key {old.Prefix} no longer works; make a new key instead of rotating it.", "keyId");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (row, token) = NewKey(old.Name, old.Description, old.PermissionList, actor, now, old.Id);
        if (graceHours == 0)
        {
            old.Revoke(actor, now, "Rotated");
        }
        else
        {
            old.ExpiresAt = now.AddHours(graceHours);
        }

        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, now, actor, "ApiKey", row.Id, null, "Rotate API key", new { Replaced = old.Prefix, OldKeyWorksUntil = old.RevokedAt ?? old.ExpiresAt }, new { row.Name, row.Prefix, Permissions = row.PermissionList }, null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        directory?.Forget(old.Prefix);
        return new IssuedApiKey(await FindAsync(row.Id, cancellationToken), token.ToString());
    }

    public async Task<ApiKeyView> RevokeAsync(long keyId, string? reason, string actor, CancellationToken cancellationToken = default)
    {
        var why = reason?.Trim() ?? "";
        if (why.Length is 0 or > ApiKeyToken.ReasonLengthMax)
        {
            throw new DomainException($"Say why the key is revoked (at most {ApiKeyToken.ReasonLengthMax} characters).", "reason");
        }

        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId, cancellationToken) ?? throw new DomainException($"There is no API key {keyId}.", "keyId");
        var now = clock.GetUtcNow();
        key.Revoke(actor, now, why);
        AuditLog.Record(db, now, actor, "ApiKey", key.Id, null, "Revoke API key", new { key.Name, key.Prefix }, null, why);
        await db.SaveChangesAsync(cancellationToken);
        directory?.Forget(key.Prefix);
        return await FindAsync(key.Id, cancellationToken);
    }

    /// <summary>
    /// Who a presented key is. Null when no key has its prefix or the secret is wrong (nothing to log against: the caller
    /// cannot prove it knows the key); a caller with a <see cref="ApiKeyCaller.Refusal"/> when the key is revoked or expired.
    /// </summary>
    public async Task<ApiKeyCaller?> AuthenticateAsync(string? presented, CancellationToken cancellationToken = default)
    {
        if (ApiKeyToken.Parse(presented) is not { } token)
        {
            return null;
        }

        if (directory is null || !directory.TryGet(token.Prefix, out var key))
        {
            key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Prefix == token.Prefix, cancellationToken);
            if (key is not null)
            {
                directory?.Keep(key);
            }
        }

        if (key is null || !token.Matches(key.SecretHash))
        {
            return null;
        }

        var refusal = StateOf(key, clock.GetUtcNow()) switch
        {
            ApiKeyState.Revoked => $"API key {key.Prefix} was revoked on {key.RevokedAt:yyyy-MM-dd}.",
            ApiKeyState.Expired => $"API key {key.Prefix} expired on {key.ExpiresAt:yyyy-MM-dd HH:mm} UTC after it was rotated.",
            _ => null,
        };
        return new ApiKeyCaller(key.Id, key.Name, key.Prefix, key.PermissionList, refusal);
    }

    /// <summary>Saves one use at once (the demo's history); requests hand theirs to the <see cref="ApiKeyUseLog"/>.</summary>
    public async Task RecordUseAsync(long keyId, string method, string path, int status, string? remoteAddress, CancellationToken cancellationToken = default)
    {
        db.ApiKeyUses.Add(ApiKeyUseLog.Line(keyId, method, path, status, remoteAddress, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A key's latest uses, newest first.</summary>
    public async Task<IReadOnlyList<ApiKeyUseView>> UsesAsync(long keyId, int take = 200, CancellationToken cancellationToken = default)
    {
        await KeyAsync(keyId, cancellationToken);
        if (useLog is not null)
        {
            await useLog.FlushAsync(cancellationToken);
        }

        return await db.ApiKeyUses.AsNoTracking().Where(u => u.ApiKeyId == keyId).OrderByDescending(u => u.Id).Take(Math.Clamp(take, 1, 1000))
            .Select(u => new ApiKeyUseView(u.At, u.Method, u.Path, u.Status, u.RemoteAddress)).ToListAsync(cancellationToken);
    }

    public static ApiKeyState StateOf(ApiKeyRow key, DateTimeOffset now) =>
        key.RevokedAt is not null ? ApiKeyState.Revoked
        : key.ExpiresAt is { } expires && expires <= now ? ApiKeyState.Expired
        : key.ExpiresAt is not null ? ApiKeyState.Expiring
        : ApiKeyState.Active;

    private (ApiKeyRow Row, ApiKeyToken Token) NewKey(string name, string? description, IReadOnlyList<string> permissions, string actor, DateTimeOffset now, long? rotatedFrom)
    {
        var token = ApiKeyToken.From(RandomNumberGenerator.GetBytes(ApiKeyToken.PrefixLength / 2), RandomNumberGenerator.GetBytes(32));
        var row = new ApiKeyRow
        {
            Name = name,
            Description = description,
            Prefix = token.Prefix,
            SecretHash = token.SecretHash(),
            Permissions = string.Join(' ', permissions),
            CreatedAt = now,
            CreatedBy = actor,
            RotatedFromId = rotatedFrom,
        };
        db.ApiKeys.Add(row);
        return (row, token);
    }

    private async Task<ApiKeyRow> KeyAsync(long keyId, CancellationToken cancellationToken) =>
        await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == keyId, cancellationToken) ?? throw new DomainException($"There is no API key {keyId}.", "keyId");

    private async Task<IReadOnlyList<ApiKeyView>> ViewsAsync(IReadOnlyList<ApiKeyRow> keys, CancellationToken cancellationToken)
    {
        var ids = keys.Select(k => k.Id).ToList();
        if (useLog is not null)
        {
            await useLog.FlushAsync(cancellationToken);
        }

        var uses = await db.ApiKeyUses.AsNoTracking().Where(u => ids.Contains(u.ApiKeyId)).GroupBy(u => u.ApiKeyId)
            .Select(g => new { Id = g.Key, Count = g.Count(), Last = g.Max(u => u.Id) }).ToListAsync(cancellationToken);
        var lastIds = uses.Select(u => u.Last).ToList();
        var lastAt = await db.ApiKeyUses.AsNoTracking().Where(u => lastIds.Contains(u.Id)).ToDictionaryAsync(u => u.ApiKeyId, u => u.At, cancellationToken);
        var counts = uses.ToDictionary(u => u.Id, u => u.Count);
        var now = clock.GetUtcNow();
        return keys.Select(k => new ApiKeyView(k.Id, k.Name, k.Description, k.Prefix, k.PermissionList, StateOf(k, now), k.CreatedAt, k.CreatedBy, k.RotatedFromId,
            k.ExpiresAt, k.RevokedAt, k.RevokedBy, k.RevokeReason, lastAt.TryGetValue(k.Id, out var at) ? at : null, counts.GetValueOrDefault(k.Id))).ToList();
    }
}
