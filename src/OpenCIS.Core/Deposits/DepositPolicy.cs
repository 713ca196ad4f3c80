using System.Collections.Immutable;
using System.Globalization;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Core.Deposits;

/// <summary>What the customer's record says about the risk of a new account.</summary>
/// <param name="OnTimeMonthsElsewhere">The longest run of consecutive on-time months on another of the customer's accounts.</param>
/// <param name="ReturnedPaymentsLast12Months">Payments the bank returned on any of the customer's accounts in the last twelve months.</param>
/// <param name="WriteOffsLast12Months">Balances written off as uncollectible on any of the customer's accounts in the last twelve months.</param>
/// <param name="WaiverReason">A letter of credit, a guarantor or another reason a clerk waives the deposit; recorded with the decision.</param>
public sealed record CreditHistory(int OnTimeMonthsElsewhere, int ReturnedPaymentsLast12Months, int WriteOffsLast12Months, string? WaiverReason)
{
    public static CreditHistory None { get; } = new(0, 0, 0, null);
}

public enum DepositDecisionKind
{
    /// <summary>The class's amount.</summary>
    Standard,

    /// <summary>The class's amount times the risk multiplier, after returned payments or write-offs.</summary>
    Increased,

    /// <summary>No deposit: a good history elsewhere, a letter of credit, or a class that needs none.</summary>
    Waived,
}

/// <summary>The deposit an account must pay, and why.</summary>
public sealed record DepositDecision(DepositDecisionKind Kind, Money Amount, string Reason)
{
    public bool IsWaived => Kind == DepositDecisionKind.Waived;
}

/// <summary>Whether a held deposit goes back to the customer on a date, and from when the good record runs.</summary>
public sealed record RefundDecision(bool Eligible, DateOnly OnTimeSince, DateOnly EligibleOn, string Reason);

/// <summary>
/// The deposit rules, as data: the amount by account class, how credit history changes it, how many
/// consecutive on-time months earn the deposit back, and the simple interest it earns while held.
/// Interest is principal x annual rate x days held / 365, rounded once to the cent half away from
/// zero (<see cref="Money.Round"/>); a deposit held less than a day earns nothing.
/// </summary>
public sealed record DepositPolicy
{
    public const int DefaultRefundAfterOnTimeMonths = 12;
    public const int DaysPerYear = 365;

    public DepositPolicy(
        ImmutableDictionary<string, Money> requiredByClass,
        int refundAfterOnTimeMonths = DefaultRefundAfterOnTimeMonths,
        int waiveAfterOnTimeMonthsElsewhere = DefaultRefundAfterOnTimeMonths,
        decimal riskMultiplier = 2m,
        decimal annualInterestRatePercent = 0m,
        int dueDays = 21)
    {
        ArgumentNullException.ThrowIfNull(requiredByClass);
        foreach (var (accountClass, amount) in requiredByClass)
        {
            if (amount.IsNegative)
            {
                throw new DomainException($"The deposit for {accountClass} accounts cannot be negative ({amount}).", "requiredByClass");
            }
        }

        if (refundAfterOnTimeMonths is < 1 or > 120)
        {
            throw new DomainException($"Deposits are refunded after 1 to 120 months of on-time payment; {refundAfterOnTimeMonths} was given.", "refundAfterOnTimeMonths");
        }

        if (waiveAfterOnTimeMonthsElsewhere is < 1 or > 120)
        {
            throw new DomainException($"A history elsewhere waives the deposit after 1 to 120 months; {waiveAfterOnTimeMonthsElsewhere} was given.", "waiveAfterOnTimeMonthsElsewhere");
        }

        if (riskMultiplier is < 1m or > 10m)
        {
            throw new DomainException($"The risk multiplier must be from 1 to 10; {riskMultiplier} was given.", "riskMultiplier");
        }

        if (annualInterestRatePercent is < 0m or > 25m)
        {
            throw new DomainException($"The annual deposit interest rate must be from 0% to 25%; {annualInterestRatePercent}% was given.", "annualInterestRatePercent");
        }

        if (dueDays is < 0 or > 90)
        {
            throw new DomainException($"A deposit charge is due 0 to 90 days after it is billed; {dueDays} was given.", "dueDays");
        }

        RequiredByClass = requiredByClass.WithComparers(StringComparer.OrdinalIgnoreCase);
        RefundAfterOnTimeMonths = refundAfterOnTimeMonths;
        WaiveAfterOnTimeMonthsElsewhere = waiveAfterOnTimeMonthsElsewhere;
        RiskMultiplier = riskMultiplier;
        AnnualInterestRatePercent = annualInterestRatePercent;
        DueDays = dueDays;
    }

