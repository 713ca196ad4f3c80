using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Collections;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

/// <summary>The late charge or collection fee to waive (its posting's id) and why; approve (Supervisor or Admin) posts beyond the courtesy limit at once.</summary>
public sealed record WaiverBody(long TransactionId, string? Reason, bool? Approve);

/// <summary>A Supervisor's decision on a pending waiver: approve, or refuse with a note.</summary>
public sealed record WaiverDecisionBody(bool Approve, string? Note);

/// <summary>Waivers of late charges and collection fees: a courtesy within the policy's limit, beyond it with a Supervisor's approval.</summary>
public static class CollectionWaiversApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/accounts/{id:long}/collections/waivers").WithTags("Collections");
        accounts.MapGet("", async Task<Results<Ok<AccountWaiversView>, NotFound>> (long id, WaiverQueries queries, CancellationToken cancellationToken) =>
                await queries.ForAccountAsync(id, cancellationToken) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound())
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("The account's late charges and collection fees of the last 12 months, each with its waiver, and the courtesy waivers used of the policy's limit.");

        accounts.MapPost("", async (long id, WaiverBody body, WaiveCharge workflow, IAuthorizationService authorization, HttpContext context, CancellationToken cancellationToken) =>
            {
                var approve = await MayApproveAsync(body.Approve == true, authorization, context);
                var outcome = await workflow.ExecuteAsync(id, body.TransactionId, body.Reason, ApiUser.Name(context), approve, cancellationToken);
                return TypedResults.Created($"/api/accounts/{id}/collections/waivers", outcome);
            })
            .RequireAuthorization(CollectionsCapability.WaiveCharges)
            .WithSummary("Waive a late charge or collection fee (audited): posted at once within the courtesy limit, otherwise pending a Supervisor's approval. A charge is waived at most once.");

        var waivers = api.MapGroup("/collections/waivers").WithTags("Collections");
        waivers.MapGet("", async (WaiverQueries queries, CancellationToken cancellationToken) => TypedResults.Ok(await queries.PendingAsync(cancellationToken)))
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("The waivers waiting for a Supervisor, oldest first.");

        waivers.MapPost("/{wid:long}/decision", async (long wid, WaiverDecisionBody body, WaiveCharge workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.DecideAsync(wid, body.Approve, body.Note, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CollectionsCapability.ApproveCollections)
            .WithSummary("Approve a pending waiver (it posts) or refuse it with a note (nothing posts).");
    }

    /// <summary>Approval beyond the courtesy limit, only for a user who holds it.</summary>
    public static async Task<bool> MayApproveAsync(bool approve, IAuthorizationService authorization, HttpContext context) =>
        !approve || (await authorization.AuthorizeAsync(context.User, CollectionsCapability.ApproveCollections)).Succeeded
            ? approve
            : throw new DomainException("Only a Supervisor may approve a waiver beyond the courtesy limit.", "approve");
}
