using System.Linq.Expressions;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenCIS.Core.Common;

namespace OpenCIS.Storage;

/// <summary>
/// An <c>Idempotency-Key</c> as the user who sent it: a key is its sender's own. Two users who happen
/// to send the same key (a client library's counter, a copied script) send two requests, and neither
/// is ever answered with what the other did.
/// </summary>
public sealed record RequestKey(string User, string Key);

/// <summary>
/// Where a row keeps a request's key: the column naming the user who sent it and the key's own column.
/// The look-ups (<see cref="Idempotency.EarlierAsync{TRow, TEarlier}"/>) and the row's unique index
/// (<see cref="PropertyNames"/>) are both built from it, so neither can leave the user out.
/// </summary>
public sealed class KeyColumns<TRow>
    where TRow : class
{
    private readonly Expression<Func<TRow, string?>> user;
    private readonly Expression<Func<TRow, string?>> key;

    public KeyColumns(Expression<Func<TRow, string?>> user, Expression<Func<TRow, string?>> key)
    {
        this.user = user;
        this.key = key;
        PropertyNames = [PropertyName(user), PropertyName(key)];
    }

    /// <summary>The user's property, then the key's: the unique index over them.</summary>
    public string[] PropertyNames { get; }

    /// <summary>The rows this user's key names: at most one, as the unique index guarantees.</summary>
    internal Expression<Func<TRow, bool>> Naming(RequestKey requestKey)
    {
        var row = Expression.Parameter(typeof(TRow), "row");
        // Read from the key object rather than inlined as constants, so EF Core sends them as parameters
        // and keeps one query plan for every key.
        var holder = Expression.Constant(requestKey);
        var sameUser = Expression.Equal(Column(user, row), Expression.Property(holder, nameof(RequestKey.User)));
        var sameKey = Expression.Equal(Column(key, row), Expression.Property(holder, nameof(RequestKey.Key)));
        return Expression.Lambda<Func<TRow, bool>>(Expression.AndAlso(sameUser, sameKey), row);
    }

    private static Expression Column(Expression<Func<TRow, string?>> column, ParameterExpression row) =>
        Expression.Property(row, PropertyName(column));

    private static string PropertyName(Expression<Func<TRow, string?>> column) =>
        column.Body is MemberExpression { Member: System.Reflection.PropertyInfo property } && property.DeclaringType!.IsAssignableFrom(typeof(TRow))
            ? property.Name
            : throw new ArgumentException($"A key column is a property of {typeof(TRow).Name}, such as row => row.IdempotencyKey; '{column}' is not.", nameof(column));
}

/// <summary>
/// The one path for every workflow that keeps a money-moving request's key on its own rows (payments at the
/// counter and through the API, adjustments, cancel-rebill, refunds and their decisions, transfers,
/// write-offs and their reversal, deposits, the deposit refund review, returned payments). Each remembers
/// the key, scoped to the user who sent it, with a fingerprint of what was asked: the same user, key and
/// request again returns the first result; the same user and key with a different request is refused,
/// naming the header; another user's request under the same key is a request of its own. The API's
/// <c>IdempotencyFilter</c> keeps its stored answers (<see cref="IdempotentRequests"/>) by user the same way.
/// </summary>
internal static class Idempotency
{
    public const int MaxKeyLength = IdempotentRequests.KeyLengthMax;

    /// <summary>The field a refused key is reported under: the header the client sent it in.</summary>
    public const string Field = "Idempotency-Key";

    public static string Fingerprint(params object?[] parts) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", parts.Select(p => p?.ToString()?.Trim() ?? "")))));

    /// <summary>The key as its sender's own, trimmed; null when no key (or only spaces) was sent; too long a key is refused.</summary>
    public static RequestKey? CheckKey(string? key, string user)
    {
        if (key is null)
        {
            return null;
        }

        var trimmed = key.Trim();
        return trimmed.Length switch
        {
            0 => null,
            > MaxKeyLength => throw new DomainException($"The idempotency key can be at most {MaxKeyLength} characters.", Field),
            _ => new RequestKey(user, trimmed),
        };
    }

    /// <summary>
    /// The key to keep on a row written for <paramref name="user"/>. The row's user column scopes the key, so
    /// it must name the key's sender: a key kept beside another user's name would never be found again.
    /// </summary>
    public static string? KeyFor(RequestKey? key, string user) =>
        key is null ? null
        : key.User == user ? key.Key
        : throw new InvalidOperationException($"The key '{key.Key}' was sent by {key.User}, but the row is written for {user}.");

    /// <summary>The rows this user's key names (at most one).</summary>
    public static IQueryable<TRow> Named<TRow>(IQueryable<TRow> rows, KeyColumns<TRow> columns, RequestKey key)
        where TRow : class =>
        rows.Where(columns.Naming(key));

    /// <summary>
    /// What the earlier request under this user's key did (<paramref name="select"/> of its row), or null when
    /// there was none or no key was sent. When <paramref name="sameRequest"/> says the earlier request asked
    /// for something else, the key is refused, naming the header; <paramref name="what"/> names what it was used for.
    /// </summary>
    public static async Task<TEarlier?> EarlierAsync<TRow, TEarlier>(
        IQueryable<TRow> rows, KeyColumns<TRow> columns, RequestKey? key, Expression<Func<TRow, TEarlier>> select, Func<TEarlier, bool> sameRequest,
        Func<TEarlier, string> what, CancellationToken cancellationToken)
        where TRow : class
        where TEarlier : class
    {
        if (key is null)
        {
            return null;
        }

        var earlier = await Named(rows.AsNoTracking(), columns, key).Select(select).SingleOrDefaultAsync(cancellationToken);
        if (earlier is not null && !sameRequest(earlier))
        {
            throw new DomainException($"Idempotency key '{key.Key}' was already used for a different {what(earlier)}.", Field);
        }

        return earlier;
    }

    /// <summary>
    /// Saves the unit of work that carries a request's key. When a concurrent request with the same user and
    /// key saved first (the key's unique index refuses this one), rolls back and returns what that request
    /// did; otherwise null.
    /// </summary>
    public static async Task<T?> SaveOrFindEarlierAsync<T>(
        OpenCisDbContext db, IDbContextTransaction transaction, RequestKey? key, Func<Task<T?>> earlier, string what, CancellationToken cancellationToken)
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
            return await earlier() ?? throw new InvalidOperationException($"The {what} key '{key.Key}' of {key.User} collided, but no {what} has it.");
        }
    }
}
