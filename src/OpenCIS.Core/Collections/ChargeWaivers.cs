using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Core.Collections;

/// <summary>Whether a waiver posts now as a courtesy or waits for a Supervisor, and why.</summary>
public sealed record WaiverDecision(bool Courtesy, string Reason);

/// <summary>
/// Waiving a late charge or collection fee. A clerk may waive as many charges an account in twelve months as
/// the policy's courtesy allows; a waiver beyond that needs a Supervisor. The waiver is the exact mirror of
/// the charge's posting, so each late-charge revenue account it credited is debited back.
/// </summary>
public static class ChargeWaivers
{
    /// <summary>The postings a waiver can undo.</summary>
    public static bool IsWaivable(FinancialTransactionType type) => type is FinancialTransactionType.LateCharge or FinancialTransactionType.CollectionFee;

    /// <summary>
    /// Decides a waiver asked for on <paramref name="today"/>, given the dates of the courtesy waivers the
    /// account already had. Those in the twelve months up to today count against <paramref name="courtesyPer12Months"/>.
    /// </summary>
    public static WaiverDecision Decide(int courtesyPer12Months, IEnumerable<DateOnly> courtesyWaivedOn, DateOnly today)
    {
        var since = today.AddMonths(-12);
        var recent = courtesyWaivedOn.Where(d => d > since && d <= today).Order().ToList();
        if (recent.Count < courtesyPer12Months)
        {
            return new WaiverDecision(true, $"courtesy waiver {recent.Count + 1} of {courtesyPer12Months} in 12 months");
        }

        return courtesyPer12Months == 0
            ? new WaiverDecision(false, "the policy allows no courtesy waivers, so a Supervisor must approve")
            : new WaiverDecision(false,
                $"the courtesy limit of {courtesyPer12Months} in 12 months is used (last on {recent[^1]:yyyy-MM-dd}), so a Supervisor must approve");
    }

    /// <summary>The waiver's posting: the exact mirror of the charge's.</summary>
    public static Posting Posting(Posting charge) =>
        IsWaivable(charge.Type)
            ? PostingRules.Reverse(charge, FinancialTransactionType.CollectionWaiver)
            : throw new DomainException($"A {charge.Type} cannot be waived; only late charges and collection fees can.", "transactionId");
}