    /// <summary>Residential $150, commercial $500, industrial $1,000, municipal none; 12 months; doubled after a returned payment or write-off; no interest.</summary>
    public static DepositPolicy Default { get; } = new(ImmutableDictionary.CreateRange(StringComparer.OrdinalIgnoreCase, [
        KeyValuePair.Create("Residential", Money.FromCents(150_00)),
        KeyValuePair.Create("Commercial", Money.FromCents(500_00)),
        KeyValuePair.Create("Industrial", Money.FromCents(1_000_00)),
        KeyValuePair.Create("Municipal", Money.Zero),
    ]));

    public ImmutableDictionary<string, Money> RequiredByClass { get; }
    public int RefundAfterOnTimeMonths { get; }
    public int WaiveAfterOnTimeMonthsElsewhere { get; }
    public decimal RiskMultiplier { get; }
    public decimal AnnualInterestRatePercent { get; }
    public int DueDays { get; }

    /// <summary>
    /// The deposit for a new account of <paramref name="accountClass"/>. A returned payment or write-off in
    /// the last twelve months outweighs everything else (even a letter of credit does not waive it then);
    /// otherwise a waiver reason or a long enough on-time run on another account waives it.
    /// </summary>
    public DepositDecision Decide(string accountClass, CreditHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (!RequiredByClass.TryGetValue(accountClass, out var standard))
        {
            throw new DomainException($"No deposit amount is configured for {accountClass} accounts.", "accountClass");
        }

        if (history.OnTimeMonthsElsewhere < 0 || history.ReturnedPaymentsLast12Months < 0 || history.WriteOffsLast12Months < 0)
        {
            throw new DomainException("Credit history counts cannot be negative.", "history");
        }

        if (standard.IsZero)
        {
            return new DepositDecision(DepositDecisionKind.Waived, Money.Zero, $"{accountClass} accounts pay no deposit.");
        }

        var bad = history.ReturnedPaymentsLast12Months + history.WriteOffsLast12Months;
        if (bad > 0)
        {
            var increased = Money.Round(standard.Dollars * RiskMultiplier);
            return new DepositDecision(DepositDecisionKind.Increased, increased, string.Create(CultureInfo.InvariantCulture,
                $"{history.ReturnedPaymentsLast12Months} returned payment(s) and {history.WriteOffsLast12Months} write-off(s) in the last 12 months: {standard} x {RiskMultiplier:0.##} = {increased}."));
        }

        if (!string.IsNullOrWhiteSpace(history.WaiverReason))
        {
            return new DepositDecision(DepositDecisionKind.Waived, Money.Zero, $"Waived: {history.WaiverReason.Trim()}");
        }

        if (history.OnTimeMonthsElsewhere >= WaiveAfterOnTimeMonthsElsewhere)
        {
            return new DepositDecision(DepositDecisionKind.Waived, Money.Zero,
                $"Waived: {history.OnTimeMonthsElsewhere} consecutive on-time months on another account (at least {WaiveAfterOnTimeMonthsElsewhere} needed).");
        }

        return new DepositDecision(DepositDecisionKind.Standard, standard, $"Standard deposit for {accountClass} accounts.");
    }

    /// <summary>
    /// A held deposit is refunded once the customer has paid on time for <see cref="RefundAfterOnTimeMonths"/>
    /// consecutive months: the run starts when the deposit was paid (held) and starts again the day after
    /// the latest late payment, returned payment or bill left unpaid past its due date.
    /// </summary>
    public RefundDecision DecideRefund(DateOnly heldSince, IEnumerable<DateOnly> lateOn, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(lateOn);
        var since = heldSince;
        foreach (var late in lateOn)
        {
            if (late <= asOf && late >= since)
            {
                since = late.AddDays(1);
            }
        }

        var eligibleOn = since.AddMonths(RefundAfterOnTimeMonths);
        return eligibleOn <= asOf
            ? new RefundDecision(true, since, eligibleOn, $"On time since {since:yyyy-MM-dd}: {RefundAfterOnTimeMonths} consecutive months reached on {eligibleOn:yyyy-MM-dd}.")
            : new RefundDecision(false, since, eligibleOn, $"On time since {since:yyyy-MM-dd}; eligible on {eligibleOn:yyyy-MM-dd}.");
    }

