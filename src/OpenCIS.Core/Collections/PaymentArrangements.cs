using System.Collections.Immutable;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Collections;

/// <summary>One installment of an arrangement: its due date and amount.</summary>
public readonly record struct Installment(DateOnly DueOn, Money Amount);

/// <summary>
/// A payment arrangement: an arranged amount paid as a down payment (due the day it is made) and
/// installments. The down payment and the installments sum to the arranged amount.
/// </summary>
public sealed record PaymentArrangement(DateOnly CreatedOn, Money Amount, Money DownPayment, ImmutableArray<Installment> Installments);

public enum ArrangementState
{
    /// <summary>Made and kept so far: it protects the account.</summary>
    Active,

    /// <summary>Paid in full.</summary>
    Completed,

    /// <summary>An installment went unpaid past its grace days: collections resume.</summary>
    Broken,
}

/// <summary>Where an arrangement stands on a date, since when, and why, in words.</summary>
public sealed record ArrangementStatus(ArrangementState State, DateOnly Since, string Reason);

/// <summary>
/// The pure decisions on payment arrangements: the installment schedule, the check against the policy's
/// limits, and whether an arrangement is kept, broken or completed on a date. Every payment received on or
/// after the day an arrangement is made counts toward it, oldest first.
/// </summary>
public static class PaymentArrangements
{
    /// <summary>
    /// The installments for what is left after the down payment: equal amounts, with the cents that do not
    /// divide going one each to the first installments, so they sum exactly and the same terms always give
    /// the same schedule. Installments fall due <paramref name="monthsApart"/> months apart from the first.
    /// </summary>
    public static ImmutableArray<Installment> Schedule(Money arranged, Money downPayment, int installments, DateOnly firstDueOn, int monthsApart = 1)
    {
        if (installments is < 1 or > ArrangementLimits.InstallmentsLimit)
        {
            throw new DomainException($"An arrangement has from 1 to {ArrangementLimits.InstallmentsLimit} installments, not {installments}.", "installments");
        }

        if (downPayment.IsNegative || downPayment > arranged)
        {
            throw new DomainException($"The down payment {downPayment} must be from $0.00 to the arranged amount {arranged}.", "downPayment");
        }

        if (monthsApart is < 1 or > 12)
        {
            throw new DomainException($"Installments fall due from 1 to 12 months apart, not {monthsApart}.", "monthsApart");
        }

        var rest = (arranged - downPayment).Cents;
        var each = rest / installments;
        var extraCents = rest % installments;
        var schedule = ImmutableArray.CreateBuilder<Installment>(installments);
        for (var i = 0; i < installments; i++)
        {
            schedule.Add(new Installment(firstDueOn.AddMonths(i * monthsApart), Money.FromCents(each + (i < extraCents ? 1 : 0))));
        }

        return schedule.MoveToImmutable();
    }

    /// <summary>
    /// Refuses terms outside the policy's limits, naming the limit (a Supervisor may approve them anyway;
    /// that approval is the caller's, not the rule's).
    /// </summary>
    /// <summary>The policy's least down payment on <paramref name="arranged"/>: its minimum percentage, to the cent.</summary>
    public static Money LeastDownPayment(ArrangementLimits limits, Money arranged) => Money.Round(arranged.Dollars * limits.MinimumDownPaymentPercent / 100m);

    public static void Validate(ArrangementLimits limits, Money debt, Money arranged, Money downPayment, int installments, int arrangementsInLast12Months)
    {
        if (arranged > debt)
        {
            throw new DomainException($"The arranged amount {arranged} is more than the debt {debt}.", "amount");
        }

        if (debt < limits.EligibleDebtMinimum)
        {
            throw new DomainException($"A debt of {debt} is under the policy's least eligible debt of {limits.EligibleDebtMinimum}.", "eligibleDebtMinimum");
        }

        if (debt > limits.EligibleDebtMaximum)
        {
            throw new DomainException($"A debt of {debt} is over the policy's most eligible debt of {limits.EligibleDebtMaximum}.", "eligibleDebtMaximum");
        }

        var leastDown = LeastDownPayment(limits, arranged);
        if (downPayment < leastDown)
        {
            throw new DomainException($"The down payment {downPayment} is under the policy's minimum of {CollectionText.Percent(limits.MinimumDownPaymentPercent)} ({leastDown}).", "minimumDownPaymentPercent");
        }

        if (installments > limits.InstallmentsMax)
        {
            throw new DomainException($"{installments} installments is more than the policy's most of {limits.InstallmentsMax}.", "installmentsMax");
        }

        if (arrangementsInLast12Months >= limits.ArrangementsPer12MonthsMax)
        {
            throw new DomainException($"The account has made {arrangementsInLast12Months} arrangement{(arrangementsInLast12Months == 1 ? "" : "s")} in the last 12 months; the policy allows {limits.ArrangementsPer12MonthsMax}.", "arrangementsPer12MonthsMax");
        }
    }

