using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Collections;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

/// <summary>
/// Notice templates through the API (list, the text of one version, a new version from its text), and the
/// notices the daily run produced.
/// </summary>
public static class CollectionNoticesApi
{
    /// <summary>The largest template body taken.</summary>
    public const int BodyBytesMax = 100_000;

    public static void Map(RouteGroupBuilder api)
    {
        var templates = api.MapGroup("/collections/notice-templates").WithTags("Collections");
        templates.MapGet("/", async (ImportNoticeTemplate workflow, CancellationToken cancellationToken) => TypedResults.Ok(await workflow.ListAsync(cancellationToken)))
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("Every notice template version, newest first within each kind.");

        templates.MapGet("/{kind}", async Task<Results<ContentHttpResult, NotFound>> (string kind, int? version, ImportNoticeTemplate workflow, CancellationToken cancellationToken) =>
                await workflow.ExportAsync(kind, version, cancellationToken) is { } found ? TypedResults.Text(found.Text, "text/plain", Encoding.UTF8) : TypedResults.NotFound())
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("A template version's Liquid text exactly as imported (the latest, or the one of ?version=N).");

        templates.MapPost("/{kind}", ImportAsync)
            .RequireAuthorization(CollectionsCapability.ManageCollectionPolicy)
            .WithSummary("Add a notice template version (reminder, final_notice, owner_notice, door_hanger) from its Liquid text as the body. 201 with the version; the same text as the latest is 200; a template that does not parse or uses a variable a notice does not have is 400, each problem named by line and field, and nothing is stored.");
    }

    private static async Task<Results<Created<NoticeTemplateListing>, Ok<NoticeTemplateListing>, ValidationProblem>> ImportAsync(string kind, HttpRequest request, ImportNoticeTemplate workflow, CancellationToken cancellationToken)
    {
        if (request.ContentLength > BodyBytesMax)
        {
            throw new DomainException($"A template is at most {BodyBytesMax:N0} bytes.", "text");
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = (await reader.ReadToEndAsync(cancellationToken)).ReplaceLineEndings("\n");
        var outcome = await workflow.ExecuteAsync(kind, $"{kind}.liquid", text, ApiUser.Name(request.HttpContext), cancellationToken);
        if (outcome.Errors.Count > 0)
        {
            return CollectionPoliciesApi.Problem(outcome.Errors, outcome.Message);
        }

        var listing = (await workflow.ListAsync(cancellationToken)).Single(v => v.Id == outcome.TemplateId);
        return outcome.Imported
            ? TypedResults.Created($"/api/collections/notice-templates/{listing.Kind}?version={listing.Version}", listing)
            : TypedResults.Ok(listing);
    }
}
