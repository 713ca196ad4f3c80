using System.Collections.Immutable;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Reports;

/// <summary>The ledger reports: trial balance to a date and for a period with their tie-out, and the GL journal export. Aging is <see cref="ReceivablesAging"/>.</summary>
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
        var chart = await Ledger.LedgerConfiguration.LoadChartAsync(db, cancellationToken);
        return TrialBalance.From(totals.Select(t => (t.GlAccount, Money.FromCents(t.Debits), Money.FromCents(t.Credits))), Money.FromCents(subLedger), chart);
    }

    /// <summary>
    /// The trial balance for a period, both dates inclusive: opening balances from every GL entry
    /// before it, then its debits and credits. The receivable's closing balance is tied to the
    /// sub-ledger as of the last day, summed from the customers' transactions rather than the GL.
    /// </summary>
    public async Task<PeriodTrialBalance> PeriodTrialBalanceAsync(DateOnly from, DateOnly through, CancellationToken cancellationToken = default)
    {
        if (through < from)
        {
            throw new DomainException($"The period ends {through:yyyy-MM-dd}, before it starts {from:yyyy-MM-dd}.", "through");
        }

        var before = await db.GlEntries.Where(g => g.EffectiveOn < from).GroupBy(g => g.GlAccount)
            .Select(g => new { GlAccount = g.Key, Debits = g.Sum(x => x.DebitCents), Credits = g.Sum(x => x.CreditCents) })
            .ToListAsync(cancellationToken);
        var during = await db.GlEntries.Where(g => g.EffectiveOn >= from && g.EffectiveOn <= through).GroupBy(g => g.GlAccount)
            .Select(g => new { GlAccount = g.Key, Debits = g.Sum(x => x.DebitCents), Credits = g.Sum(x => x.CreditCents) })
            .ToListAsync(cancellationToken);
        var subLedger = await db.FinancialTransactions.Where(t => t.EffectiveOn <= through).SumAsync(t => t.AmountCents, cancellationToken);
        return PeriodTrialBalance.Compute(from, through,
            before.Select(b => (b.GlAccount, Money.FromCents(b.Debits), Money.FromCents(b.Credits))),
            during.Select(d => (d.GlAccount, Money.FromCents(d.Debits), Money.FromCents(d.Credits))),
            Money.FromCents(subLedger),
            await Ledger.LedgerConfiguration.LoadChartAsync(db, cancellationToken));
    }

    /// <summary>The GL journal for the city's ERP over a period: summarized in the database by day and account, balanced per fund in the core.</summary>
    public async Task<ImmutableArray<GlJournalLine>> GlJournalAsync(DateOnly from, DateOnly through, CancellationToken cancellationToken = default)
    {
        if (through < from)
        {
            throw new DomainException($"The period ends {through:yyyy-MM-dd}, before it starts {from:yyyy-MM-dd}.", "through");
        }

        var daily = await db.GlEntries.Where(g => g.EffectiveOn >= from && g.EffectiveOn <= through)
            .GroupBy(g => new { g.EffectiveOn, g.GlAccount })
            .Select(g => new { g.Key.EffectiveOn, g.Key.GlAccount, Debits = g.Sum(x => x.DebitCents), Credits = g.Sum(x => x.CreditCents) })
            .ToListAsync(cancellationToken);
        var chart = await Ledger.LedgerConfiguration.LoadChartAsync(db, cancellationToken);
        return GlJournalExport.Summarize(daily.Select(d => new GlPosting(d.EffectiveOn, d.GlAccount, Money.FromCents(d.Debits), Money.FromCents(d.Credits))), chart);
    }

    /// <summary>The period trial balance as CSV, amounts in dollars.</summary>
    public static string PeriodTrialBalanceCsv(PeriodTrialBalance trialBalance)
    {
        var csv = new System.Text.StringBuilder("gl_account,name,fund,department,opening,debits,credits,closing\r\n");
        foreach (var row in trialBalance.Rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Csv.Field(row.GlAccount)},{Csv.Field(row.Name)},{Csv.Field(row.Fund)},{Csv.Field(row.Department)},{row.Opening.ToPlainString()},{row.Debits.ToPlainString()},{row.Credits.ToPlainString()},{row.Closing.ToPlainString()}\r\n");
        }

        csv.Append(CultureInfo.InvariantCulture, $"total,,,,{trialBalance.TotalOpening.ToPlainString()},{trialBalance.TotalDebits.ToPlainString()},{trialBalance.TotalCredits.ToPlainString()},{trialBalance.TotalClosing.ToPlainString()}\r\n");
        return csv.ToString();
    }
}
