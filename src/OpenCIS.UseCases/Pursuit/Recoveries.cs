using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Pursuit;

/// <summary>
/// Written-off debt still to be recovered: what an account's write-offs took off it (not reversed, and not a bankruptcy discharge, which
/// the court forbids collecting) less what payments have recovered (their credits to the allowance, net of returned payments' debits).
/// </summary>
public static class Recoveries
{
    public const string DischargeReason = "BANKRUPTCY";

    /// <summary>Each of <paramref name="accountIds"/> with written-off debt not yet recovered, and how much; the others are left out.</summary>
    public static async Task<Dictionary<long, Money>> UnrecoveredAsync(OpenCisDbContext db, IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken)
    {
        if (accountIds.Count == 0)
        {
            return [];
        }

        var ids = accountIds as List<long> ?? [.. accountIds];
        var written = await db.WriteOffs.AsNoTracking()
            .Where(w => ids.Contains(w.AccountId) && w.ReversalTransactionId == null && w.ReasonCode != DischargeReason)
            .GroupBy(w => w.AccountId)
            .Select(g => new { AccountId = g.Key, Cents = g.Sum(w => w.AmountCents) })
            .ToListAsync(cancellationToken);
        if (written.Count == 0)
        {
            return [];
        }

        var recovered = await RecoveredAsync(db, [.. written.Select(w => w.AccountId)], cancellationToken);
        return written
            .Select(w => (w.AccountId, Left: w.Cents - recovered.GetValueOrDefault(w.AccountId)))
            .Where(w => w.Left > 0)
            .ToDictionary(w => w.AccountId, w => Money.FromCents(w.Left));
    }

    /// <summary>What payments have recovered on each account: their credits to the allowance, less those returned payments took back.</summary>
    public static async Task<Dictionary<long, long>> RecoveredAsync(OpenCisDbContext db, List<long> accountIds, CancellationToken cancellationToken) =>
        await (from t in db.FinancialTransactions.AsNoTracking()
               join g in db.GlEntries.AsNoTracking() on t.Id equals g.FinancialTransactionId
               where accountIds.Contains(t.AccountId)
                   && (t.Type == FinancialTransactionType.Payment || t.Type == FinancialTransactionType.ReturnedPayment)
                   && g.GlAccount == GlAccounts.AllowanceForUncollectibles
               group g by t.AccountId into byAccount
               select new { AccountId = byAccount.Key, Cents = byAccount.Sum(g => g.CreditCents - g.DebitCents) })
            .ToDictionaryAsync(r => r.AccountId, r => r.Cents, cancellationToken);
}
