using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;
using OpenCIS.Web.Jobs;
using OpenCIS.UseCases.Jobs;

namespace OpenCIS.Web.Api;

/// <summary>Amount is text in dollars and cents ("45.10"), so no binary floating point ever touches money.</summary>
/// <summary>A payment to an account, or to an invoice by its number (which it pays first; the account number may then be left out).</summary>
public sealed record TakePaymentBody(string? AccountNumber, string Amount, string Tender, string? Reference, long? InvoiceNumber = null);

public sealed record ReceiptResponse(long PaymentId, string ReceiptNumber, string AccountNumber, string Amount, string Tender, DateOnly ReceivedOn, string NewBalance, bool AlreadyPosted);



public sealed record SuspenseItemResponse(long Id, string FileName, int RecordNumber, string AccountReference, string Amount, DateOnly ReceivedOn, string Tender, string? Reference,
    string Reason, string Detail, string Status, string? ResolvedBy, DateTimeOffset? ResolvedAt, string? ResolvedAccountNumber, string? ReceiptNumber, string? Note);

/// <summary>Name the account to post the item to, or set Return (with a note) to send it back to the payer.</summary>
public sealed record ResolveSuspenseBody(string? AccountNumber, string? Note, bool Return = false);

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

                if (IdempotencyFilter.KeyProblem(idempotencyKey) is { } tooLong)
                {
                    return tooLong;
                }

                var receipt = await workflow.ExecuteAsync(new TakePaymentRequest(body.AccountNumber ?? "", amount, tender, body.Reference, PaymentSource.Api, idempotencyKey, body.InvoiceNumber), ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(ToResponse(receipt));
            })
            .RequireAuthorization(PaymentsCapability.TakePayments)
            .AddEndpointFilter<IdempotencyKeyFilter>()
            .WithSummary("Take a payment to an account, or to an invoice by invoiceNumber (it pays that invoice first). Send an Idempotency-Key header: your repeat of the same request returns the first receipt and posts nothing; your key on another request is 422. A key is its sender's own.");

        payments.MapPost("/files", async (IFormFile file, StartJob start, HttpContext context, CancellationToken cancellationToken) =>
                await JobStarts.AcceptAsync(start, PostPaymentFileJob.Request(await JobStarts.ReadAsync(file, cancellationToken)), ApiUser.Name(context), cancellationToken))
            .RequireAuthorization(PaymentsCapability.PostPaymentFiles)
            .DisableAntiforgery()
            .WithSummary("Post a CSV payment file (account,amount,date,tender,reference) as a job: 202 with the job and its status URL; once finished, the job's result is the file's outcome (PaymentFileResult). A file with any bad line posts nothing; the same file twice posts once (409 while the first is still going).");

        payments.MapPost("/lockbox", async Task<Results<Accepted<JobView>, Conflict<ProblemDetails>, ValidationProblem>> (IFormFile file, [FromForm] string format, StartJob start, HttpContext context, CancellationToken cancellationToken) =>
            {
                LockboxFormat? parsed = format.ToLowerInvariant() switch { "bai2" => LockboxFormat.Bai2, "csv" => LockboxFormat.Csv, _ => null };
                if (parsed is null)
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("format", $"'{format}' is not bai2 or csv.");
                }

                return await JobStarts.AcceptAsync(start, ImportLockboxJob.Request(await JobStarts.ReadAsync(file, cancellationToken), parsed.Value), ApiUser.Name(context), cancellationToken);
            })
            .RequireAuthorization(PaymentsCapability.PostPaymentFiles)
            .DisableAntiforgery()
            .WithSummary("Import a bank lockbox file (multipart: file, and format bai2 or csv) as a job: 202 with the job and its status URL; once finished, the job's result is the file's outcome (LockboxResult). A bad record or a wrong control total posts nothing and is named by record and field; unknown, closed and cash-only accounts go to suspense; the same file twice posts once; a re-run of an interrupted import resumes.");

        payments.MapGet("/suspense", async (bool? all, ResolveSuspense workflow, CancellationToken cancellationToken) =>
                TypedResults.Ok((await workflow.ListAsync(all != true, cancellationToken)).Select(ToResponse).ToList()))
            .RequireAuthorization(PaymentsCapability.ResolveSuspense)
            .WithSummary("The suspense queue: lockbox payments waiting for a clerk (open ones; all=true for resolved and returned ones too, at most 500).");

        payments.MapPost("/suspense/{id:long}/resolve", async Task<Results<Ok<SuspenseItemResponse>, ValidationProblem>> (long id, ResolveSuspenseBody body, ResolveSuspense workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                var user = ApiUser.Name(context);
                if (body.Return)
                {
                    return TypedResults.Ok(ToResponse(await workflow.ReturnAsync(id, body.Note ?? "", user, cancellationToken)));
                }

                if (string.IsNullOrWhiteSpace(body.AccountNumber))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("accountNumber", "Name the account to post the payment to, or set return with a note.");
                }

                return TypedResults.Ok(ToResponse(await workflow.ResolveAsync(id, body.AccountNumber, body.Note, user, cancellationToken)));
            })
            .RequireAuthorization(PaymentsCapability.ResolveSuspense)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Resolve a suspense item: post it to the named account (audited), or return it to the payer with a note.");
    }

    public static SuspenseItemResponse ToResponse(SuspenseView v) =>
        new(v.Id, v.FileName, v.RecordNumber, v.AccountReference, v.Amount.ToPlainString(), v.ReceivedOn, v.Tender.ToString(), v.Reference, v.Reason.ToString(), v.Detail, v.Status.ToString(),
            v.ResolvedBy, v.ResolvedAt, v.ResolvedAccountNumber, v.ReceiptNumber, v.ResolutionNote);

    public static ReceiptResponse ToResponse(PaymentReceipt receipt) =>
        new(receipt.PaymentId, receipt.ReceiptNumber, receipt.AccountNumber, receipt.Amount.ToPlainString(), receipt.Tender.ToString(), receipt.ReceivedOn, receipt.NewBalance.ToPlainString(), receipt.AlreadyPosted);
}
