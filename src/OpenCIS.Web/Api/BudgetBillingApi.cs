using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

/// <summary>Enrolls an account in budget billing: the monthly amount in dollars ("85.00", whole dollars; omitted: from the last twelve months), the true-up month (1-12) and the months between reviews.</summary>
public sealed record BudgetEnrollBody(string? MonthlyAmount = null, int? TrueUpMonth = null, int? ReviewEveryMonths = null);

public sealed record BudgetEndBody(string Reason);

public sealed record BudgetPlanResponse(long Id, string Status, DateOnly EnrolledOn, string EnrolledBy, string MonthlyAmount, int TrueUpMonth, int ReviewEveryMonths,
    DateOnly NextReviewOn, DateOnly? EndedOn, string? EndedBy, string? EndReason);

public sealed record BudgetBillResponse(long BillId, DateOnly BillDate, string ActualCharges, string BudgetAmount, string Billed, string Deferred, string DeferredBalance, bool TrueUp);

public sealed record BudgetResponse(string AccountNumber, BudgetPlanResponse? Active, string DeferredBalance, int HistoryBills, string HistoryCharges, string? SuggestedAmount,
    int DefaultTrueUpMonth, IReadOnlyList<BudgetPlanResponse> Plans, IReadOnlyList<BudgetBillResponse> Bills);

/// <summary>Budget billing (the equal payment plan) of an account: its plan, deferred balance and bills; enrollment and its end.</summary>
public static class BudgetBillingApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/accounts/{accountNumber}/budget").WithTags("Budget billing");
        accounts.MapGet("", async (string accountNumber, BudgetPlans plans, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await plans.GetAsync(accountNumber, cancellationToken))))
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("The account's budget billing: the active plan (null when none), its deferred balance (actual charges not yet billed; negative: budget paid ahead), the last twelve months' history and the amount it suggests, its plans and its bills on a plan with actual charges and budget side by side.");

        accounts.MapPost("", async (string accountNumber, BudgetEnrollBody? body, BudgetPlans plans, HttpContext context, CancellationToken cancellationToken) =>
            {
                Money? amount = body?.MonthlyAmount is { Length: > 0 } text
                    ? Money.TryParse(text, out var parsed) ? parsed : throw new DomainException($"'{text}' is not an amount (whole dollars, e.g. 85.00).", "monthlyAmount")
                    : null;
                return TypedResults.Ok(ToResponse(await plans.EnrollAsync(accountNumber, amount, body?.TrueUpMonth, body?.ReviewEveryMonths, ApiUser.Name(context), cancellationToken)));
            })
            .RequireAuthorization(BillingCapability.ManageBudgetBilling)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Enroll the account in budget billing. monthlyAmount (whole dollars) defaults to the average of the last twelve months' actual charges rounded up; an account without bills must give one. trueUpMonth defaults to the month before the enrollment's anniversary, reviewEveryMonths to 3. An account already on a plan, a bad amount or month is a 400 naming the field.");

        accounts.MapPost("/end", async (string accountNumber, BudgetEndBody body, BudgetPlans plans, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await plans.EndAsync(accountNumber, body.Reason, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(BillingCapability.ManageBudgetBilling)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("End the account's plan today with a reason: its deferred balance is settled at once (owed, or credited), and its next bill is billed on actual charges. Send an Idempotency-Key header: a retry posts nothing.");
    }

    private static BudgetResponse ToResponse(BudgetPlanView view) => new(
        view.AccountNumber, view.Active is { } active ? ToResponse(active) : null, view.DeferredBalance.ToPlainString(), view.History.Bills, view.History.Charges.ToPlainString(),
        view.SuggestedAmount?.ToPlainString(), view.DefaultTrueUpMonth, [.. view.Plans.Select(ToResponse)],
        [.. view.Bills.Select(b => new BudgetBillResponse(b.BillId, b.BillDate, b.ActualCharges.ToPlainString(), b.BudgetAmount.ToPlainString(), b.Billed.ToPlainString(),
            b.Deferred.ToPlainString(), b.DeferredBalance.ToPlainString(), b.TrueUp))]);

    private static BudgetPlanResponse ToResponse(BudgetPlanRow plan) => new(plan.Id, plan.Status.ToString(), plan.EnrolledOn, plan.EnrolledBy,
        Money.FromCents(plan.MonthlyAmountCents).ToPlainString(), plan.TrueUpMonth, plan.ReviewEveryMonths, plan.NextReviewOn, plan.EndedOn, plan.EndedBy, plan.EndReason);
}
