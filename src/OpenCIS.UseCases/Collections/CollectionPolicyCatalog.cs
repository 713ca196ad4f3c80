using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Collections;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Ledger;

namespace OpenCIS.UseCases.Collections;

/// <summary>A stored policy version, parsed.</summary>
public sealed record StoredCollectionPolicy(long Id, int Version, CollectionPolicy Policy);

/// <summary>
/// The collection policies in the database, parsed once: for each code, its versions. On a date, a code's
/// version in force is the one with the latest effective date on or before it (the highest version number
/// when two share a date). An account takes the policy in force that names its class, else one for all
/// classes; among those, one naming its debt type before one for all debt types; then by code.
/// </summary>
public sealed class CollectionPolicyCatalog
{
    private readonly IReadOnlyList<StoredCollectionPolicy> versions;

    private CollectionPolicyCatalog(IReadOnlyList<StoredCollectionPolicy> versions) => this.versions = versions;

    public IReadOnlyList<StoredCollectionPolicy> Versions => versions;

    public static async Task<CollectionPolicyCatalog> LoadAsync(OpenCisDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.CollectionPolicies.AsNoTracking().ToListAsync(cancellationToken);
        return new CollectionPolicyCatalog([.. rows.Select(Parse)]);
    }

    public static StoredCollectionPolicy Parse(CollectionPolicyVersion row) =>
        new(row.Id, row.Version, CollectionPolicyYaml.Read(row.Yaml, $"policy {row.Code} version {row.Version}"));

    /// <summary>Each code's version in force on <paramref name="date"/>.</summary>
    public IReadOnlyList<StoredCollectionPolicy> InForce(DateOnly date) =>
        [.. versions.Where(v => v.Policy.EffectiveFrom <= date)
            .GroupBy(v => v.Policy.Code, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(v => v.Policy.EffectiveFrom).ThenByDescending(v => v.Version).First())
            .OrderBy(v => v.Policy.Code, StringComparer.Ordinal)];

    /// <summary>The policy an account follows on a date: by its class, and its debt type from its status.</summary>
    public StoredCollectionPolicy? ForAccount(AccountClass accountClass, AccountStatus status, DateOnly date) =>
        For(InForce(date), ClassName(accountClass), DebtTypes.For(status));

    /// <summary>An account class as policies name it ("residential").</summary>
    public static string ClassName(AccountClass accountClass) => accountClass.ToString().ToLowerInvariant();

    /// <summary>The policy an account of <paramref name="accountClass"/> owing <paramref name="debtType"/> follows, among <paramref name="inForce"/>.</summary>
    public static StoredCollectionPolicy? For(IReadOnlyList<StoredCollectionPolicy> inForce, string accountClass, string debtType)
    {
        StoredCollectionPolicy? best = null;
        var bestScore = -1;
        foreach (var candidate in inForce)
        {
            if (!candidate.Policy.AppliesTo(accountClass, debtType))
            {
                continue;
            }

            var score = (candidate.Policy.AccountClasses.IsDefaultOrEmpty ? 0 : 2) + (candidate.Policy.DebtTypes.IsDefaultOrEmpty ? 0 : 1);
            if (score > bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }

        return best;
    }
}

/// <summary>The debt types the run knows: an active account's utility bills, and a closed account's final balance.</summary>
public static class DebtTypes
{
    public const string Utility = "utility";
    public const string Final = "final";

    public static string For(AccountStatus status) => status == AccountStatus.Active ? Utility : Final;
}

/// <summary>What collections counts as past due: a charge still open after its due date.</summary>
public static class PastDueItems
{
    /// <summary>The open charges due before <paramref name="date"/> (the first test keeps the partial index on open items usable).</summary>
    public static IQueryable<OpenItem> Before(IQueryable<OpenItem> items, DateOnly date) =>
        items.Where(o => o.OpenCents != 0 && o.OpenCents > 0 && o.DueOn < date);
}
