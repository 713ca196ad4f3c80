using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Deposits;
using OpenCIS.UseCases.Deposits;
using OpenCIS.Web.Security;

using static OpenCIS.Web.Api.ApiText;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

/// <summary>A letter of credit, a guarantor or another reason the clerk waives the deposit; empty to let the policy decide.</summary>
public sealed record RequireDepositBody(string? WaiverReason);

public sealed record RefundReviewBody(string Date);

public sealed record DepositResponse(long DepositId, string AccountNumber, string Status, string DecisionKind, string Standard, string Billed, string DecisionReason, long? ChargeTransactionId,
    string ChargeOpen, DateOnly DecidedOn, DateOnly? DueOn, DateOnly? HeldSince, string Interest, DateOnly? ClosedOn, string? ClosedBy, string? CloseReason, long? ClosingTransactionId,
    string RequestedBy, DateTimeOffset RequestedAt);

public sealed record DepositOutcomeResponse(DepositResponse Deposit, string Balance, bool AlreadyDone, string Message);

public sealed record DepositRefundResponse(long DepositId, string AccountNumber, string Amount, string Interest, DateOnly HeldSince);

public sealed record DepositReviewResponse(DateOnly ReviewDate, int Reviewed, int BecameHeld, int Refunded, string RefundedAmount, string Interest, IReadOnlyList<DepositRefundResponse> Refunds, bool AlreadyDone, string Message);

public sealed record DepositReportLineResponse(long DepositId, string AccountNumber, string Status, string Billed, DateOnly DecidedOn, DateOnly? HeldSince, DateOnly? ClosedOn, string Interest);

public sealed record DepositReportResponse(DateOnly From, DateOnly AsOf, int HeldCount, string Held, int BilledUnpaidCount, string BilledUnpaid, int AppliedCount, string Applied,
    int RefundedCount, string Refunded, string InterestCredited, string InterestAccrued, string Outstanding, string GeneralLedgerBalance, bool TiesToGeneralLedger,
    IReadOnlyList<DepositReportLineResponse> Outstandings, IReadOnlyList<DepositReportLineResponse> Closed);

