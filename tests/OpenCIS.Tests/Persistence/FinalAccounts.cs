using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.Tests.Persistence;

/// <summary>A demo account turned into a customer who moved out owing a final bill, as the stop-service use case leaves one: for the pursuit's tests.</summary>
public static class FinalAccounts
{
    /// <summary>Final-bills the account and brings its balance to <paramref name="owed"/> with a charge due 2026-09-20.</summary>
    public static async Task OweAsync(OpenCisDbContext db, string accountNumber, Money owed)
    {
        var account = await db.Accounts.SingleAsync(a => a.AccountNumber == accountNumber);
        var ledger = await AccountLedger.LoadAsync(db, account.Id, default);
        ledger.Post(db, PostingRules.ForAdjustment(owed - ledger.Balance), new DateOnly(2026, 9, 1), new DateOnly(2026, 9, 20), null, "clerk", "Final bill", DateTimeOffset.UtcNow);
        account.MarkFinalBilled();
        await db.SaveChangesAsync();
    }
}
