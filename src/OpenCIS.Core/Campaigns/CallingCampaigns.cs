using System.Collections.Immutable;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Campaigns;

/// <summary>Which debts a campaign calls about: any, utility accounts (active or final), or city invoices.</summary>
public enum CampaignDebt
{
    Any,
    Utility,
    Invoice,
}

/// <summary>Where a campaign stands: open while its collectors call; closed when a Supervisor ends it (its record stays).</summary>
public enum CampaignStatus
{
    Open,
    Closed,
}

/// <summary>A target's place in the campaign: still to be worked, or done (the right party reached, or nothing more to call about).</summary>
public enum TargetStatus
{
    Open,
    Done,
}

/// <summary>
/// Who a campaign calls: accounts past due from <see cref="MinimumDaysPastDue"/> days (to <see cref="MaximumDaysPastDue"/>: an aging
/// bucket), owing between <see cref="MinimumBalance"/> and <see cref="MaximumBalance"/>, of the debt type, final accounts only if asked,
/// and only those with a broken promise to pay if asked.
/// </summary>
public sealed record CampaignCriteria(int MinimumDaysPastDue, int? MaximumDaysPastDue, Money MinimumBalance, Money? MaximumBalance, CampaignDebt Debt, bool FinalOnly, bool BrokenPromisesOnly)
{
    public const int DaysMax = 3650;

    /// <summary>The criteria in words, for the campaign's page and its export.</summary>
    public string Describe()
    {
        var parts = new List<string>
        {
            MaximumDaysPastDue is { } most ? $"{MinimumDaysPastDue}–{most} days past due" : $"{MinimumDaysPastDue} days or more past due",
            MaximumBalance is { } high ? $"owing {MinimumBalance} to {high}" : $"owing {MinimumBalance} or more",
        };
        if (Debt != CampaignDebt.Any)
        {
            parts.Add(Debt == CampaignDebt.Utility ? "utility accounts" : "city invoices");
        }

        if (FinalOnly)
        {
            parts.Add("final accounts only");
        }

        if (BrokenPromisesOnly)
        {
            parts.Add("with a broken promise to pay");
        }

        return string.Join(", ", parts);
    }

    /// <summary>Refuses criteria that could select nothing sensible, naming the field.</summary>
    public void Check()
    {
        if (MinimumDaysPastDue is < 1 or > DaysMax)
        {
            throw new DomainException($"The fewest days past due is 1 to {DaysMax}; {MinimumDaysPastDue} was given.", "minimumDaysPastDue");
        }

        if (MaximumDaysPastDue is { } most && (most < MinimumDaysPastDue || most > DaysMax))
        {
            throw new DomainException($"The most days past due ({most}) must be from {MinimumDaysPastDue} to {DaysMax}.", "maximumDaysPastDue");
        }

        if (MinimumBalance.IsNegative)
        {
            throw new DomainException("The smallest balance cannot be negative.", "minimumBalance");
        }

        if (MaximumBalance is { } high && high < MinimumBalance)
        {
            throw new DomainException($"The largest balance {high} is under the smallest {MinimumBalance}.", "maximumBalance");
        }

        if (FinalOnly && Debt == CampaignDebt.Invoice)
        {
            throw new DomainException("Final accounts are utility accounts; a campaign on city invoices cannot ask for final accounts only.", "finalOnly");
        }
    }
}

/// <summary>What the campaign knows of an account when it builds its list.</summary>
public sealed record CampaignCandidate(long AccountId, bool IsInvoice, bool IsFinal, int DaysPastDue, Money Balance, bool BrokenPromise, bool Excluded);

/// <summary>A call logged in a campaign: by whom, its outcome, whether it reached the right party, and what was promised on it.</summary>
public sealed record CampaignCall(string Collector, string Outcome, bool RightParty, Money Promised);

/// <summary>One collector's results in a campaign: calls, right-party contacts, promises and the amounts promised and collected.</summary>
public sealed record CollectorResults(string Collector, int Targets, int Calls, int RightPartyContacts, int Promises, Money Promised, Money Collected)
{
    /// <summary>The share of calls that reached the right party, in percent (0 with no calls).</summary>
    public decimal RightPartyRate => Calls == 0 ? 0m : decimal.Round(100m * RightPartyContacts / Calls, 1);
}

