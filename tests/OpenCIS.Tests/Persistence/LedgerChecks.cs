using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.Tests.Persistence;

/// <summary>What the workflow tests read of the books after each step: an account's balance, a GL account's net, and that the trial balance ties out.</summary>
public static class LedgerChecks
{
    public static async Task<long> BalanceAsync(OpenCisDbContext db, long accountId) =>
        await db.OpenItems.AsNoTracking().Where(o => o.AccountId == accountId).SumAsync(o => (long?)o.OpenCents) ?? 0;

    /// <summary>Debits less credits on <paramref name="account"/>.</summary>
    public static async Task<long> GlNetAsync(OpenCisDbContext db, string account) =>
        await db.GlEntries.AsNoTracking().Where(g => g.GlAccount == account).SumAsync(g => (long?)(g.DebitCents - g.CreditCents)) ?? 0;

    /// <summary>The trial balance balances and ties to the sub-ledger to the cent.</summary>
    public static async Task TiesOutAsync(OpenCisDbContext db)
    {
        db.ChangeTracker.Clear();
        var trial = await new LedgerReports(db).TrialBalanceAsync();
        Assert.True(trial.Balances && trial.TiesToSubLedger, $"debits {trial.TotalDebits} credits {trial.TotalCredits}, AR {trial.ReceivableControl} against {trial.SubLedgerTotal}");
    }
}
