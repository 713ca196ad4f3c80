using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing.Corrections;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.Web.Security;

using static OpenCIS.Web.Api.ApiText;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

public sealed record CorrectedReadingBody(string MeterSerial, long Reading, bool Confirmed = false);

public sealed record CancelRebillBody(string Reason, IReadOnlyList<CorrectedReadingBody>? CorrectedReadings);

public sealed record ServiceDifferenceResponse(string Service, string Old, string New, string Difference);

/// <summary>A cancel and rebill: <c>periods</c> lists every bill billed again, oldest first (the bill corrected and each later one); the totals are over them all.</summary>
public sealed record RebillResponse(long CanceledBillId, long NewBillId, long? ReversalTransactionId, long? NewBillTransactionId, string OldTotal, string NewTotal, string Difference,
    IReadOnlyList<ServiceDifferenceResponse> ByService, string Balance, bool AlreadyDone, string Message, IReadOnlyList<RebilledPeriodResponse> Periods);

public sealed record RebilledPeriodResponse(long CanceledBillId, long? NewBillId, DateOnly PeriodStart, DateOnly PeriodEnd, string Old, string New, string Difference);

/// <summary>Amount is text in dollars and cents ("25.00"); direction is "credit" (lowers what the customer owes) or "debit".</summary>
public sealed record AdjustmentBody(string ReasonCode, string Direction, string Amount, string Note, long? BillId);

public sealed record AdjustmentDecisionBody(string? Note);

public sealed record AdjustmentRejectionBody(string Reason);

public sealed record AdjustmentResponse(long AdjustmentId, string AccountNumber, long? BillId, string ReasonCode, string Amount, string Note, string? Calculation, string Status,
    string RequestedBy, DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionNote, long? TransactionId);

public sealed record AdjustmentOutcomeResponse(AdjustmentResponse Adjustment, bool NeedsApproval, string Balance, bool AlreadyRequested, string Message);

public sealed record LeakAllowanceBody(string Note);

public sealed record LeakQuoteResponse(long BillId, string AccountNumber, decimal BilledUsage, decimal AverageUsage, decimal ExcessUsage, string Unit, string Credit, IReadOnlyList<string> Calculation);

public sealed record FinalReadingBody(string MeterSerial, long Reading);

public sealed record StopServiceBody(string StopDate, IReadOnlyList<FinalReadingBody>? FinalReadings, string Reason);

public sealed record AverageBillBody(string? ReadOn, string Reason);

