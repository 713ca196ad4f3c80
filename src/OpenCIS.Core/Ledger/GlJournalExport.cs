using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Ledger;

/// <summary>A GL entry as the export reads it.</summary>
public sealed record GlPosting(DateOnly EffectiveOn, string GlAccount, Money Debit, Money Credit);

/// <summary>One journal line for the ERP: a GL account's net activity in one fund on one day, with the account's department and name from the chart.</summary>
public sealed record GlJournalLine(DateOnly EffectiveOn, string Fund, string Department, string GlAccount, string Description, Money Debit, Money Credit);

/// <summary>
/// The journal the city's ERP imports: one line per day, fund and GL account (the ERP wants
/// summaries, and the sub-ledger keeps the detail), netted to a debit or a credit. Cash and
/// receivables are pooled in the general fund, so each day every fund is brought to balance with
/// a line on <see cref="GlAccounts.DueToFromOtherFunds"/> (in the department the chart gives it);
/// those lines sum to zero across funds. Funds and departments come from the city's chart.
/// </summary>
public static class GlJournalExport
{
    public const int FixedWidthRecordLength = 80;

    public static ImmutableArray<GlJournalLine> Summarize(IEnumerable<GlPosting> postings, ChartOfAccounts chart)
    {
        var dueTo = chart[GlAccounts.DueToFromOtherFunds];
        var lines = new List<GlJournalLine>();
        foreach (var day in postings.GroupBy(p => p.EffectiveOn).OrderBy(g => g.Key))
        {
            foreach (var fund in day.GroupBy(p => chart.FundOf(p.GlAccount)).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var fundNet = Money.Zero;
                foreach (var account in fund.GroupBy(p => p.GlAccount).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    var net = Money.Sum(account.Select(p => p.Debit)) - Money.Sum(account.Select(p => p.Credit));
                    fundNet += net;
                    if (!net.IsZero)
                    {
                        lines.Add(Line(day.Key, fund.Key, chart[account.Key], net));
                    }
                }

                if (!fundNet.IsZero)
                {
                    lines.Add(Line(day.Key, fund.Key, dueTo, -fundNet));
                }
            }
        }

        return [.. lines];
    }

    /// <summary>Debits minus credits per fund: zero for every fund in a correct export.</summary>
    public static IReadOnlyDictionary<string, Money> NetByFund(IEnumerable<GlJournalLine> lines) =>
        lines.GroupBy(l => l.Fund).ToDictionary(g => g.Key, g => Money.Sum(g.Select(l => l.Debit)) - Money.Sum(g.Select(l => l.Credit)));

    public static string ToCsv(IEnumerable<GlJournalLine> lines)
    {
        var csv = new StringBuilder("date,fund,department,gl_account,description,debit,credit\r\n");
        foreach (var line in lines)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{line.EffectiveOn:yyyy-MM-dd},{Csv.Field(line.Fund)},{Csv.Field(line.Department)},{Csv.Field(line.GlAccount)},{Csv.Field(line.Description)},{line.Debit.ToPlainString()},{line.Credit.ToPlainString()}\r\n");
        }

        return csv.ToString();
    }

    /// <summary>The fixed-width layout of docs/gl-export.md: 80 characters a record, CRLF.</summary>
    public static string ToFixedWidth(IEnumerable<GlJournalLine> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            var description = line.Description;
            description = description.Length > 30 ? description[..30] : description.PadRight(30);
            var record = string.Create(CultureInfo.InvariantCulture,
                $"{line.EffectiveOn:yyyyMMdd}{line.Fund,2}{line.Department,4}{line.GlAccount,-6}{line.Debit.Cents:000000000000000}{line.Credit.Cents:000000000000000}{description}");
            if (record.Length != FixedWidthRecordLength)
            {
                throw new InvalidOperationException($"GL export record for {line.GlAccount} is {record.Length} characters, not {FixedWidthRecordLength}.");
            }

            text.Append(record).Append("\r\n");
        }

        return text.ToString();
    }

    private static GlJournalLine Line(DateOnly day, string fund, GlAccountDefinition account, Money net) =>
        net.IsNegative
            ? new(day, fund, account.Department, account.Code, account.Name, Money.Zero, -net)
            : new(day, fund, account.Department, account.Code, account.Name, net, Money.Zero);
}
