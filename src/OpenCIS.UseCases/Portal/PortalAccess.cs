using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Portal;

/// <summary>
/// The one gate between a portal login and the city's data: every portal query and action names the account by its number
/// and goes through here, which finds it only among the login's linked accounts. Anything else is "not found", whether it
/// exists or not, so a customer can neither see another's data nor learn that an account number is in use.
/// </summary>
public static class PortalAccess
{
    public static async Task<long> AccountIdAsync(OpenCisDbContext db, string portalUserId, string accountNumber, CancellationToken cancellationToken)
    {
        var number = (accountNumber ?? "").Trim();
        return await db.PortalUserAccounts.AsNoTracking()
                .Where(l => l.PortalUserId == portalUserId)
                .Join(db.Accounts.Where(a => a.AccountNumber == number), l => l.AccountId, a => a.Id, (l, a) => (long?)a.Id)
                .SingleOrDefaultAsync(cancellationToken)
            ?? throw new PortalNotFoundException($"Account {number}");
    }

    /// <summary>The accounts a login may see, by id.</summary>
    public static async Task<IReadOnlyList<long>> AccountIdsAsync(OpenCisDbContext db, string portalUserId, CancellationToken cancellationToken) =>
        await db.PortalUserAccounts.AsNoTracking().Where(l => l.PortalUserId == portalUserId).Select(l => l.AccountId).ToListAsync(cancellationToken);
}
