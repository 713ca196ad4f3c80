using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Ledger;

namespace OpenCIS.UseCases.Ledger;

/// <summary>A charge a credit settled, by how much: what reversing the credit owes again.</summary>
public sealed record SettledCharge(Service? Service, DateOnly DueOn, long AmountCents);

/// <summary>
/// What reversing a credit (a returned payment, a write-off reversed) puts back on the account: the charges
/// it settled, by service and due when they were, so arrears and aging are as if it had never posted; what
/// it left unapplied comes back with no service, due today.
/// </summary>
public static class SettledCharges
{
    /// <summary>The charges each credit transaction settled, in one query whatever their number.</summary>
    public static async Task<ILookup<long, SettledCharge>> OfCreditsAsync(OpenCisDbContext db, IReadOnlyCollection<long> creditTransactionIds, CancellationToken cancellationToken) =>
        (await db.ItemAllocations.AsNoTracking()
            .Where(a => creditTransactionIds.Contains(a.CreditItem!.FinancialTransactionId))
            .Select(a => new { a.CreditItem!.FinancialTransactionId, a.ChargeItem!.Service, a.ChargeItem.DueOn, a.AmountCents })
            .ToListAsync(cancellationToken))
        .ToLookup(a => a.FinancialTransactionId, a => new SettledCharge(a.Service, a.DueOn, a.AmountCents));

    /// <summary>The charge parts and due date of the posting that reverses a credit of <paramref name="creditCents"/>.</summary>
    public static (List<AccountLedger.ChargePart> Parts, DateOnly DueOn) Restoring(IReadOnlyCollection<SettledCharge> settled, long creditCents, DateOnly today)
    {
        var parts = settled.GroupBy(s => s.Service).OrderBy(g => g.Key).Select(g => new AccountLedger.ChargePart(g.Key, Money.FromCents(g.Sum(s => s.AmountCents)))).ToList();
        var unapplied = creditCents - settled.Sum(s => s.AmountCents);
        if (unapplied > 0)
        {
            parts.Add(new AccountLedger.ChargePart(null, Money.FromCents(unapplied)));
        }

        return (parts, settled.Count > 0 ? settled.Min(s => s.DueOn) : today);
    }
}
