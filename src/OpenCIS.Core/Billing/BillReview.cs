using System.Collections.Immutable;
using System.Globalization;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Billing;

/// <summary>
/// The pre-bill review's rules for one class of account. A bill is held when any rule it has says so: high or low against
/// the account's history (by more than the percent and more than the amount, both where both are set), zero use on a
/// metered service, more than a very large amount, a negative total, or the account's first bill. No rule set: nothing held.
/// </summary>
public sealed record BillReviewRules
{
    public static readonly BillReviewRules None = new();

    public decimal? HighPercent { get; init; }
    public Money? HighAmount { get; init; }
    public decimal? LowPercent { get; init; }
    public Money? LowAmount { get; init; }
    public bool ZeroUse { get; init; }
    public Money? VeryLarge { get; init; }
    public bool Negative { get; init; }
    public bool FirstBill { get; init; }

    /// <summary>How many earlier bills a high or low comparison needs: with fewer, the average says too little.</summary>
    public const int HistoryBillsNeeded = 3;

    public bool IsEmpty => this == None;

    public bool NeedsHistory => HighPercent is not null || HighAmount is not null || LowPercent is not null || LowAmount is not null;
}

/// <summary>The account's recent bills as the review compares with them: how many, and their average current charges.</summary>
public sealed record BillHistory(int Bills, Money AverageCharges);

/// <summary>Decides which rules a proposed bill fails, each reason in words a clerk acts on (no history: the account has no bill before this one). Pure.</summary>
public static class BillReview
{
    public static ImmutableArray<string> Reasons(BillProposal bill, BillReviewRules rules, BillHistory? history)
    {
        ArgumentNullException.ThrowIfNull(bill);
        ArgumentNullException.ThrowIfNull(rules);
        var reasons = ImmutableArray.CreateBuilder<string>();
        var total = bill.Total;
        if (rules.FirstBill && history is null)
        {
            reasons.Add("First bill of the account.");
        }

        if (rules.Negative && total.IsNegative)
        {
            reasons.Add($"Negative bill: {total}.");
        }

        if (rules.VeryLarge is { } large && total > large)
        {
            reasons.Add($"Very large: {total} is over {large}.");
        }

        if (rules.ZeroUse)
        {
            foreach (var segment in bill.Segments.Where(s => s.Reads is not null && s.Usage is { Value: 0m }))
            {
                reasons.Add($"Zero use on the {segment.Service.ToString().ToLowerInvariant()} meter {segment.Reads!.Meter.Serial}.");
            }
        }

        if (history is { Bills: >= BillReviewRules.HistoryBillsNeeded, AverageCharges: var average } && average.IsPositive)
        {
            var difference = total - average;
            var percent = difference.Cents * 100m / average.Cents;
            if ((rules.HighPercent is not null || rules.HighAmount is not null) && difference.IsPositive
                && (rules.HighPercent is not { } high || percent > high) && (rules.HighAmount is not { } highAmount || difference > highAmount))
            {
                reasons.Add($"High: {total} is {Percent(percent)} ({difference}) above the average {average} of the last {history.Bills} bills.");
            }

            if ((rules.LowPercent is not null || rules.LowAmount is not null) && difference.IsNegative
                && (rules.LowPercent is not { } low || -percent > low) && (rules.LowAmount is not { } lowAmount || -difference > lowAmount))
            {
                reasons.Add($"Low: {total} is {Percent(-percent)} ({-difference}) below the average {average} of the last {history.Bills} bills.");
            }
        }

        return reasons.ToImmutable();
    }

    private static string Percent(decimal percent) => decimal.Round(percent, 0, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture) + "%";
}
