using System.Collections.Immutable;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Ledger;

/// <summary>
/// An open item as allocation sees it: a charge (positive <see cref="Open"/>) or an unapplied
/// credit (negative). <see cref="Priority"/> orders charge types before age (lower first), so a
/// utility can pay deposits and fees before usage charges. <see cref="First"/> marks the charge a payment names (an
/// invoice paid by its number), which credits pay before any other.
/// </summary>
public sealed record OpenItemBalance(long Key, DateOnly DueDate, int Priority, Money Open, bool First = false);

/// <summary>One application of a credit to a charge.</summary>
public sealed record Allocation(long ChargeKey, long CreditKey, Money Amount);

/// <summary>
/// Applies open credits to open charges: credits oldest first, each to the charges a payment named
/// first, then in priority order, then oldest due date, then posting order. A credit is never applied beyond its amount
/// and a charge is never paid beyond what is open; whatever cannot be applied stays open as an
/// unapplied credit.
/// </summary>
public static class AllocationRule
{
    public static ImmutableArray<Allocation> Settle(IEnumerable<OpenItemBalance> items)
    {
        var all = items.ToList();
        var charges = all.Where(i => i.Open.IsPositive)
            .OrderBy(i => i.First ? 0 : 1).ThenBy(i => i.Priority).ThenBy(i => i.DueDate).ThenBy(i => i.Key)
            .Select(i => new Remaining(i.Key, i.Open.Cents)).ToList();
        var credits = all.Where(i => i.Open.IsNegative)
            .OrderBy(i => i.DueDate).ThenBy(i => i.Key)
            .Select(i => new Remaining(i.Key, -i.Open.Cents)).ToList();

        var allocations = ImmutableArray.CreateBuilder<Allocation>();
        var chargeIndex = 0;
        foreach (var credit in credits)
        {
            while (credit.Cents > 0 && chargeIndex < charges.Count)
            {
                var charge = charges[chargeIndex];
                var applied = Math.Min(credit.Cents, charge.Cents);
                allocations.Add(new Allocation(charge.Key, credit.Key, Money.FromCents(applied)));
                credit.Cents -= applied;
                charge.Cents -= applied;
                if (charge.Cents == 0)
                {
                    chargeIndex++;
                }
            }
        }

        return allocations.ToImmutable();
    }

    private sealed class Remaining(long key, long cents)
    {
        public long Key { get; } = key;
        public long Cents { get; set; } = cents;
    }
}
