using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Collections;

namespace OpenCIS.Tests.Web;

/// <summary>The demo city made ready for the field's tests: the demo policy, and accounts that owe at least $50 put on the disconnect list.</summary>
internal static class FieldSetup
{
    /// <summary>Imports the utility policy (once; the demo city has only its invoice types' receivables policy) and lists <paramref name="count"/> accounts that owe at least $50 past due on <paramref name="today"/>; returns their numbers.</summary>
    public static async Task<List<string>> ListAccountsAsync(OpenCisWebFactory factory, DateOnly today, int count, int skip = 0)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        if (!await db.CollectionPolicies.AnyAsync(p => p.Code == "RIVERBEND-UTIL"))
        {
            var yaml = await File.ReadAllTextAsync(RepositoryExamples.Path("collections", "riverbend.yaml"));
            await scope.ServiceProvider.GetRequiredService<ImportCollectionPolicy>().ExecuteAsync("riverbend.yaml", yaml, "supervisor");
        }

        var owing = await PastDueItems.Before(db.OpenItems, today).GroupBy(o => o.AccountId)
            .Select(g => new { AccountId = g.Key, Cents = g.Sum(o => o.OpenCents) }).Where(x => x.Cents >= 50_00).OrderBy(x => x.AccountId).ToListAsync();
        var taken = await db.AccountCollections.Select(c => c.AccountId).ToListAsync();
        var chosen = owing.Where(o => !taken.Contains(o.AccountId)).Skip(skip).Take(count).ToList();
        Assert.True(chosen.Count == count, $"the demo city has {owing.Count} accounts owing $50 or more past due; the test needs {count} more");
        foreach (var account in chosen)
        {
            var standing = AccountCollection.For(account.AccountId);
            standing.Update("RIVERBEND-UTIL", CollectionStatus.DisconnectEligible, 30, account.Cents, true, today, "45 days past due; shut-off notice mailed; no protection",
                null, null, null, "listed", today, factory.Clock.Now);
            db.AccountCollections.Add(standing);
        }

        await db.SaveChangesAsync();
        var ids = chosen.Select(c => c.AccountId).ToList();
        return await db.Accounts.Where(a => ids.Contains(a.Id)).OrderBy(a => a.Id).Select(a => a.AccountNumber).ToListAsync();
    }
}
