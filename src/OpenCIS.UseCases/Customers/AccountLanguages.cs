using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;

namespace OpenCIS.UseCases.Customers;

/// <summary>
/// The language an account's customer reads: the language of the verified portal login that claimed the account first
/// (the customer's own choice in the portal), English without one. Bills, notices and letters are written in it.
/// </summary>
public static class AccountLanguages
{
    /// <summary>The language of each of <paramref name="accountIds"/> that has a verified portal login; an account absent from the answer has none and is English.</summary>
    public static async Task<Dictionary<long, string>> OfAsync(OpenCisDbContext db, IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken)
    {
        var logins = await db.PortalUserAccounts.AsNoTracking().Where(l => accountIds.Contains(l.AccountId))
            .Join(db.PortalUsers.Where(u => u.EmailConfirmed), l => l.PortalUserId, u => u.Id, (l, u) => new { l.AccountId, l.Id, u.Language })
            .ToListAsync(cancellationToken);
        return logins.GroupBy(l => l.AccountId).ToDictionary(g => g.Key, g => Portal.PortalText.Language(g.MinBy(l => l.Id)!.Language));
    }

    /// <summary>The language of one account.</summary>
    public static async Task<string> OfAsync(OpenCisDbContext db, long accountId, CancellationToken cancellationToken) =>
        (await OfAsync(db, [accountId], cancellationToken)).GetValueOrDefault(accountId, CollectionNoticeTemplate.English);

    /// <summary>The language of an account from <see cref="OfAsync(OpenCisDbContext, IReadOnlyCollection{long}, CancellationToken)"/>'s answer.</summary>
    public static string Of(this IReadOnlyDictionary<long, string> languages, long accountId) =>
        languages.GetValueOrDefault(accountId, CollectionNoticeTemplate.English);
}
