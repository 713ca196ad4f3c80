using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Deposits;

namespace OpenCIS.UseCases.Deposits;

/// <summary>
/// What the ledger says about paying on time, for many accounts in a few queries: when deposit charges
/// were paid in full, and the days an account was late (a charge settled after its due date, a charge
/// still open past it, a returned payment).
/// </summary>
internal static class DepositHistory
{
    /// <summary>The day each fully paid charge was settled: the later of the charge and the last credit applied to it. Charges still open are left out.</summary>
    public static async Task<Dictionary<long, DateOnly>> PaidOnAsync(OpenCisDbContext db, IReadOnlyCollection<long> chargeTransactionIds, CancellationToken cancellationToken)
    {
        if (chargeTransactionIds.Count == 0)
        {
            return [];
        }

        var items = await db.OpenItems.AsNoTracking()
            .Where(o => chargeTransactionIds.Contains(o.FinancialTransactionId) && o.AmountCents > 0)
            .Select(o => new { o.Id, o.FinancialTransactionId, o.PostedOn, o.OpenCents })
            .ToListAsync(cancellationToken);
        var itemIds = items.Select(i => i.Id).ToList();
        var creditDates = (await db.ItemAllocations.AsNoTracking()
                .Where(a => itemIds.Contains(a.ChargeItemId))
                .Join(db.OpenItems, a => a.CreditItemId, credit => credit.Id, (a, credit) => new { a.ChargeItemId, credit.PostedOn })
                .ToListAsync(cancellationToken))
            .GroupBy(x => x.ChargeItemId)
            .ToDictionary(g => g.Key, g => g.Max(x => x.PostedOn));
        return items.GroupBy(i => i.FinancialTransactionId)
            .Where(g => g.All(i => i.OpenCents == 0))
            .ToDictionary(g => g.Key, g => g.Max(i => creditDates.TryGetValue(i.Id, out var paid) && paid > i.PostedOn ? paid : i.PostedOn));
    }

    /// <summary>Each account's late days from <paramref name="from"/> through <paramref name="asOf"/>.</summary>
    public static async Task<Dictionary<long, List<DateOnly>>> LateOnAsync(OpenCisDbContext db, IReadOnlyCollection<long> accountIds, DateOnly from, DateOnly asOf, CancellationToken cancellationToken)
    {
        var result = accountIds.Distinct().ToDictionary(id => id, _ => new List<DateOnly>());
        if (result.Count == 0)
        {
            return result;
        }

        var charges = await db.OpenItems.AsNoTracking()
            .Where(o => accountIds.Contains(o.AccountId) && o.AmountCents > 0 && o.DueOn < asOf && o.DueOn >= from.AddMonths(-3))
            .Select(o => new { o.Id, o.AccountId, o.DueOn, o.OpenCents })
            .ToListAsync(cancellationToken);
        var chargeIds = charges.Select(c => c.Id).ToList();
        var settled = (await db.ItemAllocations.AsNoTracking()
                .Where(a => chargeIds.Contains(a.ChargeItemId))
                .Join(db.OpenItems, a => a.CreditItemId, credit => credit.Id, (a, credit) => new { a.ChargeItemId, credit.PostedOn })
                .ToListAsync(cancellationToken))
            .GroupBy(x => x.ChargeItemId)
            .ToDictionary(g => g.Key, g => g.Max(x => x.PostedOn));
        foreach (var charge in charges)
        {
            if (charge.OpenCents > 0)
            {
                // Still unpaid past its due date: late through today.
                result[charge.AccountId].Add(asOf);
            }
            else if (settled.TryGetValue(charge.Id, out var paidOn) && paidOn > charge.DueOn)
            {
                result[charge.AccountId].Add(paidOn);
            }
        }

        var returned = await db.FinancialTransactions.AsNoTracking()
            .Where(t => accountIds.Contains(t.AccountId) && t.Type == FinancialTransactionType.ReturnedPayment && t.EffectiveOn >= from && t.EffectiveOn <= asOf)
            .Select(t => new { t.AccountId, t.EffectiveOn })
            .ToListAsync(cancellationToken);
        foreach (var r in returned)
        {
            result[r.AccountId].Add(r.EffectiveOn);
        }

        return result;
    }
}
