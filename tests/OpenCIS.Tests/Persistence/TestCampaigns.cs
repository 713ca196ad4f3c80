using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.Tests.Persistence;

/// <summary>Demo accounts left owing a large amount 45 days past due, so a campaign for 1,000.00 or more, 31 to 90 days, lists exactly them.</summary>
public static class TestCampaigns
{
    public static async Task OweAsync(IServiceProvider services, DateOnly today, params string[] accountNumbers)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        foreach (var number in accountNumbers)
        {
            var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.AccountNumber == number);
            var ledger = await AccountLedger.LoadAsync(db, account.Id, default);
            ledger.Post(db, PostingRules.ForAdjustment(Money.FromCents(1_500_00)), today.AddDays(-65), today.AddDays(-45), null, "clerk", "Leak repair charges", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }
    }
}
