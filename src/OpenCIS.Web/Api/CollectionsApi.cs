using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Jobs;
using OpenCIS.Web.Capabilities;
using OpenCIS.Web.Jobs;

namespace OpenCIS.Web.Api;

/// <summary>Collections through the API: the daily run (a job), the runs, the disconnect list (JSON or CSV), an account's standing and history.</summary>
public static class CollectionsApi
{
    public sealed record RunRequest(DateOnly BusinessDate);

    public static void Map(RouteGroupBuilder api)
    {
        var collections = api.MapGroup("/collections").WithTags("Collections");
        collections.MapPost("/runs", async (RunRequest body, StartJob start, HttpContext context, CancellationToken cancellationToken) =>
                await JobStarts.AcceptAsync(start, RunCollectionsJob.Request(body.BusinessDate), ApiUser.Name(context), cancellationToken))
            .RequireAuthorization(CollectionsCapability.RunCollections)
            .WithSummary("Start the daily collections run for a business date, as a job: 202 with the job. A date already run completes at once and changes nothing; 409 while that date's run is going.");

        collections.MapGet("/runs", async (CollectionQueries queries, CancellationToken cancellationToken) => TypedResults.Ok(await queries.RunsAsync(60, cancellationToken)))
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("The daily runs, newest first, with what each did.");

        collections.MapGet("/disconnect-list", async (bool? withProtected, CollectionQueries queries, CancellationToken cancellationToken) =>
                TypedResults.Ok(await queries.DisconnectListAsync(withProtected ?? false, cancellationToken)))
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("The disconnect list as of the last run, grouped by route, each entry with its reason; ?withProtected=true adds the accounts a protection keeps off, with the protection named.");

        collections.MapGet("/disconnect-list.csv", async (bool? withProtected, CollectionQueries queries, CancellationToken cancellationToken) =>
                TypedResults.File(System.Text.Encoding.UTF8.GetBytes(CollectionQueries.Csv(await queries.DisconnectListAsync(withProtected ?? false, cancellationToken))), "text/csv", "disconnect-list.csv"))
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("The disconnect list as CSV, by route.");

        api.MapGet("/accounts/{id:long}/collections", async Task<Results<Ok<AccountCollectionView>, NotFound>> (long id, CollectionQueries queries, CancellationToken cancellationToken) =>
                await queries.AccountAsync(id, cancellationToken) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound())
            .WithTags("Collections")
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("An account's standing in collections (status, past due, on the list or held, and why) and its history of steps, newest first.");
    }
}
