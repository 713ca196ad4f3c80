using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Ledger;

namespace OpenCIS.UseCases.Collections;

/// <summary>
/// An account's arrangements, newest first, each with its installments and what has been paid toward each:
/// the payments received since the arrangement was made (less returned payments) go to the down payment
/// first, then to the installments oldest first.
/// </summary>
public sealed class ArrangementQueries(OpenCisDbContext db, BusinessCalendar calendar)
{
    /// <summary>The account's past due today: what an arrangement takes by default.</summary>
    public async Task<long> PastDueCentsAsync(long accountId, CancellationToken cancellationToken = default) =>
        (await CreateArrangement.PastDueAsync(db, accountId, calendar.Today(), cancellationToken)).Cents;

    public async Task<IReadOnlyList<ArrangementView>> ForAccountAsync(long accountId, CancellationToken cancellationToken = default)
    {
        var arrangements = await db.Arrangements.AsNoTracking().Include(a => a.Installments)
            .Where(a => a.AccountId == accountId).OrderByDescending(a => a.Id).ToListAsync(cancellationToken);
        if (arrangements.Count == 0)
        {
            return [];
        }

        var since = arrangements.Min(a => a.CreatedOn);
        var payments = await db.FinancialTransactions.AsNoTracking()
            .Where(t => t.AccountId == accountId && t.EffectiveOn >= since
                && (t.Type == FinancialTransactionType.Payment || t.Type == FinancialTransactionType.ReturnedPayment))
            .Select(t => new { t.EffectiveOn, t.AmountCents })
            .ToListAsync(cancellationToken);
        return [.. arrangements.Select(a => View(a, [.. payments.Select(p => (p.EffectiveOn, -p.AmountCents))]))];
    }

    public async Task<ArrangementView?> FindAsync(long accountId, long arrangementId, CancellationToken cancellationToken = default) =>
        (await ForAccountAsync(accountId, cancellationToken)).FirstOrDefault(a => a.Id == arrangementId);

    /// <summary>The arrangement with the payments (date, cents received) applied to its down payment, then its installments in order.</summary>
    public static ArrangementView View(Arrangement arrangement, IReadOnlyList<(DateOnly On, long Cents)> payments)
    {
        var paid = Math.Max(0, payments.Where(p => p.On >= arrangement.CreatedOn).Sum(p => p.Cents));
        var paidTotal = Math.Min(paid, arrangement.AmountCents);
        var left = paidTotal;
        var down = Math.Min(left, arrangement.DownPaymentCents);
        left -= down;
        var installments = new List<ArrangementInstallmentView>();
        foreach (var installment in arrangement.Installments.OrderBy(i => i.Number))
        {
            var toThis = Math.Min(left, installment.AmountCents);
            left -= toThis;
            installments.Add(new ArrangementInstallmentView(installment.Number, installment.DueOn, installment.AmountCents, toThis, toThis >= installment.AmountCents));
        }

        return new ArrangementView(arrangement.Id, arrangement.AccountId, arrangement.CreatedOn, arrangement.AmountCents, arrangement.DownPaymentCents, down,
            arrangement.Status, arrangement.StatusOn, arrangement.StatusReason, arrangement.OutsidePolicy, arrangement.ApprovedBy, arrangement.CreatedBy,
            arrangement.CreatedAt, paidTotal, installments);
    }

    /// <summary>Cents as dollars ("$12.50").</summary>
    public static string Dollars(long cents) => Money.FromCents(cents).ToString();
}
