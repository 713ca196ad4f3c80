using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Customers;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

/// <summary>
/// Each parcel's impervious area (square feet), which stormwater is billed on, kept on every premise of the parcel:
/// read it, set or clear it, or set a CSV of them (the city's GIS export) checked whole.
/// </summary>
public static class ParcelsApi
{
    /// <summary>The parcel's impervious area in square feet; null clears it.</summary>
    public sealed record ParcelAreaBody(decimal? ImperviousArea);

    public static void Map(RouteGroupBuilder api)
    {
        var parcels = api.MapGroup("/parcels").WithTags("Customers");
        parcels.MapGet("/{parcelId}/area", async Task<Results<Ok<ParcelArea>, NotFound>> (string parcelId, ParcelAreas areas, CancellationToken cancellationToken) =>
                await areas.FindAsync(parcelId, cancellationToken) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound())
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("The parcel's impervious area in square feet (null when none is on file) and how many premises are on it; 404 when no premise is on the parcel.");

        parcels.MapPut("/{parcelId}/area", async (string parcelId, ParcelAreaBody body, ParcelAreas areas, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await areas.SetAsync(parcelId, body.ImperviousArea, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CustomersCapability.ManageParcelAreas)
            .WithSummary("Set the parcel's impervious area {imperviousArea} in square feet on every premise of the parcel (null clears it). An unknown parcel is 400 naming parcelId, a bad area 400 naming imperviousArea. Audited per premise with the area before.");

        parcels.MapPost("/areas/import", ImportAsync)
            .RequireAuthorization(CustomersCapability.ManageParcelAreas)
            .DisableAntiforgery()
            .WithSummary("Set the areas of a CSV file (form field 'file'; header parcel_id,impervious_sqft), such as the GIS export. Any problem (an unknown parcel, an area that is not square feet), named by line and field, and nothing is changed (400).");
    }

    private static async Task<Results<Ok<ParcelAreaImportOutcome>, ValidationProblem>> ImportAsync(IFormFile file, ParcelAreas areas, HttpContext context, CancellationToken cancellationToken)
    {
        if (file.Length > ServiceApi.ImportBytesMax)
        {
            throw new DomainException($"A parcel file is at most {ServiceApi.ImportBytesMax:N0} bytes.", "file");
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var outcome = await areas.ImportAsync(Path.GetFileName(file.FileName), buffer.ToArray(), ApiUser.Name(context), cancellationToken);
        return outcome.Imported ? TypedResults.Ok(outcome) : CollectionPoliciesApi.Problem(outcome.Errors, outcome.Message);
    }
}
