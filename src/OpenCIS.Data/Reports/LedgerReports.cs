using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Data.Customers;
using OpenCIS.Data.Storage;

namespace OpenCIS.Data.Reports;

public sealed record AgingRow(long AccountId, string AccountNumber, string Class, AgingBuckets Buckets);

public sealed record AgingReport(DateOnly AsOf, AgingBuckets Totals, IReadOnlyList<(string Class, int Accounts, AgingBuckets Buckets)> ByClass, IReadOnlyList<AgingRow> Accounts);

/// <summary>The finance reports of the foundation: trial balance with its tie-out, and aged receivables.</summary>
public sealed class LedgerReports(OpenCisDbContext db)
{
    /// <summary>GL totals by account through a date (all time by default), tied to the sum of customer balances.</summary>
    public async Task<TrialBalance> TrialBalanceAsync(DateOnly? through = null, CancellationToken cancellationToken = default)
    {
        var entries = db.GlEntries.AsQueryable();
        if (through is { } last)
        {
            entries = entries.Where(g => g.EffectiveOn <= last);
        }

        var totals = await entries.GroupBy(g => g.GlAccount)
            .Select(g => new { GlAccount = g.Key, Debits = g.Sum(x => x.DebitCents), Credits = g.Sum(x => x.CreditCents) })
            .ToListAsync(cancellationToken);
        var transactions = db.FinancialTransactions.AsQueryable();
        if (through is { } end)
        {
            transactions = transactions.Where(t => t.EffectiveOn <= end);
        }

        // The sub-ledger side: with no date, the open items; through a date, the transactions' effect on accounts.
        var subLedger = through is null
            ? await db.OpenItems.SumAsync(o => o.OpenCents, cancellationToken)
            : await transactions.SumAsync(t => t.AmountCents, cancellationToken);
        return TrialBalance.From(totals.Select(t => (t.GlAccount, Money.FromCents(t.Debits), Money.FromCents(t.Credits))), Money.FromCents(subLedger));
    }

    /// <summary>Aged receivables from the open items, aged from their bill dates as of <paramref name="asOf"/>.</summary>
    public async Task<AgingReport> AgingAsync(DateOnly asOf, int detailLimit = 500, CancellationToken cancellationToken = default)
    {
        var items = await db.OpenItems.AsNoTracking().Where(o => o.OpenCents != 0)
            .Select(o => new { o.AccountId, o.PostedOn, o.OpenCents }).ToListAsync(cancellationToken);
        var accounts = await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.AccountNumber, a.Class }).ToDictionaryAsync(a => a.Id, cancellationToken);
        var rows = items.GroupBy(i => i.AccountId)
            .Select(g => new AgingRow(g.Key, accounts[g.Key].AccountNumber, accounts[g.Key].Class.ToString(),
                Aging.Compute(g.Select(i => new AgingItem(i.PostedOn, Money.FromCents(i.OpenCents))), asOf)))
            .ToList();
        var totals = rows.Aggregate(AgingBuckets.Empty, (sum, r) => sum + r.Buckets);
        var byClass = rows.GroupBy(r => r.Class).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count(), g.Aggregate(AgingBuckets.Empty, (sum, r) => sum + r.Buckets))).ToList();
        var detail = rows.OrderByDescending(r => r.Buckets.Arrears.Cents).ThenByDescending(r => r.Buckets.Total.Cents).Take(detailLimit).ToList();
        return new AgingReport(asOf, totals, byClass, detail);
    }
}
