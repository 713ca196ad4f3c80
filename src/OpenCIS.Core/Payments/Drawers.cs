using System.Collections.Immutable;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Payments;

/// <summary>Where a cashier's drawer session stands: open takes payments; closed waits for a supervisor; approved is final.</summary>
public enum DrawerStatus
{
    Open,
    Closed,
    Approved,
}

/// <summary>
/// One part of what a customer hands over for one payment. Amount is what was tendered in this
/// form; for cash it may exceed what the payment needs, and the difference is handed back as change.
/// A card part carries only the processor's token and the last four digits, never the card number.
/// </summary>
public sealed record TenderPart(Tender Tender, Money Amount, string? Reference = null, string? CardToken = null, string? CardLastFour = null);

/// <summary>
/// A split-tender payment decided: the parts as they stay in the drawer (cash net of change),
/// the change handed back, and the total tendered.
/// </summary>
public sealed record TenderedPayment(Money Applied, Money Tendered, Money ChangeDue, ImmutableArray<TenderPart> Kept);

/// <summary>The pure rules of a cashier's drawer: tenders, change, expected totals, over/short and approval.</summary>
public static class DrawerRules
{
    /// <summary>A limit on parts per payment, so a typing loop cannot build a thousand-part payment.</summary>
    public const int TenderPartsMax = 10;

    /// <summary>Every tender in the order drawer screens and deposit slips list them.</summary>
    public static ImmutableArray<Tender> AllTenders { get; } = [.. Enum.GetValues<Tender>()];

    /// <summary>
    /// Checks a split-tender payment of <paramref name="applied"/> and works out the change.
    /// The parts must cover the payment; any excess must come from cash (change is given only in
    /// cash, and never more than the cash handed over). Errors name the field at fault.
    /// </summary>
    public static TenderedPayment DecideTender(Money applied, IReadOnlyList<TenderPart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (!applied.IsPositive)
        {
            throw new DomainException("The payment amount must be more than zero.", "amount");
        }

        if (parts.Count == 0)
        {
            throw new DomainException("A payment needs at least one tender.", "tenders");
        }

        if (parts.Count > TenderPartsMax)
        {
            throw new DomainException($"A payment takes at most {TenderPartsMax} tenders.", "tenders");
        }

        for (var index = 0; index < parts.Count; index++)
        {
            CheckPart(parts[index], $"tenders[{index}]");
        }

        var tendered = Money.Sum(parts.Select(p => p.Amount));
        if (tendered < applied)
        {
            throw new DomainException($"The tenders total {tendered}, less than the payment of {applied}.", "tenders");
        }

        var change = tendered - applied;
        var cash = Money.Sum(parts.Where(p => p.Tender == Tender.Cash).Select(p => p.Amount));
        if (change > cash)
        {
            throw new DomainException($"The tenders total {tendered} for a payment of {applied}; change is given only from cash, and only {cash} was cash.", "tenders");
        }

        // Change comes out of the cash parts, last first, so the drawer keeps what the payment needs.
        var kept = parts.ToArray();
        var remaining = change;
        for (var index = kept.Length - 1; index >= 0 && remaining.IsPositive; index--)
        {
            if (kept[index].Tender != Tender.Cash)
            {
                continue;
            }

            var taken = Money.Min(kept[index].Amount, remaining);
            kept[index] = kept[index] with { Amount = kept[index].Amount - taken };
            remaining -= taken;
        }

        var result = new TenderedPayment(applied, tendered, change, [.. kept.Where(p => p.Amount.IsPositive)]);
        if (Money.Sum(result.Kept.Select(p => p.Amount)) != applied)
        {
            throw new InvalidOperationException("The kept tenders must equal the payment applied.");
        }

        return result;
    }

    private static void CheckPart(TenderPart part, string field)
    {
        if (!part.Amount.IsPositive)
        {
            throw new DomainException("Each tender must be more than zero.", field + ".amount");
        }

        foreach (var text in new[] { part.Reference, part.CardToken, part.CardLastFour })
        {
            if (CardNumbers.LooksLikeCardNumber(text))
            {
                throw new DomainException("That looks like a full card number. Enter only the processor's token and the last four digits.", field);
            }
        }

        if (part.Tender == Tender.Card)
        {
            if (string.IsNullOrWhiteSpace(part.CardToken))
            {
                throw new DomainException("A card payment needs the processor's token.", field + ".cardToken");
            }

            if (part.CardLastFour is not { Length: 4 } lastFour || !lastFour.All(char.IsAsciiDigit))
            {
                throw new DomainException("A card payment needs exactly the last four digits of the card.", field + ".cardLastFour");
            }
        }
        else if (part.CardToken is not null || part.CardLastFour is not null)
        {
            throw new DomainException("Only a card tender carries a card token or last four digits.", field);
        }
    }

    /// <summary>What the drawer should hold by tender: the starting float in cash plus every kept tender part.</summary>
    public static ImmutableDictionary<Tender, Money> ExpectedTotals(Money startingFloat, IEnumerable<TenderPart> keptParts)
    {
        ArgumentNullException.ThrowIfNull(keptParts);
        if (startingFloat.IsNegative)
        {
            throw new DomainException("The starting float cannot be negative.", "startingFloat");
        }

        var totals = AllTenders.ToDictionary(t => t, _ => Money.Zero);
        totals[Tender.Cash] = startingFloat;
        foreach (var part in keptParts)
        {
            totals[part.Tender] += part.Amount;
        }

        return totals.ToImmutableDictionary();
    }

    /// <summary>Over (positive) or short (negative) by tender: counted minus expected; a tender not counted counts as zero.</summary>
    public static DrawerBalance Balance(IReadOnlyDictionary<Tender, Money> expected, IReadOnlyDictionary<Tender, Money> counted)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(counted);
        foreach (var (tender, amount) in counted)
        {
            if (amount.IsNegative)
            {
                throw new DomainException("A counted total cannot be negative.", "counted." + tender);
            }
        }

        var overShort = AllTenders.ToImmutableDictionary(
            t => t,
            t => counted.GetValueOrDefault(t) - expected.GetValueOrDefault(t));
        return new DrawerBalance(overShort, Money.Sum(overShort.Values));
    }

    /// <summary>
    /// Who may approve a closed drawer. Never the cashier who counted it; and any difference, over
    /// or short in any tender (even if they cancel out), needs a supervisor. Returns the reason it
    /// is refused, or null when the approval may stand.
    /// </summary>
    public static string? ApprovalRefusal(string cashier, string approver, bool approverIsSupervisor, DrawerBalance balance)
    {
        ArgumentNullException.ThrowIfNull(balance);
        if (string.Equals(cashier, approver, StringComparison.OrdinalIgnoreCase))
        {
            return "A cashier cannot approve their own drawer.";
        }

        if (balance.HasDifference && !approverIsSupervisor)
        {
            return "A drawer that is over or short needs a supervisor's approval.";
        }

        return null;
    }
}

/// <summary>Over/short by tender (counted minus expected) and in total.</summary>
public sealed record DrawerBalance(ImmutableDictionary<Tender, Money> OverShort, Money Total)
{
    /// <summary>True when any tender is over or short, even if the differences cancel out in total.</summary>
    public bool HasDifference => OverShort.Values.Any(v => !v.IsZero);
}
