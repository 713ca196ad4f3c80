using System.Collections.Immutable;
using System.Globalization;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Bankruptcy;

/// <summary>The chapter of the Bankruptcy Code a petition is filed under.</summary>
public enum BankruptcyChapter
{
    Chapter7 = 7,
    Chapter11 = 11,
    Chapter12 = 12,
    Chapter13 = 13,
}

/// <summary>Where a case stands: open (the stay in force), or closed by a discharge or a dismissal.</summary>
public enum BankruptcyStatus
{
    Open,
    Discharged,
    Dismissed,
}

/// <summary>
/// Part of a pre-petition claim: what an account owed for one service on the petition date, due on the oldest due date
/// among it, and what of it is still open (trustee payments reduce it).
/// </summary>
public sealed record ClaimPart(long Key, Service? Service, DateOnly DueOn, Money Open);

/// <summary>
/// The rules of a bankruptcy case that need no database: the petition date, what of an account's open charges is
/// pre-petition, how a trustee's payment spreads over the claim, and the case in words.
/// </summary>
public static class Bankruptcies
{
    public const int CaseNumberLengthMax = 40;
    public const int CourtLengthMax = 120;
    public const int NameLengthMax = 120;
    public const int NoteLengthMax = 300;

    /// <summary>The chapters a city sees: liquidation (7), reorganization (11), family farmer (12) and wage earner's plan (13).</summary>
    public static string Words(BankruptcyChapter chapter) => $"Chapter {(int)chapter}";

    /// <summary>The case as a collector or a court reads it: "Chapter 13 case 26-bk-14410 (N.D. Ill.), petition Sep 22, 2026".</summary>
    public static string Describe(BankruptcyChapter chapter, string caseNumber, string court, DateOnly petitionDate) =>
        $"{Words(chapter)} case {caseNumber} ({court}), petition {petitionDate.ToString("MMM d, yyyy", CultureInfo.InvariantCulture)}";

    /// <summary>A petition is dated on or before the day it is entered: a case is entered once filed.</summary>
    public static void CheckPetitionDate(DateOnly petitionDate, DateOnly today)
    {
        if (petitionDate > today)
        {
            throw new DomainException($"The petition date {petitionDate:yyyy-MM-dd} is after today ({today:yyyy-MM-dd}); enter a case once it is filed.", "petitionDate");
        }
    }

    /// <summary>Whether an open charge is pre-petition: posted on or before the petition date. What is posted after it is billed and collected as usual.</summary>
    public static bool IsPrePetition(DateOnly postedOn, DateOnly petitionDate) => postedOn <= petitionDate;

    /// <summary>
    /// Spreads a trustee's payment over the claim's open parts, oldest due first (then in the order given), never more
    /// than a part has open. A payment larger than the claim is refused: the trustee's overpayment goes back to the trustee.
    /// </summary>
    public static ImmutableArray<(long Key, Money Amount)> ApplyPayment(IEnumerable<ClaimPart> parts, Money amount)
    {
        if (!amount.IsPositive)
        {
            throw new DomainException($"A trustee's payment must be more than zero; {amount} was given.", "amount");
        }

        var open = parts.Where(p => p.Open.IsPositive).Select((p, i) => (Part: p, Order: i)).OrderBy(p => p.Part.DueOn).ThenBy(p => p.Order).Select(p => p.Part).ToList();
        var owed = Money.Sum(open.Select(p => p.Open));
        if (amount > owed)
        {
            throw new DomainException($"The trustee's payment of {amount} is more than the {owed} still owed on the pre-petition claim; return the difference to the trustee.", "amount");
        }

        var applied = ImmutableArray.CreateBuilder<(long, Money)>();
        var left = amount;
        foreach (var part in open)
        {
            if (!left.IsPositive)
            {
                break;
            }

            var take = Money.Min(left, part.Open);
            applied.Add((part.Key, take));
            left -= take;
        }

        return applied.ToImmutable();
    }
}