/// <summary>
/// Customer deposits: require (bill or waive), list, apply to the final bill, the refund review, and the deposit report.
/// The writes that move money honour an Idempotency-Key header: the same key and body return the first result,
/// the same key with another body is refused with 422 naming Idempotency-Key.
/// </summary>
public static class DepositsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/accounts").WithTags("Deposits").AddEndpointFilter<IdempotencyKeyFilter>();
        accounts.MapGet("/{accountNumber}/deposits", async (string accountNumber, DepositQueries queries, CancellationToken cancellationToken) =>
                TypedResults.Ok((await queries.ForAccountAsync(accountNumber, cancellationToken)).Select(ToResponse).ToList()))
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("The account's deposits, newest first, with interest earned so far on a held one.");

        accounts.MapPost("/{accountNumber}/deposits", async (
                string accountNumber, RequireDepositBody? body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, RequireDeposit workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await workflow.ExecuteAsync(new RequireDepositRequest(accountNumber, body?.WaiverReason, idempotencyKey), ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(DepositsCapability.ManageDeposits)
            .WithSummary("Require a deposit: decided from the account's class and the customer's record, billed as a charge (or waived, with the reason). Send an Idempotency-Key header.");

        accounts.MapPost("/{accountNumber}/deposits/apply", async (
                string accountNumber, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ApplyDepositToFinalBill workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await workflow.ExecuteAsync(new ApplyDepositRequest(accountNumber, idempotencyKey), ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(DepositsCapability.ManageDeposits)
            .WithSummary("Apply a final-billed account's deposit (and its interest) to the account. Stopping service does this itself. Send an Idempotency-Key header.");

        var deposits = api.MapGroup("/deposits").WithTags("Deposits").AddEndpointFilter<IdempotencyKeyFilter>();
        deposits.MapPost("/refund-reviews", async Task<Results<Ok<DepositReviewResponse>, ValidationProblem>> (
                RefundReviewBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ReviewDepositRefunds workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (!TryDate(body.Date, out var date))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("date", $"'{body.Date}' is not a date in the form YYYY-MM-DD.");
                }

                return TypedResults.Ok(ToResponse(await workflow.ExecuteAsync(date, ApiUser.Name(context), idempotencyKey, cancellationToken)));
            })
            .RequireAuthorization(DepositsCapability.ManageDeposits)
            .WithSummary("Run the refund review for a business date: paid deposits become held, and held deposits with the months of on-time payment are credited back with interest. Once per date.");

        var reports = api.MapGroup("/reports").WithTags("Deposits");
        reports.MapGet("/deposits", async Task<Results<Ok<DepositReportResponse>, FileContentHttpResult, ValidationProblem>> (
                string? asOf, string? from, string? format, DepositQueries queries, CancellationToken cancellationToken) =>
            {
                if (!TryDate(asOf, out var date))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("asOf", $"'{asOf}' is not a date in the form YYYY-MM-DD.");
                }

                DateOnly? start = null;
                if (!string.IsNullOrWhiteSpace(from))
                {
                    if (!TryDate(from, out var fromDate))
                    {
                        return (ValidationProblem)DomainExceptionFilter.Problem("from", $"'{from}' is not a date in the form YYYY-MM-DD.");
                    }

                    start = fromDate;
                }

                var report = await queries.ReportAsync(date, start, cancellationToken);
                return format switch
                {
                    null or "json" => TypedResults.Ok(ToResponse(report)),
                    "csv" => TypedResults.File(System.Text.Encoding.UTF8.GetBytes(DepositQueries.Csv(report)), "text/csv", $"deposits-{date:yyyyMMdd}.csv"),
                    _ => (ValidationProblem)DomainExceptionFilter.Problem("format", $"'{format}' is not json or csv."),
                };
            })
            .RequireAuthorization(ReportsCapability.ViewReports)
            .WithSummary("The deposit report: held and billed-unpaid on asOf, applied and refunded from 'from' (default: the month's first day), and the tie to GL 2200; format json or csv.");
    }

    public static DepositResponse ToResponse(DepositView d) => new(d.DepositId, d.AccountNumber, d.Status, d.DecisionKind, Dollars(d.StandardCents), Dollars(d.BilledCents), d.DecisionReason,
        d.ChargeTransactionId, Dollars(d.ChargeOpenCents), d.DecidedOn, d.DueOn, d.HeldSince, Dollars(d.InterestCents), d.ClosedOn, d.ClosedBy, d.CloseReason, d.ClosingTransactionId,
        d.RequestedBy, d.RequestedAt);

    public static DepositOutcomeResponse ToResponse(DepositOutcome o) => new(ToResponse(o.Deposit), Dollars(o.BalanceCents), o.AlreadyDone, o.Message);

    public static DepositReviewResponse ToResponse(DepositReviewResult r) => new(r.ReviewDate, r.Reviewed, r.BecameHeld, r.Refunded, Dollars(r.RefundedCents), Dollars(r.InterestCents),
        r.Refunds.Select(x => new DepositRefundResponse(x.DepositId, x.AccountNumber, Dollars(x.AmountCents), Dollars(x.InterestCents), x.HeldSince)).ToList(), r.AlreadyDone, r.Message);

    public static DepositReportResponse ToResponse(DepositReport r) => new(r.From, r.AsOf, r.HeldCount, Dollars(r.HeldCents), r.BilledUnpaidCount, Dollars(r.BilledUnpaidCents),
        r.AppliedCount, Dollars(r.AppliedCents), r.RefundedCount, Dollars(r.RefundedCents), Dollars(r.InterestCreditedCents), Dollars(r.InterestAccruedCents), Dollars(r.OutstandingCents),
        Dollars(r.GeneralLedgerBalanceCents), r.TiesToGeneralLedger, r.Outstanding.Select(Line).ToList(), r.Closed.Select(Line).ToList());

    private static DepositReportLineResponse Line(DepositReportLine l) => new(l.DepositId, l.AccountNumber, l.Status, Dollars(l.BilledCents), l.DecidedOn, l.HeldSince, l.ClosedOn, Dollars(l.InterestCents));

    /// <summary>An idempotency key reused for a different request is 422 Unprocessable Content, naming the Idempotency-Key header.</summary>
}
