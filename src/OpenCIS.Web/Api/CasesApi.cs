using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Cases;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Cases;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

/// <summary>A case to open: its type ("complaint", "billing-dispute", "high-bill-investigation", "leak-adjustment-request", "administrative-hearing-request").</summary>
public sealed record CaseBody(string? Kind, string? Subject, string? Description, string? Amount, string? AssignTo);

public sealed record CaseAssignBody(string? AssignTo, string? Queue, string? Note);

/// <summary>What the case waits on: "customer" or "field".</summary>
public sealed record CaseWaitBody(string? On, string? Note);

public sealed record CaseResolveBody(string? Resolution, string? Note);

public sealed record CaseNoteBody(string? Note);

/// <summary>Cases through the API: open on an account, list, assign, wait, note, resolve; and a person's work list. Nothing here moves money.</summary>
public static class CasesApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var account = api.MapGroup("/accounts/{id:long}/cases").WithTags("Cases");
        account.MapGet("/", async (long id, CaseQueries queries, CancellationToken cancellationToken) => TypedResults.Ok(await queries.ForAccountAsync(id, cancellationToken)))
            .RequireAuthorization(CasesCapability.ViewCases)
            .WithSummary("The account's cases, newest first, each with its history.");
        account.MapPost("/", async (long id, CaseBody body, CaseWork work, HttpContext context, CancellationToken cancellationToken) =>
            {
                var request = new CaseRequest(CaseTypes.Parse(body.Kind, "kind").Kind, body.Subject, body.Description, CollectionWorkApi.Amount(body.Amount, "amount"), body.AssignTo);
                var outcome = await work.OpenAsync(id, request, ApiUser.Name(context), cancellationToken);
                return TypedResults.Created($"/api/cases/{outcome.Case.Id}", outcome);
            })
            .RequireAuthorization(CasesCapability.WorkCases)
            .WithSummary("Open a case on the account; its due date is set by its type. A billing dispute names the amount in dispute (\"75.50\"), which is held out of collections until the case is resolved.");

        var cases = api.MapGroup("/cases").WithTags("Cases");
        cases.MapGet("/", async (string? assignedTo, string? queue, CaseQueries queries, CancellationToken cancellationToken) =>
                TypedResults.Ok(await queries.OpenAsync(assignedTo, queue, cancellationToken)))
            .RequireAuthorization(CasesCapability.ViewCases)
            .WithSummary("Open cases, soonest due first; optionally only a person's (assignedTo) or a queue's.");
        cases.MapGet("/{caseId:long}", async Task<Results<Ok<CaseView>, NotFound>> (long caseId, CaseQueries queries, CancellationToken cancellationToken) =>
                await queries.FindAsync(caseId, cancellationToken) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound())
            .RequireAuthorization(CasesCapability.ViewCases)
            .WithSummary("One case with its history.");
        cases.MapPost("/{caseId:long}/assign", async (long caseId, CaseAssignBody body, CaseWork work, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await work.AssignAsync(caseId, body.AssignTo, body.Queue, body.Note, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CasesCapability.WorkCases)
            .WithSummary("Assign the case to a person, optionally in another queue.");
        cases.MapPost("/{caseId:long}/wait", async (long caseId, CaseWaitBody body, CaseWork work, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await work.WaitAsync(caseId, WaitingOn(body.On), body.Note, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CasesCapability.WorkCases)
            .WithSummary("Set the case waiting on the customer or on the field.");
        cases.MapPost("/{caseId:long}/notes", async (long caseId, CaseNoteBody body, CaseWork work, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await work.NoteAsync(caseId, body.Note, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CasesCapability.WorkCases)
            .WithSummary("Add a note to the case's history.");
        cases.MapPost("/{caseId:long}/resolve", async (long caseId, CaseResolveBody body, CaseWork work, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await work.ResolveAsync(caseId, body.Resolution, body.Note, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CasesCapability.WorkCases)
            .WithSummary("Resolve the case once, with one of its type's resolution codes; a billing dispute's amount goes back into collections.");

        api.MapGet("/work", async (CaseQueries queries, IAuthorizationService authorization, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await queries.MyWorkAsync(ApiUser.Name(context),
                    (await authorization.AuthorizeAsync(context.User, CollectionsCapability.ApproveCollections)).Succeeded, cancellationToken)))
            .WithTags("Cases")
            .RequireAuthorization(CasesCapability.ViewCases)
            .WithSummary("The signed-in person's work: their open cases, the unassigned cases in the queues, their open orders and the waivers waiting on their decision.");
    }

    internal static CaseStatus WaitingOn(string? on) => (on ?? "").Trim().ToLowerInvariant() switch
    {
        "customer" => CaseStatus.WaitingOnCustomer,
        "field" => CaseStatus.WaitingOnField,
        _ => throw new DomainException($"'{on}' is not what a case waits on: say customer or field.", "on"),
    };
}
