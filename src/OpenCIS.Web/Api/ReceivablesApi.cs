using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.Core.Receivables;
using OpenCIS.Storage.Receivables;
using OpenCIS.UseCases.Receivables;
using OpenCIS.Web.Security;

using static OpenCIS.Web.Api.ApiText;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

/// <summary>Amount is text in dollars and cents ("25.00"); method is "check" or "ach".</summary>
public sealed record RefundBody(string Amount, string Method, string Note);

public sealed record RefundDecisionBody(string? Note);

public sealed record RefundRejectionBody(string Reason);

public sealed record RefundResponse(long RefundId, string AccountNumber, string Amount, string Method, string PayeeName, string? MailingAddress, string? BankAccount, string Note, string Status,
    string RequestedBy, DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt, DateOnly? DecidedOn, string? DecisionNote, long? TransactionId);

public sealed record RefundOutcomeResponse(RefundResponse Refund, string Balance, bool AlreadyDone, string Message);

public sealed record TransferBody(string ToAccountNumber, string Reason);

public sealed record TransferResponse(long TransferId, string FromAccountNumber, string ToAccountNumber, string Amount, long OutTransactionId, long InTransactionId,
    string FromBalance, string ToBalance, string TransferredBy, DateTimeOffset TransferredAt, bool AlreadyDone, string Message);

/// <summary>Amount empty or absent writes off the whole balance.</summary>
public sealed record WriteOffBody(string? Amount, string ReasonCode, string? Note);

public sealed record WriteOffReversalBody(string Reason);

public sealed record WriteOffResponse(long WriteOffId, string AccountNumber, string Amount, string ReasonCode, string Note, long TransactionId, string WrittenOffBy, DateTimeOffset WrittenOffAt,
    long? ReversalTransactionId, string? ReversedBy, DateTimeOffset? ReversedAt, string? ReversalReason);

public sealed record WriteOffOutcomeResponse(WriteOffResponse WriteOff, string Balance, bool AlreadyDone, string Message);