    /// <summary>
    /// Whole months of on-time payment through <paramref name="asOf"/>: counted from <paramref name="start"/>,
    /// or from the day after the latest late day. Used for the customer's record on other accounts.
    /// </summary>
    public static int OnTimeMonths(DateOnly start, IEnumerable<DateOnly> lateOn, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(lateOn);
        var since = start;
        foreach (var late in lateOn)
        {
            if (late <= asOf && late >= since)
            {
                since = late.AddDays(1);
            }
        }

        if (since > asOf)
        {
            return 0;
        }

        var months = ((asOf.Year - since.Year) * 12) + asOf.Month - since.Month;
        return since.AddMonths(months) > asOf ? months - 1 : months;
    }

    /// <summary>Simple interest on <paramref name="principal"/> held from <paramref name="heldSince"/> to <paramref name="through"/> (days between the two).</summary>
    public Money Interest(Money principal, DateOnly heldSince, DateOnly through) =>
        DepositInterest.Simple(principal, AnnualInterestRatePercent, Math.Max(0, through.DayNumber - heldSince.DayNumber));
}

/// <summary>The one interest rule: principal x rate% x days / 365, rounded to the cent half away from zero.</summary>
public static class DepositInterest
{
    public static Money Simple(Money principal, decimal annualRatePercent, int daysHeld)
    {
        if (principal.IsNegative)
        {
            throw new DomainException($"Interest is earned on a deposit held, not on {principal}.", "principal");
        }

        if (annualRatePercent < 0m)
        {
            throw new DomainException($"The interest rate cannot be negative ({annualRatePercent}%).", "annualInterestRatePercent");
        }

        if (daysHeld < 0)
        {
            throw new DomainException($"A deposit cannot be held {daysHeld} days.", "daysHeld");
        }

        return Money.Round(principal.Dollars * annualRatePercent / 100m * daysHeld / DepositPolicy.DaysPerYear);
    }
}

/// <summary>
/// The deposit postings. A deposit is billed as a charge on the account with its credit to the
/// deposits-held liability, so GL 2200 holds every deposit billed and not yet applied or refunded
/// (paid or not); applying it reverses that liability against the receivable.
/// </summary>
public static class DepositPostingRules
{
    /// <summary>Billing a deposit: Dr receivables, Cr customer deposits held.</summary>
    public static Posting ForDepositCharge(Money amount) =>
        PostingRules.Between(FinancialTransactionType.DepositCharge, amount, GlAccounts.AccountsReceivable, GlAccounts.CustomerDeposits, "A deposit charge");

    /// <summary>Applying (or refunding to the account) a deposit: Dr customer deposits held, Cr receivables.</summary>
    public static Posting ForDepositApplication(Money amount) =>
        PostingRules.Between(FinancialTransactionType.DepositApplication, amount, GlAccounts.CustomerDeposits, GlAccounts.AccountsReceivable, "A deposit application");

    /// <summary>Interest earned on a deposit, credited to the account with it: Dr deposit interest expense, Cr receivables.</summary>
    public static Posting ForDepositInterest(Money interest) =>
        PostingRules.Between(FinancialTransactionType.DepositApplication, interest, GlAccounts.DepositInterestExpense, GlAccounts.AccountsReceivable, "Deposit interest", "interest");

    /// <summary>
    /// What an application may take from the deposits-held liability: never more than what is held, so
    /// the liability cannot go negative.
    /// </summary>
    public static Money ApplicableAmount(Money billed, Money alreadyApplied)
    {
        if (billed.IsNegative || alreadyApplied.IsNegative)
        {
            throw new DomainException("Deposit amounts cannot be negative.", "amount");
        }

        if (alreadyApplied > billed)
        {
            throw new DomainException($"A deposit of {billed} cannot have had {alreadyApplied} applied.", "amount");
        }

        return billed - alreadyApplied;
    }
}