    /// <summary>
    /// The arrangement's state on <paramref name="date"/>. The down payment is due the day it is made, then
    /// each installment on its date; an amount still short <paramref name="graceDays"/> days after its due date
    /// breaks the arrangement the day after. It is completed the day its payments reach the arranged amount.
    /// </summary>
    public static ArrangementStatus StatusOn(PaymentArrangement arrangement, ImmutableArray<CollectionPayment> payments, int graceDays, DateOnly date)
    {
        var completedOn = CompletedOn(arrangement, payments);
        var owed = arrangement.DownPayment;
        for (var i = -1; i < arrangement.Installments.Length; i++)
        {
            var dueOn = i < 0 ? arrangement.CreatedOn : arrangement.Installments[i].DueOn;
            if (i >= 0)
            {
                owed += arrangement.Installments[i].Amount;
            }

            var lastDay = dueOn.AddDays(graceDays);
            if (lastDay >= date || (completedOn is { } done && done <= lastDay))
            {
                break;
            }

            var paid = PaidBetween(arrangement.CreatedOn, lastDay, payments);
            if (paid < owed)
            {
                var what = i < 0 ? $"down payment of {arrangement.DownPayment}" : $"installment {i + 1} of {arrangement.Installments[i].Amount}";
                return new(ArrangementState.Broken, lastDay.AddDays(1),
                    $"{what} due {CollectionText.Date(dueOn)} unpaid after {CollectionText.Days(graceDays)} of grace ({paid} of {owed} paid)");
            }
        }

        if (completedOn is { } completed && completed <= date)
        {
            return new(ArrangementState.Completed, completed, $"paid in full ({arrangement.Amount}) on {CollectionText.Date(completed)}");
        }

        var paidSoFar = PaidBetween(arrangement.CreatedOn, date, payments);
        return new(ArrangementState.Active, arrangement.CreatedOn, $"{paidSoFar} of {arrangement.Amount} paid{NextDue(arrangement, paidSoFar)}");
    }

    private static string NextDue(PaymentArrangement arrangement, Money paid)
    {
        var owed = arrangement.DownPayment;
        if (paid < owed)
        {
            return $"; down payment {arrangement.DownPayment} due {CollectionText.Date(arrangement.CreatedOn)}";
        }

        for (var i = 0; i < arrangement.Installments.Length; i++)
        {
            owed += arrangement.Installments[i].Amount;
            if (paid < owed)
            {
                return $"; installment {i + 1} of {arrangement.Installments[i].Amount} due {CollectionText.Date(arrangement.Installments[i].DueOn)}";
            }
        }

        return "";
    }

    private static DateOnly? CompletedOn(PaymentArrangement arrangement, ImmutableArray<CollectionPayment> payments)
    {
        // The day the payments made since the arrangement reach its amount: the earliest date whose running total does.
        DateOnly? best = null;
        foreach (var candidate in payments)
        {
            if (candidate.ReceivedOn >= arrangement.CreatedOn && (best is not { } known || candidate.ReceivedOn < known)
                && PaidBetween(arrangement.CreatedOn, candidate.ReceivedOn, payments) >= arrangement.Amount)
            {
                best = candidate.ReceivedOn;
            }
        }

        return best;
    }

    public static Money PaidBetween(DateOnly from, DateOnly to, ImmutableArray<CollectionPayment> payments)
    {
        var total = Money.Zero;
        foreach (var payment in payments)
        {
            if (payment.ReceivedOn >= from && payment.ReceivedOn <= to)
            {
                total += payment.Amount;
            }
        }

        return total;
    }
}
