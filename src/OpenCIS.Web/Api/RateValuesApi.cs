using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Rating;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

/// <summary>
/// The dated values tariffs name through the API: each rider's price per unit and the gas's heating value
/// (<c>heating_value</c>). List them, set one, or set a CSV of them checked whole.
/// </summary>
public static class RateValuesApi
{
    /// <summary>One value from a date: a rider's price per unit, or therms per CCF for <c>heating_value</c>.</summary>
    public sealed record SetRateValueBody(string? Name, DateOnly EffectiveFrom, decimal Value);

    /// <summary>The largest rate value file taken: ten thousand lines are far under it.</summary>
    public const int FileBytesMax = 1_000_000;

    public static void Map(RouteGroupBuilder api)
    {
        var values = api.MapGroup("/rate-values").WithTags("Tariffs");
        values.MapGet("/", async (string? name, RateValueBook book, CancellationToken cancellationToken) =>
                TypedResults.Ok(await book.ListAsync(string.IsNullOrWhiteSpace(name) ? null : name.Trim(), cancellationToken)))
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("Every dated value tariffs name (riders' prices per unit, heating_value), by name and newest first; ?name=PPA for one name. Each with who set it and when.");

        values.MapPost("/", async (SetRateValueBody body, RateValueBook book, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await book.SetAsync(body.Name?.Trim() ?? "", body.EffectiveFrom, body.Value, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(RatingCapability.ManageRateValues)
            .WithSummary("Set a value {name, effectiveFrom, value} from a date. A value still to come may be corrected; one already in force is history (400 naming effectiveFrom: set a new value from a later date). A bad name or value is 400 naming the field. Audited.");

        values.MapPost("/import", ImportAsync)
            .RequireAuthorization(RatingCapability.ManageRateValues)
            .DisableAntiforgery()
            .WithSummary("Set the values of a CSV file (form field 'file'; header name,effective_from,value). Any problem, named by line and field, and nothing is set (400).");
    }

    private static async Task<Results<Ok<RateValueImportOutcome>, ValidationProblem>> ImportAsync(IFormFile file, RateValueBook book, HttpContext context, CancellationToken cancellationToken)
    {
        if (file.Length > FileBytesMax)
        {
            throw new DomainException($"A rate value file is at most {FileBytesMax:N0} bytes.", "file");
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var outcome = await book.ImportAsync(Path.GetFileName(file.FileName), buffer.ToArray(), ApiUser.Name(context), cancellationToken);
        return outcome.Imported ? TypedResults.Ok(outcome) : CollectionPoliciesApi.Problem(outcome.Errors, outcome.Message);
    }
}
