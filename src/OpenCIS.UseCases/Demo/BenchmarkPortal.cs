using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Portal;

namespace OpenCIS.UseCases.Demo;

/// <summary>A benchmark customer: their login, and the account and latest bill whose pages they load.</summary>
public sealed record BenchmarkLogin(string Email, string AccountNumber, long BillId);

/// <summary>
/// The portal benchmark's customers: <c>bench-NNNN@portal.bench</c>, verified, each linked to one account with a bill (spread
/// over the city), with the password <see cref="Password"/>. Made once (one password hash for all: hashing is what a sign-in
/// costs, not what preparing does) and found again on the next run.
/// </summary>
public sealed class BenchmarkPortal(OpenCisDbContext db, TimeProvider clock)
{
    public const string Password = "bench portal passphrase";
    private const string Domain = "@portal.bench";

    public async Task<IReadOnlyList<BenchmarkLogin>> EnsureLoginsAsync(int count, CancellationToken cancellationToken = default)
    {
        var have = await db.PortalUsers.CountAsync(u => u.Email!.EndsWith(Domain), cancellationToken);
        if (have < count)
        {
            var accounts = await db.Accounts.AsNoTracking().Where(a => a.Status == AccountStatus.Active && db.Bills.Any(b => b.AccountId == a.Id && b.Status == BillStatus.Issued))
                .OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(cancellationToken);
            var step = Math.Max(1, accounts.Count / count);
            var chosen = accounts.Where((_, i) => i % step == 0).Take(count).ToList();
            var hash = new PasswordHasher<PortalUser>().HashPassword(new PortalUser(), Password);
            var now = clock.GetUtcNow();
            for (var i = have; i < Math.Min(count, chosen.Count); i++)
            {
                var email = $"bench-{i:0000}{Domain}";
                var user = new PortalUser
                {
                    UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
                    EmailConfirmed = true, LockoutEnabled = true, DisplayName = $"Bench customer {i}", CreatedAt = now, PasswordHash = hash,
                };
                db.PortalUsers.Add(user);
                db.PortalUserAccounts.Add(new PortalUserAccount { PortalUserId = user.Id, AccountId = chosen[i], Proof = "benchmark", LinkedAt = now });
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        var logins = await db.PortalUsers.AsNoTracking().Where(u => u.Email!.EndsWith(Domain)).OrderBy(u => u.Email)
            .Join(db.PortalUserAccounts, u => u.Id, l => l.PortalUserId, (u, l) => new { u.Email, l.AccountId })
            .Join(db.Accounts, x => x.AccountId, a => a.Id, (x, a) => new { x.Email, x.AccountId, a.AccountNumber })
            .Take(count).ToListAsync(cancellationToken);
        var ids = logins.Select(l => l.AccountId).ToList();
        var latest = (await db.Bills.AsNoTracking().Where(b => ids.Contains(b.AccountId) && b.Status == BillStatus.Issued)
                .GroupBy(b => b.AccountId).Select(g => new { AccountId = g.Key, BillId = g.Max(b => b.Id) }).ToListAsync(cancellationToken))
            .ToDictionary(x => x.AccountId, x => x.BillId);
        return logins.Where(l => latest.ContainsKey(l.AccountId)).Select(l => new BenchmarkLogin(l.Email!, l.AccountNumber, latest[l.AccountId])).ToList();
    }
}
