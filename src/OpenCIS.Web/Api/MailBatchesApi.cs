using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Payments.Mail;
using OpenCIS.UseCases.Payments.Mail;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

/// <summary>The adding-machine tape's controls; the total is text in dollars and cents ("1234.56").</summary>
public sealed record OpenMailBatchBody(int ControlCount, string ControlTotal);

/// <summary>A stub as keyed or scanned: the scan line (spaces allowed), the check's amount when it differs from the amount due, the check number if wanted.</summary>
public sealed record MailBatchItemBody(string ScanLine, string? Amount, string? CheckNumber);

public sealed record MailBatchItemResponse(long Id, int Number, string AccountNumber, long BillNumber, string AmountDue, string Amount, string? CheckNumber, string ScanLine, string? ReceiptNumber);

public sealed record MailBatchResponse(
    long Id, DateOnly BusinessDate, string Status, string OpenedBy, DateTimeOffset OpenedAt, string? PostedBy, DateTimeOffset? PostedAt,
    int ControlCount, string ControlTotal, int KeyedCount, string KeyedTotal, int CountDifference, string TotalDifference, bool Balances,
    IReadOnlyList<MailBatchItemResponse> Items);

public sealed record MailBatchPostResponse(bool AlreadyPosted, string Message, MailBatchResponse Batch);

public static class MailBatchesApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var batches = api.MapGroup("/payments/mail-batches").WithTags("Payments").RequireAuthorization(PaymentsCapability.KeyMailPayments);

        batches.MapPost("/", async Task<Results<Ok<MailBatchResponse>, ValidationProblem>> (OpenMailBatchBody body, KeyMailBatch workflow, HttpContext context, CancellationToken cancellationToken) =>
                !Money.TryParse(body.ControlTotal, out var total)
                    ? (ValidationProblem)DomainExceptionFilter.Problem("controlTotal", $"'{body.ControlTotal}' is not an amount in dollars and cents.")
                    : TypedResults.Ok(ToResponse(await workflow.OpenAsync(body.ControlCount, total, ApiUser.Name(context), cancellationToken))))
            .WithSummary("Open a mail payment batch with the adding-machine tape's control count and total.");

        batches.MapGet("/{id:long}", async Task<Results<Ok<MailBatchResponse>, NotFound>> (long id, KeyMailBatch workflow, CancellationToken cancellationToken) =>
                await workflow.FindAsync(id, cancellationToken) is { } batch ? TypedResults.Ok(ToResponse(batch)) : TypedResults.NotFound())
            .WithSummary("A mail batch: its controls, what was keyed against them, and its items (with receipt numbers once posted).");

        batches.MapPost("/{id:long}/items", async Task<Results<Ok<MailBatchResponse>, ValidationProblem>> (long id, MailBatchItemBody body, KeyMailBatch workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                Money? amount = null;
                if (!string.IsNullOrWhiteSpace(body.Amount))
                {
                    if (!Money.TryParse(body.Amount, out var parsed))
                    {
                        return (ValidationProblem)DomainExceptionFilter.Problem("amount", $"'{body.Amount}' is not an amount in dollars and cents.");
                    }

                    amount = parsed;
                }

                return TypedResults.Ok(ToResponse(await workflow.AddItemAsync(id, body.ScanLine, amount, body.CheckNumber, ApiUser.Name(context), cancellationToken)));
            })
            .WithSummary("Key a stub by its scan line. A line failing its check digit, or naming a closed or cash-only account, is refused with the reason. The amount defaults to the amount due on the line.");

        batches.MapDelete("/{id:long}/items/{itemId:long}", async (long id, long itemId, KeyMailBatch workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await workflow.RemoveItemAsync(id, itemId, ApiUser.Name(context), cancellationToken))))
            .WithSummary("Remove a keyed item from a batch that has not posted.");

        batches.MapPost("/{id:long}/post", async (long id, PostMailBatch workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                var outcome = await workflow.ExecuteAsync(id, ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(new MailBatchPostResponse(outcome.AlreadyPosted, outcome.Message, ToResponse(outcome.Batch)));
            })
            .WithSummary("Post the batch: only when the keyed count and total match the controls; every check posts in one transaction; posting again posts nothing.");
    }

    public static MailBatchResponse ToResponse(MailBatchView b) =>
        new(b.Id, b.BusinessDate, b.Status.ToString(), b.OpenedBy, b.OpenedAt, b.PostedBy, b.PostedAt,
            b.Balance.ControlCount, b.Balance.ControlTotal.ToPlainString(), b.Balance.KeyedCount, b.Balance.KeyedTotal.ToPlainString(),
            b.Balance.CountDifference, b.Balance.TotalDifference.ToPlainString(), b.Balance.Balances,
            b.Items.Select(i => new MailBatchItemResponse(i.Id, i.Number, i.AccountNumber, i.BillNumber, i.AmountDue.ToPlainString(), i.Amount.ToPlainString(), i.CheckNumber, i.ScanLine, i.ReceiptNumber)).ToList());
}
