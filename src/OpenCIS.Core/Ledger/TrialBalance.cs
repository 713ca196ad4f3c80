using System.Collections.Immutable;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Ledger;

public sealed record TrialBalanceRow(string GlAccount, string Name, Money Debits, Money Credits)
{
    /// <summary>Debit balance positive, credit balance negative.</summary>
    public Money Balance => Debits - Credits;
}

/// <summary>
/// The trial balance by GL account and its tie-out: total debits equal total credits, and the
/// receivables control account equals the sum of customer account balances in the sub-ledger.
/// </summary>
public sealed record TrialBalance(ImmutableArray<TrialBalanceRow> Rows, Money SubLedgerTotal)
{
    public Money TotalDebits => Money.Sum(Rows.Select(r => r.Debits));
    public Money TotalCredits => Money.Sum(Rows.Select(r => r.Credits));
    public Money ReceivableControl => Rows.Where(r => r.GlAccount == GlAccounts.AccountsReceivable).Select(r => r.Balance).FirstOrDefault();
    public bool Balances => TotalDebits == TotalCredits;
    public bool TiesToSubLedger => ReceivableControl == SubLedgerTotal;

    public static TrialBalance From(IEnumerable<(string GlAccount, Money Debits, Money Credits)> totals, Money subLedgerTotal, ChartOfAccounts chart) =>
        new(totals.OrderBy(t => t.GlAccount, StringComparer.Ordinal)
                  .Select(t => new TrialBalanceRow(t.GlAccount, chart.NameOf(t.GlAccount), t.Debits, t.Credits))
                  .ToImmutableArray(),
            subLedgerTotal);
}
