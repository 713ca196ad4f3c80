using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Collections;
using OpenCIS.Web.Capabilities;

using static OpenCIS.Web.Api.CollectionWorkApi;

namespace OpenCIS.Web.Api;

/// <summary>
/// Amounts are dollars and cents ("120.00"); amount left out arranges the account's past-due balance. Dates are
/// YYYY-MM-DD; monthsApart defaults to 1. approveOutsidePolicy (Supervisor or Admin) with approvalReason takes
/// terms the policy refuses.
/// </summary>
public sealed record ArrangementBody(string? Amount, string DownPayment, int Installments, string FirstDueOn, int? MonthsApart, bool? ApproveOutsidePolicy, string? ApprovalReason);

public sealed record CancelArrangementBody(string Reason);

/// <summary>Payment arrangements on an account: listed with what is paid, set up within the policy (or approved outside it), cancelled, and the agreement letter.</summary>
public static class CollectionArrangementsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/accounts/{id:long}/arrangements").WithTags("Collections");
        accounts.MapGet("", async (long id, ArrangementQueries queries, CancellationToken cancellationToken) =>
                TypedResults.Ok(await queries.ForAccountAsync(id, cancellationToken)))
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("The account's arrangements, newest first, with their installments and what is paid toward each.");

        accounts.MapPost("", async (long id, ArrangementBody body, CreateArrangement workflow, IAuthorizationService authorization, HttpContext context, CancellationToken cancellationToken) =>
            {
                var request = await ReadAsync(body, authorization, context);
                var outcome = await workflow.ExecuteAsync(id, request, ApiUser.Name(context), cancellationToken);
                return TypedResults.Created($"/api/accounts/{id}/arrangements/{outcome.Arrangement.Id}", outcome);
            })
            .RequireAuthorization(CollectionsCapability.WorkCollections)
            .WithSummary("Set up an arrangement (audited). Terms outside the account's policy are refused naming the limit, unless a Supervisor approves them with a reason.");

        accounts.MapPost("/{aid:long}/cancel", async (long id, long aid, CancelArrangementBody body, CancelArrangement workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.ExecuteAsync(id, aid, body.Reason, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CollectionsCapability.WorkCollections)
            .WithSummary("Cancel an active arrangement today, with the reason (required; audited).");

        accounts.MapGet("/{aid:long}/letter.pdf", async Task<Results<FileContentHttpResult, NotFound>> (long id, long aid, ArrangementLetter letters, CancellationToken cancellationToken) =>
                await letters.RenderAsync(id, aid, cancellationToken) is { } letter
                    ? TypedResults.File(letter.Pdf, "application/pdf", letter.FileName)
                    : TypedResults.NotFound())
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("The arrangement's one-page agreement letter (PDF).");
    }

    /// <summary>The request from the body; approval outside the policy only for a user who holds it.</summary>
    public static async Task<ArrangementRequest> ReadAsync(ArrangementBody body, IAuthorizationService authorization, HttpContext context)
    {
        var approve = body.ApproveOutsidePolicy == true;
        if (approve && !(await authorization.AuthorizeAsync(context.User, CollectionsCapability.ApproveCollections)).Succeeded)
        {
            throw new DomainException("Only a Supervisor may approve terms outside the policy.", "approveOutsidePolicy");
        }

        return new ArrangementRequest(
            Amount(body.Amount, "amount"),
            Amount(body.DownPayment, "downPayment") ?? throw new DomainException("Enter the down payment (0.00 for none).", "downPayment"),
            body.Installments,
            Date(body.FirstDueOn, "firstDueOn") ?? throw new DomainException("Enter the first installment's due date, YYYY-MM-DD.", "firstDueOn"),
            body.MonthsApart ?? 1,
            approve,
            body.ApprovalReason);
    }
}
