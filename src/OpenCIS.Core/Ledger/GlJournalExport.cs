using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Ledger;

/// <summary>A GL entry as the export reads it.</summary>
public sealed record GlPosting(DateOnly EffectiveOn, string GlAccount, Money Debit, Money Credit);

/// <summary>One journal line for the ERP: a GL account's net activity in one fund on one day.</summary>
public sealed record GlJournalLine(DateOnly EffectiveOn, Fund Fund, string GlAccount, Money Debit, Money Credit);

/// <summary>
/// The journal the city's ERP imports: one line per day, fund and GL account (the ERP wants
/// summaries, and the sub-ledger keeps the detail), netted to a debit or a credit. Cash and
/// receivables are pooled in the general fund, so each day every fund is brought to balance with
/// a line on <see cref="GlAccounts.DueToFromOtherFunds"/>; those lines sum to zero across funds.
/// </summary>
public static class GlJournalExport
{
    public const int FixedWidthRecordLength = 76;

    public static ImmutableArray<GlJournalLine> Summarize(IEnumerable<GlPosting> postings)
    {
        var lines = new List<GlJournalLine>();
        foreach (var day in postings.GroupBy(p => p.EffectiveOn).OrderBy(g => g.Key))
        {
            foreach (var fund in day.GroupBy(p => GlAccounts.FundFor(p.GlAccount)).OrderBy(g => g.Key))
            {
                var fundNet = Money.Zero;
                foreach (var account in fund.GroupBy(p => p.GlAccount).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    var net = Money.Sum(account.Select(p => p.Debit)) - Money.Sum(account.Select(p => p.Credit));
                    fundNet += net;
                    if (!net.IsZero)
                    {
                        lines.Add(Line(day.Key, fund.Key, account.Key, net));
                    }
                }

                if (!fundNet.IsZero)
                {
                    lines.Add(Line(day.Key, fund.Key, GlAccounts.DueToFromOtherFunds, -fundNet));
                }
            }
        }

        return [.. lines];
    }

    /// <summary>Debits minus credits per fund: zero for every fund in a correct export.</summary>
    public static IReadOnlyDictionary<Fund, Money> NetByFund(IEnumerable<GlJournalLine> lines) =>
        lines.GroupBy(l => l.Fund).ToDictionary(g => g.Key, g => Money.Sum(g.Select(l => l.Debit)) - Money.Sum(g.Select(l => l.Credit)));

    public static string ToCsv(IEnumerable<GlJournalLine> lines)
    {
        var csv = new StringBuilder("date,fund,gl_account,description,debit,credit\r\n");
        foreach (var line in lines)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{line.EffectiveOn:yyyy-MM-dd},{(int)line.Fund},{line.GlAccount},{Csv.Field(GlAccounts.NameOf(line.GlAccount))},{line.Debit.ToPlainString()},{line.Credit.ToPlainString()}\r\n");
        }

        return csv.ToString();
    }

    /// <summary>The fixed-width layout of docs/gl-export.md: 76 characters a record, CRLF.</summary>
    public static string ToFixedWidth(IEnumerable<GlJournalLine> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            var description = GlAccounts.NameOf(line.GlAccount);
            description = description.Length > 30 ? description[..30] : description.PadRight(30);
            var record = string.Create(CultureInfo.InvariantCulture,
                $"{line.EffectiveOn:yyyyMMdd}{(int)line.Fund:00}{line.GlAccount,-6}{line.Debit.Cents:000000000000000}{line.Credit.Cents:000000000000000}{description}");
            if (record.Length != FixedWidthRecordLength)
            {
                throw new InvalidOperationException($"GL export record for {line.GlAccount} is {record.Length} characters, not {FixedWidthRecordLength}.");
            }

            text.Append(record).Append("\r\n");
        }

        return text.ToString();
    }

    private static GlJournalLine Line(DateOnly day, Fund fund, string glAccount, Money net) =>
        net.IsNegative ? new(day, fund, glAccount, Money.Zero, -net) : new(day, fund, glAccount, net, Money.Zero);
}

/// <summary>CSV quoting (RFC 4180) for report exports.</summary>
public static class Csv
{
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