/// <summary>The calling campaign's rules. Pure: the use cases load the facts and store what comes back.</summary>
public static class CallingCampaigns
{
    /// <summary>The outcome codes a campaign call may end with, when the campaign names none of its own.</summary>
    public static readonly ImmutableArray<string> DefaultOutcomes = ["promise-to-pay", "paid", "refused", "disputed", "arrangement-requested", "callback-requested", "left-message", "no-answer", "wrong-number"];

    /// <summary>The outcomes that mean the debtor was reached (a right-party contact).</summary>
    public static readonly ImmutableArray<string> RightPartyOutcomes = ["promise-to-pay", "paid", "refused", "disputed", "arrangement-requested", "callback-requested", "answered", "resolved"];

    /// <summary>The outcomes after which the target needs no more calls in the campaign.</summary>
    public static readonly ImmutableArray<string> FinishingOutcomes = ["promise-to-pay", "paid", "refused", "disputed", "arrangement-requested", "wrong-number"];

    public static bool IsRightParty(string outcome) => RightPartyOutcomes.Contains(outcome);

    public static bool Finishes(string outcome) => FinishingOutcomes.Contains(outcome);

    /// <summary>Whether the account belongs on the campaign's list.</summary>
    public static bool Matches(CampaignCriteria criteria, CampaignCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        ArgumentNullException.ThrowIfNull(candidate);
        return !candidate.Excluded
            && candidate.Balance.IsPositive
            && candidate.DaysPastDue >= criteria.MinimumDaysPastDue
            && (criteria.MaximumDaysPastDue is not { } most || candidate.DaysPastDue <= most)
            && candidate.Balance >= criteria.MinimumBalance
            && (criteria.MaximumBalance is not { } high || candidate.Balance <= high)
            && criteria.Debt switch
            {
                CampaignDebt.Utility => !candidate.IsInvoice,
                CampaignDebt.Invoice => candidate.IsInvoice,
                _ => true,
            }
            && (!criteria.FinalOnly || candidate.IsFinal)
            && (!criteria.BrokenPromisesOnly || candidate.BrokenPromise);
    }

    /// <summary>
    /// Deals the targets to the collectors, largest balance first, each to the collector with the fewest on their list so far (ties: the
    /// least owed on it, then the order given): the lists are as long as each other (a day is counted in calls) and worth about the same.
    /// </summary>
    public static IReadOnlyList<(CampaignCandidate Target, string Collector)> Assign(IEnumerable<CampaignCandidate> targets, IReadOnlyList<string> collectors)
    {
        ArgumentNullException.ThrowIfNull(collectors);
        if (collectors.Count == 0)
        {
            throw new DomainException("Name at least one collector to call the list.", "collectors");
        }

        var owed = collectors.Select(_ => 0L).ToArray();
        var counts = new int[collectors.Count];
        var result = new List<(CampaignCandidate, string)>();
        foreach (var target in targets.OrderByDescending(t => t.Balance.Cents).ThenByDescending(t => t.DaysPastDue).ThenBy(t => t.AccountId))
        {
            var pick = 0;
            for (var i = 1; i < collectors.Count; i++)
            {
                if (counts[i] < counts[pick] || (counts[i] == counts[pick] && owed[i] < owed[pick]))
                {
                    pick = i;
                }
            }

            owed[pick] += target.Balance.Cents;
            counts[pick]++;
            result.Add((target, collectors[pick]));
        }

        return result;
    }

    /// <summary>Each collector's results: their calls and promises, and what was collected on their targets' accounts.</summary>
    public static IReadOnlyList<CollectorResults> Results(IReadOnlyList<string> collectors, IReadOnlyDictionary<string, int> targets, IEnumerable<CampaignCall> calls,
        IReadOnlyDictionary<string, Money> collected)
    {
        var byCollector = calls.GroupBy(c => c.Collector, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        return [.. collectors.Concat(byCollector.Keys).Distinct(StringComparer.OrdinalIgnoreCase).Select(collector =>
        {
            var mine = byCollector.GetValueOrDefault(collector) ?? [];
            var promises = mine.Where(c => c.Promised.IsPositive).ToList();
            return new CollectorResults(collector, targets.GetValueOrDefault(collector), mine.Count, mine.Count(c => c.RightParty), promises.Count,
                Money.Sum(promises.Select(c => c.Promised)), collected.GetValueOrDefault(collector, Money.Zero));
        })];
    }
}
