using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Data.Payments;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Api;

/// <summary>Amount is text in dollars and cents ("45.10"), so no binary floating point ever touches money.</summary>
public sealed record TakePaymentBody(string AccountNumber, string Amount, string Tender, string? Reference);

public sealed record ReceiptResponse(long PaymentId, string ReceiptNumber, string AccountNumber, string Amount, string Tender, DateOnly ReceivedOn, string NewBalance, bool AlreadyPosted);

public sealed record PaymentFileResponse(bool Posted, bool AlreadyPosted, int PaymentCount, string Total, IReadOnlyList<FileError> Errors, string Message);

public static class PaymentsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var payments = api.MapGroup("/payments").WithTags("Payments");
        payments.MapPost("/", async Task<Results<Ok<ReceiptResponse>, ValidationProblem>> (
                TakePaymentBody body,
                [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                TakePayment workflow,
                HttpContext context,
                CancellationToken cancellationToken) =>
            {
                if (!Money.TryParse(body.Amount, out var amount))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("amount", $"'{body.Amount}' is not an amount in dollars and cents.");
                }

                if (!Tenders.TryParse(body.Tender, out var tender))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("tender", $"'{body.Tender}' is not one of cash, check, money order, card, ach.");
                }

                if (idempotencyKey is { Length: > 100 })
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("Idempotency-Key", "The idempotency key can be at most 100 characters.");
                }

                var receipt = await workflow.ExecuteAsync(new TakePaymentRequest(body.AccountNumber, amount, tender, body.Reference, PaymentSource.Api, idempotencyKey), ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(ToResponse(receipt));
            })
            .RequireAuthorization(Permissions.TakePayments)
            .WithSummary("Take a payment. Send an Idempotency-Key header: a repeat of the same request returns the first receipt and posts nothing.");

        payments.MapPost("/files", async (IFormFile file, PostPaymentFile workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, cancellationToken);
                var outcome = await workflow.ExecuteAsync(file.FileName, buffer.ToArray(), ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(new PaymentFileResponse(outcome.Posted, outcome.AlreadyPosted, outcome.PaymentCount, outcome.Total.ToPlainString(), outcome.Errors, outcome.Message));
            })
            .RequireAuthorization(Permissions.PostPaymentFiles)
            .DisableAntiforgery()
            .WithSummary("Post a CSV payment file (account,amount,date,tender,reference). A file with any bad line posts nothing; the same file twice posts once.");
    }

    public static ReceiptResponse ToResponse(PaymentReceipt receipt) =>
        new(receipt.PaymentId, receipt.ReceiptNumber, receipt.AccountNumber, receipt.Amount.ToPlainString(), receipt.Tender.ToString(), receipt.ReceivedOn, receipt.NewBalance.ToPlainString(), receipt.AlreadyPosted);
}
