using System.Collections.Immutable;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Ledger;

/// <summary>One GL account over a period: balance before it, activity in it, balance after it (debit positive).</summary>
public sealed record PeriodTrialBalanceRow(string GlAccount, string Name, string Fund, string Department, Money Opening, Money Debits, Money Credits)
{
    public Money Closing => Opening + Debits - Credits;
}

/// <summary>
/// The trial balance for a period, both dates inclusive. The receivable's closing balance ties to
/// the sub-ledger total as of <see cref="Through"/>, computed independently by the caller.
/// </summary>
public sealed record PeriodTrialBalance(DateOnly From, DateOnly Through, ImmutableArray<PeriodTrialBalanceRow> Rows, Money SubLedgerAtClose)
{
    public Money TotalOpening => Money.Sum(Rows.Select(r => r.Opening));
    public Money TotalDebits => Money.Sum(Rows.Select(r => r.Debits));
    public Money TotalCredits => Money.Sum(Rows.Select(r => r.Credits));
    public Money TotalClosing => Money.Sum(Rows.Select(r => r.Closing));
    public Money ReceivableClosing => Rows.Where(r => r.GlAccount == GlAccounts.AccountsReceivable).Select(r => r.Closing).FirstOrDefault();

    /// <summary>Activity balances, and so do the opening and closing columns (each sums to zero).</summary>
    public bool Balances => TotalDebits == TotalCredits && TotalOpening.IsZero && TotalClosing.IsZero;

    public bool TiesToSubLedger => ReceivableClosing == SubLedgerAtClose;

    /// <param name="before">Debits and credits per GL account strictly before <paramref name="from"/>.</param>
    /// <param name="during">Debits and credits per GL account from <paramref name="from"/> through <paramref name="through"/>.</param>
    public static PeriodTrialBalance Compute(
        DateOnly from,
        DateOnly through,
        IEnumerable<(string GlAccount, Money Debits, Money Credits)> before,
        IEnumerable<(string GlAccount, Money Debits, Money Credits)> during,
        Money subLedgerAtClose,
        ChartOfAccounts chart)
    {
        if (through < from)
        {
            throw new DomainException($"The period ends {through:yyyy-MM-dd}, before it starts {from:yyyy-MM-dd}.");
        }

        var opening = before.GroupBy(b => b.GlAccount).ToDictionary(g => g.Key, g => Money.Sum(g.Select(x => x.Debits)) - Money.Sum(g.Select(x => x.Credits)), StringComparer.Ordinal);
        var activity = during.GroupBy(d => d.GlAccount).ToDictionary(g => g.Key, g => (Debits: Money.Sum(g.Select(x => x.Debits)), Credits: Money.Sum(g.Select(x => x.Credits))), StringComparer.Ordinal);
        var rows = opening.Keys.Union(activity.Keys, StringComparer.Ordinal)
            .OrderBy(code => chart.FundOf(code), StringComparer.Ordinal).ThenBy(code => code, StringComparer.Ordinal)
            .Select(code =>
            {
                var (debits, credits) = activity.TryGetValue(code, out var a) ? a : (Money.Zero, Money.Zero);
                var account = chart[code];
                return new PeriodTrialBalanceRow(code, account.Name, account.FundCode, account.Department, opening.GetValueOrDefault(code), debits, credits);
            })
            .ToImmutableArray();
        return new PeriodTrialBalance(from, through, rows, subLedgerAtClose);
    }
}
