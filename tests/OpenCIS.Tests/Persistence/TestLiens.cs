using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.Liens;

namespace OpenCIS.Tests.Persistence;

/// <summary>A demo account made an owner's and left unpaid until the real collections and lien runs notice a lien on it and file it: for the liens' API, CLI and browser tests.</summary>
public static class TestLiens
{
    /// <summary>
    /// Makes the account's main customer its owner, adds 400.00 due 200 days before <paramref name="today"/>, and runs collections and liens (under the
    /// demo policy, imported if missing) on the day it is 120 days past due and, when <paramref name="file"/>, the day after its notice period. Its lien's number.
    /// </summary>
    public static async Task<string> LienAsync(IServiceProvider services, string accountNumber, DateOnly today, bool file = true)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<OpenCisDbContext>();
        if (!(await CollectionPolicyCatalog.LoadAsync(db, default)).InForce(today).Any(p => p.Policy.Liens is not null))
        {
            await sp.GetRequiredService<ImportCollectionPolicy>().ExecuteAsync(DemoCollections.PolicyFileName, DemoCollections.PolicyYaml(), "admin");
        }

        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.AccountNumber == accountNumber);
        var main = await db.AccountCustomers.AsNoTracking().Where(ac => ac.AccountId == account.Id && ac.Role == AccountRole.Main).OrderBy(ac => ac.Id).LastAsync();
        if (!await db.AccountCustomers.AnyAsync(ac => ac.AccountId == account.Id && ac.Role == AccountRole.Owner && ac.CustomerId == main.CustomerId))
        {
            db.AccountCustomers.Add(new AccountCustomer { AccountId = account.Id, CustomerId = main.CustomerId, Role = AccountRole.Owner, StartedOn = main.StartedOn });
        }

        var due = today.AddDays(-200);
        var ledger = await AccountLedger.LoadAsync(db, account.Id, default);
        ledger.Post(db, PostingRules.ForAdjustment(Money.FromCents(400_00)), due.AddDays(-20), due, null, "clerk", "Water and sewer", DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        var collections = sp.GetRequiredService<RunCollections>();
        var liens = sp.GetRequiredService<RunLiens>();
        foreach (var days in file ? new[] { 120, 151 } : [120])
        {
            await collections.ExecuteAsync(due.AddDays(days), "system");
            db.ChangeTracker.Clear();
            await liens.ExecuteAsync(due.AddDays(days), "system");
        }

        return (await sp.GetRequiredService<LienRegister>().OfAccountAsync(account.Id)).First().Number;
    }
}