/// <summary>
/// Receivables: refunds of credit balances and their approval, the refund register, balance transfers,
/// write-offs and their reversal. Every write that moves money takes an Idempotency-Key header: the same
/// key and body return the first result; the same key with another body is a 422 naming the header.
/// </summary>
public static class ReceivablesApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/accounts").WithTags("Receivables").AddEndpointFilter<IdempotencyKeyFilter>();
        accounts.MapPost("/{accountNumber}/refunds", async Task<Results<Ok<RefundOutcomeResponse>, ValidationProblem>> (
                string accountNumber, RefundBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, RequestRefund workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (!Money.TryParse(body.Amount, out var amount) || !amount.IsPositive)
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("amount", $"'{body.Amount}' is not an amount in dollars and cents above zero.");
                }

                if (!Enum.TryParse<RefundMethod>(body.Method?.Trim(), ignoreCase: true, out var method) || !Enum.IsDefined(method))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("method", $"'{body.Method}' is not check or ach.");
                }

                var outcome = await workflow.ExecuteAsync(new RefundRequest(accountNumber, amount, method, body.Note, idempotencyKey), ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(ToResponse(outcome));
            })
            .RequireAuthorization(ReceivablesCapability.RequestRefunds)
            .WithSummary("Ask to refund part or all of an account's credit balance by check (to the main customer's mailing address) or ACH (to the active enrollment). It waits for a Supervisor. Send an Idempotency-Key header.");

        accounts.MapPost("/{accountNumber}/transfer", async (
                string accountNumber, TransferBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, TransferBalance workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await workflow.ExecuteAsync(new TransferRequest(accountNumber, body.ToAccountNumber, body.Reason, idempotencyKey), ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(ReceivablesCapability.TransferBalances)
            .WithSummary("Move the account's whole open balance (owed or credit) to another account of the same customer, keeping the service split. Send an Idempotency-Key header.");

        accounts.MapPost("/{accountNumber}/write-offs", async Task<Results<Ok<WriteOffOutcomeResponse>, ValidationProblem>> (
                string accountNumber, WriteOffBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, WriteOffBalance workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                Money? amount = null;
                if (!string.IsNullOrWhiteSpace(body.Amount))
                {
                    if (!Money.TryParse(body.Amount, out var parsed) || !parsed.IsPositive)
                    {
                        return (ValidationProblem)DomainExceptionFilter.Problem("amount", $"'{body.Amount}' is not an amount in dollars and cents above zero.");
                    }

                    amount = parsed;
                }

                var outcome = await workflow.ExecuteAsync(new WriteOffRequest(accountNumber, amount, body.ReasonCode, body.Note, idempotencyKey), ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(ToResponse(outcome));
            })
            .RequireAuthorization(ReceivablesCapability.WriteOffAccounts)
            .WithSummary("Write off the account's open balance, or an amount up to it, with a reason code. Send an Idempotency-Key header.");

        accounts.MapGet("/{accountNumber}/receivables", async (string accountNumber, ReceivablesQueries queries, CancellationToken cancellationToken) =>
                TypedResults.Ok(await queries.ForAccountAsync(accountNumber, cancellationToken)))
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("The account's balance, the customer's other accounts, and its refunds, transfers and write-offs.");

        var refunds = api.MapGroup("/refunds").WithTags("Receivables").AddEndpointFilter<IdempotencyKeyFilter>();
        refunds.MapGet("/", async Task<Results<Ok<List<RefundResponse>>, ValidationProblem>> (string? status, RefundQueries queries, CancellationToken cancellationToken) =>
            {
                RefundStatus? filter = null;
                if (!string.IsNullOrWhiteSpace(status))
                {
                    if (!Enum.TryParse<RefundStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                    {
                        return (ValidationProblem)DomainExceptionFilter.Problem("status", $"'{status}' is not pending, approved or rejected.");
                    }

                    filter = parsed;
                }

                return TypedResults.Ok((await queries.ListAsync(filter, cancellationToken)).Select(ToResponse).ToList());
            })
            .RequireAuthorization(ReceivablesCapability.ApproveRefunds)
            .WithSummary("Refunds, oldest first; ?status=pending is the approval queue.");

        refunds.MapPost("/{refundId:long}/approve", async (long refundId, RefundDecisionBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, DecideRefund workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await workflow.ApproveAsync(refundId, ApiUser.Name(context), body.Note, idempotencyKey, cancellationToken))))
            .RequireAuthorization(ReceivablesCapability.ApproveRefunds)
            .WithSummary("Approve a pending refund: it posts now and goes on the refund register. The requester cannot approve their own. Send an Idempotency-Key header.");

        refunds.MapPost("/{refundId:long}/reject", async (long refundId, RefundRejectionBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, DecideRefund workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await workflow.RejectAsync(refundId, ApiUser.Name(context), body.Reason, idempotencyKey, cancellationToken))))
            .RequireAuthorization(ReceivablesCapability.ApproveRefunds)
            .WithSummary("Reject a pending refund with a reason; nothing posts.");

        refunds.MapGet("/register", async Task<Results<FileContentHttpResult, Ok<RefundRegister>, ValidationProblem>> (string from, string? through, string? format, RefundQueries queries, CancellationToken cancellationToken) =>
            {
                if (!TryDate(from, out var start))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("from", $"'{from}' is not a date in the form YYYY-MM-DD.");
                }

                var end = start;
                if (!string.IsNullOrWhiteSpace(through) && !TryDate(through, out end))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("through", $"'{through}' is not a date in the form YYYY-MM-DD.");
                }

                var register = await queries.RegisterAsync(start, end, cancellationToken);
                return string.Equals(format, "json", StringComparison.OrdinalIgnoreCase)
                    ? TypedResults.Ok(register)
                    : TypedResults.File(System.Text.Encoding.UTF8.GetBytes(RefundQueries.ToCsv(register)), "text/csv", $"refund-register-{start:yyyy-MM-dd}-{end:yyyy-MM-dd}.csv");
            })
            .RequireAuthorization(ReceivablesCapability.ApproveRefunds)
            .WithSummary("The refund register: refunds approved on business dates from..through, for accounts payable (CSV; ?format=json for JSON).");

        var writeOffs = api.MapGroup("/write-offs").WithTags("Receivables").AddEndpointFilter<IdempotencyKeyFilter>();
        writeOffs.MapGet("/reasons", () => TypedResults.Ok(WriteOffReasons.All.ToList()))
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("The write-off reason codes.");

        writeOffs.MapPost("/{writeOffId:long}/reverse", async (long writeOffId, WriteOffReversalBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ReverseWriteOff workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await workflow.ExecuteAsync(writeOffId, body.Reason, idempotencyKey, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(ReceivablesCapability.WriteOffAccounts)
            .WithSummary("Reverse a write-off (the debt is being collected after all): the amount is owed again, by the services it had settled. Send an Idempotency-Key header.");
    }

    public static RefundResponse ToResponse(RefundView r) => new(r.RefundId, r.AccountNumber, Dollars(r.AmountCents), r.Method, r.PayeeName, r.MailingAddress, r.BankAccount, r.Note, r.Status,
        r.RequestedBy, r.RequestedAt, r.DecidedBy, r.DecidedAt, r.DecidedOn, r.DecisionNote, r.TransactionId);

    public static RefundOutcomeResponse ToResponse(RefundOutcome o) => new(ToResponse(o.Refund), Dollars(o.BalanceCents), o.AlreadyDone, o.Message);

    public static TransferResponse ToResponse(TransferOutcome t) => new(t.TransferId, t.FromAccountNumber, t.ToAccountNumber, Dollars(t.AmountCents), t.OutTransactionId, t.InTransactionId,
        Dollars(t.FromBalanceCents), Dollars(t.ToBalanceCents), t.TransferredBy, t.TransferredAt, t.AlreadyDone, t.Message);

    public static WriteOffResponse ToResponse(WriteOffView w) => new(w.WriteOffId, w.AccountNumber, Dollars(w.AmountCents), w.ReasonCode, w.Note, w.TransactionId, w.WrittenOffBy, w.WrittenOffAt,
        w.ReversalTransactionId, w.ReversedBy, w.ReversedAt, w.ReversalReason);

    public static WriteOffOutcomeResponse ToResponse(WriteOffOutcome o) => new(ToResponse(o.WriteOff), Dollars(o.BalanceCents), o.AlreadyDone, o.Message);
}
