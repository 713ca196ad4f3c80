using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Common;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Payments;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

/// <summary>
/// Collection policies and the posted temperatures through the API: the policy versions (list, YAML of one,
/// a new version from YAML) and each day's forecast low and high (list, post one day, post a CSV).
/// </summary>
public static class CollectionPoliciesApi
{
    /// <summary>The JSON form of a new policy version; the body may also be the YAML itself.</summary>
    public sealed record ImportPolicyBody(string Yaml, string? FileName);

    public sealed record PostTemperatureBody(DateOnly Date, int LowF, int HighF);

    /// <summary>A file problem as the API lists it, besides the validation problem's errors by field.</summary>
    public sealed record FileProblem(int Line, string Field, string Message);

    /// <summary>The largest policy text or temperature file taken: far past any real one.</summary>
    public const int BodyBytesMax = 1_000_000;

    public static void Map(RouteGroupBuilder api)
    {
        var policies = api.MapGroup("/collections/policies").WithTags("Collections");
        policies.MapGet("/", async (ImportCollectionPolicy workflow, CancellationToken cancellationToken) => TypedResults.Ok(await workflow.ListAsync(cancellationToken)))
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("Every collection policy version, newest first within each code.");

        policies.MapGet("/{code}", async Task<Results<ContentHttpResult, NotFound>> (string code, int? version, ImportCollectionPolicy workflow, CancellationToken cancellationToken) =>
                await workflow.ExportAsync(code, version, cancellationToken) is { } found ? TypedResults.Text(found.Yaml, "text/yaml", Encoding.UTF8) : TypedResults.NotFound())
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("A version's YAML exactly as imported (the latest, or the one of ?version=N).");

        policies.MapPost("/", ImportAsync)
            .RequireAuthorization(CollectionsCapability.ManageCollectionPolicy)
            .WithSummary("Add a collection policy version from its YAML (docs/collections.md): the body is the YAML (text/yaml or text/plain) or JSON {fileName, yaml}. 201 with the version; the same text again is 200 with the version on file; any problem is 400, each named by line and field, and nothing is stored.");

        var temperatures = api.MapGroup("/collections/temperatures").WithTags("Collections");
        temperatures.MapGet("/", async (int? days, PostTemperatures workflow, BusinessCalendar calendar, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.ListAsync(calendar.Today().AddDays(1 - Math.Clamp(days ?? 30, 1, PostTemperatures.MaximumLines)), cancellationToken)))
            .RequireAuthorization(CollectionsCapability.ViewCollections)
            .WithSummary("The forecasts posted for the last ?days=N days (30 by default) and any later day, newest first.");

        temperatures.MapPost("/", async (PostTemperatureBody body, PostTemperatures workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.ExecuteAsync(body.Date, body.LowF, body.HighF, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CollectionsCapability.PostTemperatures)
            .WithSummary("Post a day's forecast low and high in °F (each from -80 to 140, the high not under the low); a day posted again is replaced. Audited.");

        api.MapPost("/collections/temperatures.csv", ImportTemperaturesAsync)
            .WithTags("Collections")
            .RequireAuthorization(CollectionsCapability.PostTemperatures)
            .DisableAntiforgery()
            .WithSummary("Post the days of a CSV file (form field 'file'; header date,low_f,high_f). Any problem, named by line and field, and nothing is posted (400).");
    }

    private static async Task<Results<Created<CollectionPolicyListing>, Ok<CollectionPolicyListing>, ValidationProblem>> ImportAsync(HttpRequest request, ImportCollectionPolicy workflow, CancellationToken cancellationToken)
    {
        var (fileName, yaml) = await ReadPolicyAsync(request, cancellationToken);
        var outcome = await workflow.ExecuteAsync(fileName, yaml, ApiUser.Name(request.HttpContext), cancellationToken);
        if (outcome.Errors.Count > 0)
        {
            return Problem(outcome.Errors, outcome.Message);
        }

        var listing = (await workflow.ListAsync(cancellationToken)).Single(v => v.Id == outcome.PolicyId);
        return outcome.Imported
            ? TypedResults.Created($"/api/collections/policies/{Uri.EscapeDataString(listing.Code)}?version={listing.Version}", listing)
            : TypedResults.Ok(listing);
    }

    private static async Task<(string FileName, string Yaml)> ReadPolicyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > BodyBytesMax)
        {
            throw new DomainException($"A policy is at most {BodyBytesMax:N0} bytes.", "yaml");
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (request.HasJsonContentType())
        {
            ImportPolicyBody? body;
            try
            {
                body = JsonSerializer.Deserialize<ImportPolicyBody>(text, JsonSerializerOptions.Web);
            }
            catch (JsonException exception)
            {
                throw new DomainException($"The body is not JSON {{fileName, yaml}}: {exception.Message}", "yaml");
            }

            return body?.Yaml is { Length: > 0 } yaml ? (body.FileName ?? "policy.yaml", yaml) : throw new DomainException("Give the policy's YAML.", "yaml");
        }

        return text.Length > 0 ? ("policy.yaml", text) : throw new DomainException("Give the policy's YAML as the body (text/yaml) or JSON {fileName, yaml}.", "yaml");
    }

    private static async Task<Results<Ok<TemperatureImportOutcome>, ValidationProblem>> ImportTemperaturesAsync(IFormFile file, PostTemperatures workflow, HttpContext context, CancellationToken cancellationToken)
    {
        if (file.Length > BodyBytesMax)
        {
            throw new DomainException($"A temperature file is at most {BodyBytesMax:N0} bytes.", "file");
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var outcome = await workflow.ImportAsync(Path.GetFileName(file.FileName), buffer.ToArray(), ApiUser.Name(context), cancellationToken);
        return outcome.Imported ? TypedResults.Ok(outcome) : Problem(outcome.Errors, outcome.Message);
    }

    /// <summary>A file's problems: by field ("line N: message") as every validation problem, and as a list with line, field and message.</summary>
    public static ValidationProblem Problem(IReadOnlyList<FileError> errors, string message) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => $"line {e.Line}: {e.Message}").ToArray()),
            detail: message,
            extensions: new Dictionary<string, object?> { ["problems"] = errors.Select(e => new FileProblem(e.Line, e.Field, e.Message)).ToList() });
}