/// <summary>Corrections (issue 4): cancel and rebill, adjustments and their approval, leak allowances, final and average bills.</summary>
public static class CorrectionsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var bills = api.MapGroup("/bills").WithTags("Corrections").AddEndpointFilter<IdempotencyKeyFilter>();
        bills.MapPost("/{billId:long}/cancel-rebill", async Task<Results<Ok<RebillResponse>, ValidationProblem>> (
                long billId, CancelRebillBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancelRebill workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (KeyProblem(idempotencyKey) is { } problem)
                {
                    return problem;
                }

                var result = await workflow.ExecuteAsync(
                    new CancelRebillRequest(billId, body.Reason, body.CorrectedReadings?.Select(r => new CorrectedReading(r.MeterSerial, r.Reading, r.Confirmed)).ToList(), idempotencyKey),
                    ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(ToResponse(result));
            })
            .RequireAuthorization(BillingCapability.CorrectBills)
            .WithSummary("Cancel an issued bill (reversing transaction) and rebill its period from the same or corrected reads; a bill that is not the account's latest (one of its last OPENCIS_REBILL_BILLS_BACK, 3 by default) is rebilled with every bill after it, each period in order, the next one measured from the corrected read. Returns each period and the difference over them. Send an Idempotency-Key header.");

        bills.MapPost("/{billId:long}/cancel-rebill/preview", async (long billId, CancelRebillBody body, CancelRebill workflow, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.PreviewAsync(billId, body.CorrectedReadings?.Select(r => new CorrectedReading(r.MeterSerial, r.Reading, r.Confirmed)).ToList(), cancellationToken)))
            .RequireAuthorization(BillingCapability.CorrectBills)
            .WithSummary("What a cancel and rebill would post, posting nothing: each period's new bill (periods, oldest first: the bill and every later one), the new total and the difference by service. Corrected readings are validated as imported reads are; a lower reading (a rollover) or a warning needs confirmed: true.");

        bills.MapGet("/{billId:long}/leak-allowance", async (long billId, LeakAllowanceWorkflow workflow, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await workflow.QuoteAsync(billId, cancellationToken))))
            .RequireAuthorization(BillingCapability.AdjustAccounts)
            .WithSummary("Quote a leak allowance for a bill: the average use, the excess and the credit, with the calculation.");

        bills.MapPost("/{billId:long}/leak-allowance", async Task<Results<Ok<AdjustmentOutcomeResponse>, ValidationProblem>> (
                long billId, LeakAllowanceBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, LeakAllowanceWorkflow workflow, HttpContext context, CancellationToken cancellationToken) =>
                KeyProblem(idempotencyKey) is { } problem
                    ? problem
                    : TypedResults.Ok(ToResponse(await workflow.RequestAsync(billId, body.Note, idempotencyKey, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(BillingCapability.AdjustAccounts)
            .WithSummary("Request the leak allowance as a LEAK adjustment (posted at once, or pending approval above the threshold).");

        var accounts = api.MapGroup("/accounts").WithTags("Corrections").AddEndpointFilter<IdempotencyKeyFilter>();
        accounts.MapPost("/{accountNumber}/adjustments", async Task<Results<Ok<AdjustmentOutcomeResponse>, ValidationProblem>> (
                string accountNumber, AdjustmentBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, RequestAdjustment workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (KeyProblem(idempotencyKey) is { } problem)
                {
                    return problem;
                }

                if (!Money.TryParse(body.Amount, out var amount) || !amount.IsPositive)
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("amount", $"'{body.Amount}' is not an amount in dollars and cents above zero.");
                }

                var signed = body.Direction?.Trim().ToLowerInvariant() switch
                {
                    "credit" => -amount,
                    "debit" => (Money?)amount,
                    _ => null,
                };
                if (signed is null)
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("direction", $"'{body.Direction}' is not credit or debit.");
                }

                var outcome = await workflow.ExecuteAsync(new AdjustmentRequest(accountNumber, body.ReasonCode, signed.Value, body.Note, body.BillId, idempotencyKey), ApiUser.Name(context), null, cancellationToken);
                return TypedResults.Ok(ToResponse(outcome));
            })
            .RequireAuthorization(BillingCapability.AdjustAccounts)
            .WithSummary("Adjust an account with a reason code. Above the approval threshold it waits for a Supervisor. Send an Idempotency-Key header.");

        accounts.MapPost("/{accountNumber}/stop-service", async Task<Results<Ok<FinalBillResult>, ValidationProblem>> (
                string accountNumber, StopServiceBody body, StopService workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (!TryDate(body.StopDate, out var stopDate))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("stopDate", $"'{body.StopDate}' is not a date in the form YYYY-MM-DD.");
                }

                var readings = (body.FinalReadings ?? []).Select(r => new FinalReading(r.MeterSerial, r.Reading)).ToList();
                return TypedResults.Ok(await workflow.ExecuteAsync(new StopServiceRequest(accountNumber, stopDate, readings, body.Reason), ApiUser.Name(context), cancellationToken));
            })
            .RequireAuthorization(BillingCapability.CorrectBills)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Stop an account's service on a date with the final reads: ends its agreements, issues the final bill prorated to the stop date, and marks the account final-billed.");

        accounts.MapPost("/{accountNumber}/average-bill", async Task<Results<Ok<AverageBillResult>, ValidationProblem>> (
                string accountNumber, AverageBillBody body, AverageBill workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                DateOnly? readOn = null;
                if (!string.IsNullOrWhiteSpace(body.ReadOn))
                {
                    if (!TryDate(body.ReadOn, out var date))
                    {
                        return (ValidationProblem)DomainExceptionFilter.Problem("readOn", $"'{body.ReadOn}' is not a date in the form YYYY-MM-DD.");
                    }

                    readOn = date;
                }

                return TypedResults.Ok(await workflow.ExecuteAsync(new AverageBillRequest(accountNumber, readOn, body.Reason), ApiUser.Name(context), cancellationToken));
            })
            .RequireAuthorization(BillingCapability.CorrectBills)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Issue an average (estimated) bill for an account whose read is missing, from the estimation rules.");

        var adjustments = api.MapGroup("/adjustments").WithTags("Corrections").AddEndpointFilter<IdempotencyKeyFilter>();
        adjustments.MapGet("/reasons", () => TypedResults.Ok(AdjustmentReasons.All.ToList()))
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("The adjustment reason codes, and which can only credit.");

        adjustments.MapGet("/pending", async (AdjustmentQueries queries, CancellationToken cancellationToken) =>
                TypedResults.Ok((await queries.PendingAsync(cancellationToken)).Select(ToResponse).ToList()))
            .RequireAuthorization(BillingCapability.ApproveAdjustments)
            .WithSummary("Adjustments waiting for a Supervisor's approval, oldest first.");

        adjustments.MapPost("/{adjustmentId:long}/approve", async (long adjustmentId, AdjustmentDecisionBody body, DecideAdjustment workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await workflow.ApproveAsync(adjustmentId, ApiUser.Name(context), body.Note, cancellationToken))))
            .RequireAuthorization(BillingCapability.ApproveAdjustments)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Approve a pending adjustment: it posts now. The requester cannot approve their own.");

        adjustments.MapPost("/{adjustmentId:long}/reject", async (long adjustmentId, AdjustmentRejectionBody body, DecideAdjustment workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await workflow.RejectAsync(adjustmentId, ApiUser.Name(context), body.Reason, cancellationToken))))
            .RequireAuthorization(BillingCapability.ApproveAdjustments)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Reject a pending adjustment with a reason; nothing posts.");
    }

    private static ValidationProblem? KeyProblem(string? idempotencyKey) => IdempotencyFilter.KeyProblem(idempotencyKey);

    public static RebillResponse ToResponse(RebillResult r) => new(r.CanceledBillId, r.NewBillId, r.ReversalTransactionId, r.NewBillTransactionId,
        Dollars(r.OldTotalCents), Dollars(r.NewTotalCents), Dollars(r.DifferenceCents),
        r.ByService.Select(s => new ServiceDifferenceResponse(s.Service, Dollars(s.OldCents), Dollars(s.NewCents), Dollars(s.DifferenceCents))).ToList(),
        Dollars(r.BalanceCents), r.AlreadyDone, r.Message,
        [.. r.Periods.Select(p => new RebilledPeriodResponse(p.CanceledBillId, p.NewBillId, p.PeriodStart, p.PeriodEnd, Dollars(p.OldCents), Dollars(p.NewCents), Dollars(p.DifferenceCents)))]);

    public static AdjustmentResponse ToResponse(AdjustmentView a) => new(a.AdjustmentId, a.AccountNumber, a.BillId, a.ReasonCode, Dollars(a.AmountCents), a.Note, a.Calculation, a.Status,
        a.RequestedBy, a.RequestedAt, a.DecidedBy, a.DecidedAt, a.DecisionNote, a.TransactionId);

    public static AdjustmentOutcomeResponse ToResponse(AdjustmentOutcome o) => new(ToResponse(o.Adjustment), o.NeedsApproval, Dollars(o.BalanceCents), o.AlreadyRequested, o.Message);

    public static LeakQuoteResponse ToResponse(LeakAllowanceQuote q) => new(q.BillId, q.AccountNumber, q.BilledUsage, q.AverageUsage, q.ExcessUsage, q.Unit, Dollars(q.CreditCents), q.Calculation);
}
