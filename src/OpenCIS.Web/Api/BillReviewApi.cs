using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Billing;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

/// <summary>
/// A class's review rules as sent: percents as numbers (50 is 50%), amounts as text in dollars and cents ("40.00"), the
/// rest true or false. <c>{ "remove": true }</c> (or a body that sets no rule) removes the class's rules: its bills are never held.
/// </summary>
public sealed record ReviewRulesBody(decimal? HighPercent = null, string? HighAmount = null, decimal? LowPercent = null, string? LowAmount = null,
    bool ZeroUse = false, string? VeryLarge = null, bool Negative = false, bool FirstBill = false, bool Remove = false);

/// <summary>A class's review rules as the API gives them; <c>set</c> is false when the class has none (nothing held).</summary>
public sealed record ReviewRulesResponse(string AccountClass, bool Set, decimal? HighPercent, string? HighAmount, decimal? LowPercent, string? LowAmount,
    bool ZeroUse, string? VeryLarge, bool Negative, bool FirstBill, string? UpdatedBy, DateTimeOffset? UpdatedAt);

public sealed record HeldBillResponse(long BillId, string AccountNumber, string AccountClass, long? RunId, DateOnly BillDate, DateOnly PeriodStart, DateOnly PeriodEnd,
    string CurrentCharges, IReadOnlyList<string> Reasons);

public sealed record HeldBillsResponse(IReadOnlyList<HeldBillResponse> Bills, int Total, int Page, int PageSize);

public sealed record HeldBillOutcomeResponse(long BillId, string Status, DateOnly? BillDate, DateOnly? DueDate, string AmountDue, string Message);

public sealed record CancelHeldBillBody(string Reason);

/// <summary>The pre-bill review: its rules by class of account, the bills a run held, and their release or cancellation.</summary>
public static class BillReviewApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var billing = api.MapGroup("/billing").WithTags("Bill review");
        billing.MapGet("/review/rules", async (ReviewHeldBills review, CancellationToken cancellationToken) =>
                TypedResults.Ok((await review.RulesAsync(cancellationToken)).Select(ToResponse).ToList()))
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("The pre-bill review's rules, one entry per class of account (set: false when the class has none and nothing of it is held).");

        billing.MapPut("/review/rules/{accountClass}", async Task<Results<Ok<ReviewRulesResponse>, ValidationProblem>> (
                string accountClass, ReviewRulesBody? body, ReviewHeldBills review, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (!CollectionWorkApi.TryEnum<AccountClass>(accountClass, out var @class))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("accountClass", $"'{accountClass}' is not a class: {string.Join(", ", Enum.GetNames<AccountClass>())}.");
                }

                var rules = body is null or { Remove: true } ? null : ReadRules(body);
                return TypedResults.Ok(ToResponse(await review.SetRulesAsync(@class, rules is { IsEmpty: false } ? rules : null, ApiUser.Name(context), cancellationToken)));
            })
            .RequireAuthorization(BillingCapability.ManageBillReview)
            .WithSummary("Set a class's review rules: highPercent and highAmount (above the last year's average by more than both, where both are set), lowPercent and lowAmount, zeroUse, veryLarge (dollars), negative, firstBill. Amounts are dollars as text (\"40.00\"). { \"remove\": true } or a body with no rule removes them. A negative percent or amount is a 400 naming the field.");

        billing.MapGet("/held", async (long? runId, int? page, int? pageSize, ReviewHeldBills review, CancellationToken cancellationToken) =>
            {
                var held = await review.HeldAsync(runId, page ?? 1, pageSize ?? 50, cancellationToken);
                return TypedResults.Ok(new HeldBillsResponse([.. held.Bills.Select(ToResponse)], held.Total, held.Page, held.PageSize));
            })
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary($"The bills the pre-bill review held (of one run, with runId), oldest first, each with its reasons; page from 1, pageSize up to {ReviewHeldBills.MaxPageSize} (default 50).");

        billing.MapPost("/held/{billId:long}/release", async (long billId, ReviewHeldBills review, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await review.ReleaseAsync(billId, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(BillingCapability.ReviewBills)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Release a held bill: it is issued today, its charges posted and its due date set by the cycle's terms. A bill not held is a 400 naming billId. Send an Idempotency-Key header: a retry posts nothing.");

        billing.MapPost("/held/{billId:long}/cancel", async (long billId, CancelHeldBillBody body, ReviewHeldBills review, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await review.CancelAsync(billId, body.Reason, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(BillingCapability.ReviewBills)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Cancel a held bill with a reason: nothing had been posted, and the next run of its cycle bills the period again. A bill not held is a 400 naming billId; no reason, naming reason. Send an Idempotency-Key header.");
    }

    /// <summary>The rules a body sets; an amount that is not dollars and cents is refused naming its field.</summary>
    public static BillReviewRules ReadRules(ReviewRulesBody body) => new()
    {
        HighPercent = body.HighPercent,
        HighAmount = Amount(body.HighAmount, "highAmount"),
        LowPercent = body.LowPercent,
        LowAmount = Amount(body.LowAmount, "lowAmount"),
        ZeroUse = body.ZeroUse,
        VeryLarge = Amount(body.VeryLarge, "veryLarge"),
        Negative = body.Negative,
        FirstBill = body.FirstBill,
    };

    private static Money? Amount(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : Money.TryParse(text, out var amount) ? amount
        : throw new DomainException($"'{text}' is not an amount in dollars and cents.", field);

    public static ReviewRulesResponse ToResponse(ReviewRulesView view)
    {
        var r = view.Rules;
        return new(view.AccountClass.ToString(), r is not null, r?.HighPercent, r?.HighAmount?.ToPlainString(), r?.LowPercent, r?.LowAmount?.ToPlainString(),
            r?.ZeroUse ?? false, r?.VeryLarge?.ToPlainString(), r?.Negative ?? false, r?.FirstBill ?? false, view.UpdatedBy, view.UpdatedAt);
    }

    public static HeldBillResponse ToResponse(HeldBillView b) =>
        new(b.BillId, b.AccountNumber, b.AccountClass.ToString(), b.BillingRunId, b.BillDate, b.PeriodStart, b.PeriodEnd, b.CurrentCharges.ToPlainString(), b.Reasons);

    public static HeldBillOutcomeResponse ToResponse(HeldBillOutcome o) =>
        new(o.BillId, o.Status.ToString(), o.BillDate, o.DueDate, o.AmountDue.ToPlainString(), o.Message);
}
