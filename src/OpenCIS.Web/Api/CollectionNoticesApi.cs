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

        templates.MapGet("/{kind}", async Task<Results<ContentHttpResult, NotFound>> (string kind, int? version, string? language, ImportNoticeTemplate workflow, CancellationToken cancellationToken) =>
                await workflow.ExportAsync(kind, version, language ?? "en", cancellationToken) is { } found ? TypedResults.Text(found.Text, "text/plain", Encoding.UTF8) : TypedResults.NotFound())
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("A template version's Liquid text exactly as imported (the latest, or the one of ?version=N), in English or the ?language= given (en, es).");

        templates.MapPost("/{kind}", ImportAsync)
            .RequireAuthorization(CollectionsCapability.ManageCollectionPolicy)
            .WithSummary("Add a notice or letter template version (reminder, final_notice, owner_notice, door_hanger, welcome, final_bill, high_bill_result, dispute_decision) from its Liquid text as the body, in English or the ?language= given (en, es: a customer's notices and letters come from their language's template, else the English one). 201 with the version; the same text as the latest is 200; a template that does not parse or uses a variable a notice does not have is 400, each problem named by line and field, and nothing is stored.");

        MapNotices(api);
    }

    private static void MapNotices(RouteGroupBuilder api)
    {
        var notices = api.MapGroup("/collections/notices").WithTags("Collections");
        notices.MapGet("/", async (DateOnly date, NoticeQueries queries, CancellationToken cancellationToken) => TypedResults.Ok(await queries.ForDateAsync(date, cancellationToken)))
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("The notices written for a business date (?date=YYYY-MM-DD): mailed, e-mailed and door hangers (delivery Field).");

        notices.MapGet("/{noticeId:long}.pdf", async Task<Results<FileContentHttpResult, NotFound>> (long noticeId, NoticeQueries queries, CancellationToken cancellationToken) =>
                await queries.PdfAsync(noticeId, null, cancellationToken) is { } file ? TypedResults.File(file.Pdf, "application/pdf", file.FileName) : TypedResults.NotFound())
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("One notice as a PDF.");

        notices.MapGet("/print.pdf", async (DateOnly date, NoticeQueries queries, CancellationToken cancellationToken) =>
                TypedResults.File((await queries.DayPdfAsync(date, cancellationToken)).Pdf, "application/pdf", $"notices-{date:yyyy-MM-dd}.pdf"))
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("The day's mailed notices as one print-ready PDF (?date=YYYY-MM-DD), each notice from a new page.");

        notices.MapGet("/door-hangers.pdf", async (DateOnly date, NoticeQueries queries, CancellationToken cancellationToken) =>
                TypedResults.File((await queries.DoorHangersPdfAsync(date, cancellationToken)).Pdf, "application/pdf", $"door-hangers-{date:yyyy-MM-dd}.pdf"))
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("The day's door hangers as one PDF for the field crew (?date=YYYY-MM-DD), by route and route order, each from a new page. Door hangers are never mailed, e-mailed or in the print-vendor file.");

        notices.MapGet("/print-file", async (DateOnly date, NoticeQueries queries, CancellationToken cancellationToken) =>
            {
                using var buffer = new MemoryStream();
                await queries.WritePrintFileAsync(date, buffer, cancellationToken);
                return TypedResults.File(buffer.ToArray(), "text/plain", $"notices-{date:yyyy-MM-dd}.txt");
            })
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("The day's print-vendor file of mailed notices (?date=YYYY-MM-DD): pipe-delimited H, N, X and T records (docs/collections.md).");

        api.MapGet("/accounts/{accountId:long}/notices", async (long accountId, NoticeQueries queries, CancellationToken cancellationToken) => TypedResults.Ok(await queries.ForAccountAsync(accountId, cancellationToken)))
            .WithTags("Collections")
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("Every notice written for the account, newest first.");

        api.MapGet("/accounts/{accountId:long}/notices/{noticeId:long}.pdf", async Task<Results<FileContentHttpResult, NotFound>> (long accountId, long noticeId, NoticeQueries queries, CancellationToken cancellationToken) =>
                await queries.PdfAsync(noticeId, accountId, cancellationToken) is { } file ? TypedResults.File(file.Pdf, "application/pdf", file.FileName) : TypedResults.NotFound())
            .WithTags("Collections")
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("One of the account's notices as a PDF.");
    }

    private static async Task<Results<Created<NoticeTemplateListing>, Ok<NoticeTemplateListing>, ValidationProblem>> ImportAsync(string kind, string? language, HttpRequest request, ImportNoticeTemplate workflow, CancellationToken cancellationToken)
    {
        if (request.ContentLength > BodyBytesMax)
        {
            throw new DomainException($"A template is at most {BodyBytesMax:N0} bytes.", "text");
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = (await reader.ReadToEndAsync(cancellationToken)).ReplaceLineEndings("\n");
        var outcome = await workflow.ExecuteAsync(kind, language ?? "en", $"{kind}.liquid", text, ApiUser.Name(request.HttpContext), cancellationToken);
        if (outcome.Errors.Count > 0)
        {
            return CollectionPoliciesApi.Problem(outcome.Errors, outcome.Message);
        }

        var listing = (await workflow.ListAsync(cancellationToken)).Single(v => v.Id == outcome.TemplateId);
        return outcome.Imported
            ? TypedResults.Created($"/api/collections/notice-templates/{listing.Kind}?version={listing.Version}&language={listing.Language}", listing)
            : TypedResults.Ok(listing);
    }
}
