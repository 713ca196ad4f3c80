using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;

namespace OpenCIS.Storage.Billing;

public enum BudgetPlanStatus
{
    Active,
    Ended,
}

/// <summary>
/// An account's enrollment in budget billing (the equal payment plan): its monthly amount, the month it trues up,
/// how often the amount is reviewed and when next. The deferred balance is not kept here: it is the account's GL
/// 1250 lines, which the bills and settlements post. An account has at most one active plan.
/// </summary>
public sealed class BudgetPlanRow
{
    public const int ReasonLengthMax = 500;

    public long Id { get; init; }
    public long AccountId { get; init; }
    public BudgetPlanStatus Status { get; private set; }
    public DateOnly EnrolledOn { get; init; }
    public string EnrolledBy { get; init; } = "";
    public long MonthlyAmountCents { get; private set; }
    public int TrueUpMonth { get; init; }
    public int ReviewEveryMonths { get; init; }
    public DateOnly NextReviewOn { get; private set; }
    public DateOnly? EndedOn { get; private set; }
    public string? EndedBy { get; private set; }
    public string? EndReason { get; private set; }

    public BudgetPlan ToPlan() => new(Money.FromCents(MonthlyAmountCents), TrueUpMonth, ReviewEveryMonths, NextReviewOn);

    public static BudgetPlanRow Enroll(long accountId, BudgetPlan plan, DateOnly on, string user) => new()
    {
        AccountId = accountId,
        Status = BudgetPlanStatus.Active,
        EnrolledOn = on,
        EnrolledBy = user,
        MonthlyAmountCents = plan.MonthlyAmount.Cents,
        TrueUpMonth = plan.TrueUpMonth,
        ReviewEveryMonths = plan.ReviewEveryMonths,
        NextReviewOn = plan.NextReviewOn,
    };

    /// <summary>Keeps what a bill decided: a review's new amount and next review date.</summary>
    internal void Follow(BudgetPlan after) => (MonthlyAmountCents, NextReviewOn) = (after.MonthlyAmount.Cents, after.NextReviewOn);

    internal void End(DateOnly on, string user, string reason)
    {
        if (Status != BudgetPlanStatus.Active)
        {
            throw new DomainException($"The budget plan of account {AccountId} already ended on {EndedOn:yyyy-MM-dd}.", "accountId");
        }

        (Status, EndedOn, EndedBy, EndReason) = (BudgetPlanStatus.Ended, on, user, reason.Trim());
    }
}
