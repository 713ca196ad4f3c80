using OpenCIS.Core.Common;

namespace OpenCIS.Core.Collections;

/// <summary>A late charge for one bill, or none, with the calculation or the reason in words.</summary>
public sealed record LateChargeDecision(Money Amount, string Explanation)
{
    public bool Charged => Amount.IsPositive;
}

/// <summary>A payment as the late charge sees it: its date and amount. An ACH debit already in a file counts as paid on its date.</summary>
public readonly record struct LateChargePayment(DateOnly On, Money Amount, bool AchInFile = false);

/// <summary>
/// The late charge for one bill under a policy's rule. Pure: the same bill, payments, rule and business
/// date always give the same charge. One charge per bill; a bill paid in full by its due date is never
/// charged; partial payments reduce the base; earlier late charges are in the base only when the rule says so.
/// </summary>
public static class LateCharges
{
    /// <summary>The first day a bill can be charged: the day after its due date plus the grace days.</summary>
    public static DateOnly AssessedFrom(LateChargeRule rule, DateOnly dueDate) => dueDate.AddDays(rule.GraceDays + 1);

    /// <summary>The charge for a bill given its payments (those dated after the business date are not yet received).</summary>
    public static LateChargeDecision ForBill(
        LateChargeRule rule,
        string accountClass,
        Money billAmount,
        DateOnly dueDate,
        IEnumerable<LateChargePayment> payments,
        Money earlierLateChargesUnpaid,
        bool alreadyCharged,
        DateOnly businessDate)
    {
        var paidByDueDate = Money.Zero;
        var paidByBusinessDate = Money.Zero;
        foreach (var payment in payments)
        {
            if (payment.On <= dueDate)
            {
                paidByDueDate += payment.Amount;
            }

            if (payment.On <= businessDate)
            {
                paidByBusinessDate += payment.Amount;
            }
        }

        return Decide(rule, accountClass, billAmount, dueDate, paidByDueDate, paidByBusinessDate, earlierLateChargesUnpaid, alreadyCharged, businessDate);
    }

    /// <summary>
    /// The charge from sums already made: what was paid on the bill by its due date and by the business date.
    /// The collection timeline calls this one, so a day of the run allocates nothing but the explanation.
    /// </summary>
    public static LateChargeDecision Decide(
        LateChargeRule rule,
        string accountClass,
        Money billAmount,
        DateOnly dueDate,
        Money paidByDueDate,
        Money paidByBusinessDate,
        Money earlierLateChargesUnpaid,
        bool alreadyCharged,
        DateOnly businessDate)
    {
        if (alreadyCharged)
        {
            return new(Money.Zero, "already charged: one late charge per bill");
        }

        if (paidByDueDate >= billAmount)
        {
            return new(Money.Zero, $"paid by the due date ({CollectionText.Date(dueDate)})");
        }

        var from = AssessedFrom(rule, dueDate);
        if (businessDate < from)
        {
            return new(Money.Zero, rule.GraceDays == 0
                ? $"not late until {CollectionText.Date(from)}"
                : $"within the {CollectionText.Days(rule.GraceDays)} of grace after the due date; late from {CollectionText.Date(from)}");
        }

        if (CollectionPolicy.Contains(rule.ExemptClasses, accountClass))
        {
            return new(Money.Zero, $"class {CollectionText.Class(accountClass)} is exempt");
        }

        var unpaid = billAmount - paidByBusinessDate;
        if (!unpaid.IsPositive)
        {
            return new(Money.Zero, $"paid in full by {CollectionText.Date(businessDate)}, within the grace days");
        }

        var earlier = rule.OnEarlierLateCharges && earlierLateChargesUnpaid.IsPositive ? earlierLateChargesUnpaid : Money.Zero;
        var chargeBase = unpaid + earlier;
        if (chargeBase < rule.MinimumPastDue)
        {
            return new(Money.Zero, $"balance {chargeBase} under the {rule.MinimumPastDue} minimum");
        }

        var baseText = earlier.IsZero ? $"{chargeBase} past due" : $"{chargeBase} past due (bill {unpaid} + earlier late charges {earlier})";
        var percentAmount = Money.Round(chargeBase.Dollars * rule.Percent / 100m);
        var percentText = $"{CollectionText.Percent(rule.Percent)} of {baseText}";
        var (amount, text) = rule.Form switch
        {
            LateChargeForm.Percent => (percentAmount, $"{percentText} = {percentAmount}"),
            LateChargeForm.Flat => (rule.Flat, $"flat {rule.Flat}"),
            LateChargeForm.GreaterOf => (Money.Max(percentAmount, rule.Flat), $"greater of {percentText} ({percentAmount}) and {rule.Flat} = {Money.Max(percentAmount, rule.Flat)}"),
            _ => (Money.Min(percentAmount, rule.Flat), $"lesser of {percentText} ({percentAmount}) and {rule.Flat} = {Money.Min(percentAmount, rule.Flat)}"),
        };

        if (rule.Minimum is { } minimum && amount < minimum)
        {
            amount = minimum;
            text += $", raised to the {minimum} minimum";
        }

        if (rule.Maximum is { } maximum && amount > maximum)
        {
            amount = maximum;
            text += $", capped at the {maximum} maximum";
        }

        return amount.IsPositive ? new(amount, text) : new(Money.Zero, $"the rule charges nothing ({text})");
    }
}
