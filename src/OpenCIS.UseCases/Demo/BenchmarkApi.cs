using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Users;

namespace OpenCIS.UseCases.Demo;

/// <summary>What the API benchmark calls with: a key of its own, active accounts spread over the city, and names to search for.</summary>
public sealed record BenchmarkApiTargets(long KeyId, string Token, IReadOnlyList<string> AccountNumbers, IReadOnlyList<string> Searches);

/// <summary>
/// The API benchmark's side in the database: a service-account key that may see accounts and take payments (made for the run,
/// revoked after it), <c>count</c> active accounts spread over the city (every n-th by id) to open and pay, and the surnames of
/// their customers to search for.
/// </summary>
public sealed class BenchmarkApi(OpenCisDbContext db, TimeProvider clock)
{
    public static readonly IReadOnlyCollection<string> Permissions = ["ViewAccounts", "TakePayments"];

    public async Task<BenchmarkApiTargets> PrepareAsync(int count, string user, CancellationToken cancellationToken = default)
    {
        var active = await db.Accounts.AsNoTracking().Where(a => a.Status == AccountStatus.Active && a.PremiseId != null)
            .OrderBy(a => a.Id).Select(a => new { a.Id, a.AccountNumber }).ToListAsync(cancellationToken);
        var step = Math.Max(1, active.Count / Math.Max(1, count));
        var chosen = active.Where((_, i) => i % step == 0).Take(count).ToList();
        var ids = chosen.Select(a => a.Id).ToList();
        var names = await db.AccountCustomers.AsNoTracking().Where(ac => ids.Contains(ac.AccountId) && ac.Role == AccountRole.Main)
            .Join(db.Customers, ac => ac.CustomerId, c => c.Id, (ac, c) => c.DisplayName).ToListAsync(cancellationToken);
        var searches = names.Select(Surname).Where(s => s.Length >= 3).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var key = await new ApiKeys(db, clock).CreateAsync($"bench-api-{clock.GetUtcNow():yyyyMMddHHmmss}", "opencis bench api: its load of account pages, searches and payments",
            Permissions, Permissions, user, cancellationToken);
        return new BenchmarkApiTargets(key.Key.Id, key.Token, [.. chosen.Select(a => a.AccountNumber)], searches);
    }

    /// <summary>The run's key, revoked when the run ends.</summary>
    public async Task RevokeAsync(long keyId, string user, CancellationToken cancellationToken = default) =>
        await new ApiKeys(db, clock).RevokeAsync(keyId, "The API benchmark ended", user, cancellationToken);

    /// <summary>The surname of a customer's name as the demo writes it ("Ada Lane", "Lane, Ada"; a business name's first word).</summary>
    private static string Surname(string name)
    {
        var comma = name.IndexOf(',', StringComparison.Ordinal);
        var words = (comma > 0 ? name[..comma] : name).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? "" : comma > 0 || words.Length == 1 ? words[0] : words[^1];
    }
}
