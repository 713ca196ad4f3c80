using OpenCIS.Core.Common;

namespace OpenCIS.Core.Billing;

/// <summary>
/// An account's equal payment plan as a bill reads it: the monthly amount billed, the month of the year the
/// plan trues up, and when its amount is next reviewed against the account's use.
/// </summary>
public sealed record BudgetPlan(Money MonthlyAmount, int TrueUpMonth, int ReviewEveryMonths, DateOnly NextReviewOn)
{
    public const int MaxReviewEveryMonths = 12;

    /// <summary>Refuses a plan a bill could not follow, naming the field.</summary>
    public static BudgetPlan Checked(Money monthlyAmount, int trueUpMonth, int reviewEveryMonths, DateOnly nextReviewOn)
    {
        if (monthlyAmount.IsNegative)
        {
            throw new DomainException($"A budget amount cannot be negative ({monthlyAmount}).", "monthlyAmount");
        }

        if (monthlyAmount.Cents % 100 != 0)
        {
            throw new DomainException($"A budget amount is whole dollars ({monthlyAmount} was given).", "monthlyAmount");
        }

        if (trueUpMonth is < 1 or > 12)
        {
            throw new DomainException($"The true-up month is 1 to 12 ({trueUpMonth} was given).", "trueUpMonth");
        }

        if (reviewEveryMonths is < 1 or > MaxReviewEveryMonths)
        {
            throw new DomainException($"The plan is reviewed every 1 to {MaxReviewEveryMonths} months ({reviewEveryMonths} was given).", "reviewEveryMonths");
        }

        return new BudgetPlan(monthlyAmount, trueUpMonth, reviewEveryMonths, nextReviewOn);
    }
}

/// <summary>The account's issued bills of the last twelve months: how many, and their actual charges summed.</summary>
public sealed record BudgetHistory(int Bills, Money Charges)
{
    public static readonly BudgetHistory None = new(0, Money.Zero);

    /// <summary>The history with one more bill of <paramref name="charges"/>.</summary>
    public BudgetHistory With(Money charges) => new(Bills + 1, Charges + charges);
}

/// <summary>
/// What a bill of an account on budget billing does. The bill's actual charges post to revenue as always; the
/// account is billed <see cref="Billed"/> (the budget amount, or at true-up the actual charges with the deferred
/// balance settled), and the rest (<see cref="Deferred"/>, actual less billed) moves into the account's deferred
/// balance, or out of it when negative.
/// </summary>
/// <param name="BudgetAmount">The month's budget amount (after any review this bill made).</param>
/// <param name="Billed">What the bill adds to the account's balance.</param>
/// <param name="Deferred">Actual charges less <see cref="Billed"/>: what moved into the deferred balance.</param>
/// <param name="DeferredBalance">The deferred balance after the bill: actual charges not yet billed (negative: budget paid ahead of use).</param>
/// <param name="TrueUp">The bill settled the deferred balance.</param>
/// <param name="Plan">The plan after the bill: a review sets a new amount and its next review.</param>
/// <param name="Note">What the bill says about it, in words.</param>
public sealed record BudgetBillDecision(Money BudgetAmount, Money Billed, Money Deferred, Money DeferredBalance, bool TrueUp, BudgetPlan Plan, string Note);

/// <summary>
/// Budget billing (the equal payment plan): a customer pays the same amount each month; once a year, in the
/// plan's true-up month, the bill settles the difference between what was billed and what was used. The
/// ledger stays true: every bill's actual charges post to revenue, and the difference between them and the
/// budget amount is carried in the account's deferred balance (GL <c>1250</c>) until the true-up moves it back
/// into what is owed. Over a plan year the customer is billed, and so pays, exactly the actual charges.
/// </summary>
public static class BudgetBilling
{
    /// <summary>
    /// The monthly amount: the average actual charges of the history, plus the deferred balance spread over
    /// the months left to the true-up, rounded up to the whole dollar (never below zero). Without history no
    /// amount can be computed and one must be given.
    /// </summary>
    public static Money MonthlyAmount(BudgetHistory history, Money deferredBalance, int monthsToTrueUp)
    {
        if (history.Bills == 0)
        {
            throw new DomainException("The account has no bills of the last twelve months to average; give the monthly amount.", "monthlyAmount");
        }

        var average = history.Charges.Cents / 100m / history.Bills;
        var spread = deferredBalance.Cents / 100m / Math.Max(1, monthsToTrueUp);
        var dollars = Math.Ceiling(average + spread);
        return Money.FromCents(checked((long)Math.Max(0m, dollars) * 100));
    }

    /// <summary>The budget bills left before the true-up: from <paramref name="billDate"/>'s month up to the true-up month's, not counting it (12 in the true-up month itself).</summary>
    public static int MonthsToTrueUp(DateOnly billDate, int trueUpMonth)
    {
        var months = ((trueUpMonth - billDate.Month) % 12 + 12) % 12;
        return months == 0 ? 12 : months;
    }

    /// <summary>
    /// Decides a bill of <paramref name="actual"/> charges for an account on <paramref name="plan"/> whose deferred
    /// balance is <paramref name="deferredBalance"/>. The bill trues up in the plan's true-up month, and on a
    /// final bill (<paramref name="settle"/>); otherwise it bills the budget amount, reviewed first when the
    /// review is due (<paramref name="history"/>: the bills before this one). After a true-up the amount is set
    /// again from the history with this bill.
    /// </summary>
    public static BudgetBillDecision Decide(BudgetPlan plan, Money deferredBalance, Money actual, DateOnly billDate, BudgetHistory history, bool settle = false)
    {
        if (settle || billDate.Month == plan.TrueUpMonth)
        {
            var billed = actual + deferredBalance;
            var after = plan;
            var note = $"True-up: actual charges {actual} with the deferred balance of {deferredBalance} settled.";
            if (!settle)
            {
                var amount = MonthlyAmount(history.With(actual), Money.Zero, 12);
                after = plan with { MonthlyAmount = amount, NextReviewOn = billDate.AddMonths(plan.ReviewEveryMonths) };
                note += $" The budget amount from next month is {amount}.";
            }

            return new BudgetBillDecision(plan.MonthlyAmount, billed, -deferredBalance, Money.Zero, true, after, note);
        }

        var current = plan;
        var reviewed = "";
        if (billDate >= plan.NextReviewOn && history.Bills > 0)
        {
            var amount = MonthlyAmount(history, deferredBalance, MonthsToTrueUp(billDate, plan.TrueUpMonth));
            current = plan with { MonthlyAmount = amount, NextReviewOn = billDate.AddMonths(plan.ReviewEveryMonths) };
            reviewed = amount == plan.MonthlyAmount ? $" Reviewed: the budget amount stays {amount}." : $" Reviewed: the budget amount changes from {plan.MonthlyAmount} to {amount}.";
        }
        else if (billDate >= plan.NextReviewOn)
        {
            current = plan with { NextReviewOn = billDate.AddMonths(plan.ReviewEveryMonths) };
        }

        var deferred = actual - current.MonthlyAmount;
        var balance = deferredBalance + deferred;
        return new BudgetBillDecision(current.MonthlyAmount, current.MonthlyAmount, deferred, balance, false, current,
            $"Budget amount {current.MonthlyAmount} billed for actual charges of {actual}; deferred balance {balance}.{reviewed}");
    }
}
