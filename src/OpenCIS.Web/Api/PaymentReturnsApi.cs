using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Payments.Returns;
using OpenCIS.UseCases.Payments.Returns;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

/// <summary>Reason: NSF, stop payment, account closed, charge back or other; the bank's reference is optional.</summary>
public sealed record ReturnPaymentBody(string Reason, string? BankReference);

public sealed record PaymentReturnResponse(
    long ReturnId, string ReceiptNumber, string AccountNumber, string Amount, string Reason, string? BankReference, DateOnly ReturnedOn, string Fee, string NewBalance,
    bool MadeCashOnly, bool AlreadyReturned);

public static class PaymentReturnsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/payments/{receipt}/return", async Task<Results<Ok<PaymentReturnResponse>, ValidationProblem, ProblemHttpResult>> (
                string receipt,
                ReturnPaymentBody body,
                [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                ReturnPayment workflow,
                HttpContext context,
                CancellationToken cancellationToken) =>
            {
                if (!PaymentReturnReasons.TryParse(body.Reason, out var reason))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("reason", $"'{body.Reason}' is not one of NSF, stop payment, account closed, charge back, other.");
                }

                var outcome = await workflow.ExecuteAsync(new ReturnPaymentRequest(receipt, reason, body.BankReference, idempotencyKey), ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(ToResponse(outcome));
            })
            .AddEndpointFilter<IdempotencyKeyFilter>()
            .RequireAuthorization(PaymentsCapability.ReturnPayments)
            .WithTags("Payments")
            .WithSummary("Return a payment the bank sent back (returned check, card charge back): reverses it, restores the items it paid, adds the returned-payment fee, notes the account, and makes it cash-only after the configured number of returns in twelve months. Send an Idempotency-Key: the same key and body answer with the first return; the same key with another body is 422.");
    }

    public static PaymentReturnResponse ToResponse(PaymentReturnOutcome o) =>
        new(o.ReturnId, o.ReceiptNumber, o.AccountNumber, o.Amount.ToPlainString(), o.Reason.ToString(), o.BankReference, o.ReturnedOn, o.Fee.ToPlainString(), o.NewBalance.ToPlainString(),
            o.MadeCashOnly, o.AlreadyReturned);
}
