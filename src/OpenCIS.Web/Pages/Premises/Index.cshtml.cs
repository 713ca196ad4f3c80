using System.Globalization;
using OpenCIS.Core.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using OpenCIS.Core.Billing;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Payments;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Premises;

/// <summary>
/// Premises in inventory: add one for new construction (its services and the meter the builder set), or import a CSV
/// file of them (nothing imported when a line is bad, each problem named by line and field); find a premise and start
/// service there; set each parcel's impervious area, by hand or from the GIS export.
/// </summary>
[Authorize(Policy = CustomersCapability.ManageInventory)]
public sealed class IndexModel(PremiseInventory inventory, PremiseQueries queries, IAuthorizationService authorization) : ActionPageModel
{
    public IReadOnlyList<FileError> FileErrors { get; private set; } = [];
    public PremiseView? Added { get; private set; }
    public bool CanManageParcelAreas { get; private set; }

    public void OnGet()
    {
    }

    /// <summary>Before any handler: whether the user may set parcel areas, for the section that does.</summary>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        CanManageParcelAreas = (await authorization.AuthorizeAsync(User, CustomersCapability.ManageParcelAreas)).Succeeded;
        await next();
    }

    public async Task<IActionResult> OnPostAddAsync(string? addressLine1, string? city, string? state, string? zip, string? parcelId, string? ownerOfRecord, string[]? services,
        string? meterSerial, string? meterSize, int? meterDials, long? initialReading, CancellationToken cancellationToken)
    {
        var chosen = (services ?? []).Select(s => Enum.TryParse<Service>(s, true, out var service) ? service : (Service?)null).Where(s => s is not null).Select(s => s!.Value).ToList();
        return await ActAsync(async () =>
        {
            var id = await inventory.CreateAsync(new PremiseRequest(addressLine1 ?? "", city ?? "", state ?? "", zip ?? "", parcelId ?? "", ownerOfRecord ?? "", chosen,
                string.IsNullOrWhiteSpace(meterSerial) ? null : meterSerial, meterSize, meterDials, initialReading), User.Identity!.Name!, cancellationToken);
            Added = await queries.GetAsync(id, cancellationToken);
            return $"Added {Added!.Address} (parcel {Added.ParcelId}) with {Added.Points.Count} service point{(Added.Points.Count == 1 ? "" : "s")}.";
        }, () => Task.FromResult(true));
    }

    /// <summary>A landlord agreement on the premise with that parcel: a tenant's stop reverts service to the owner from the next day.</summary>
    public async Task<IActionResult> OnPostLandlordAsync(string? parcel, long? ownerCustomerId, string? startedOn, [FromServices] LandlordAgreements agreements, CancellationToken cancellationToken) =>
        await ActAsync(async () =>
        {
            var premise = (await queries.FindAsync(parcel ?? "", cancellationToken)).FirstOrDefault(p => string.Equals(p.ParcelId, parcel?.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new OpenCIS.Core.Common.DomainException($"There is no premise with parcel '{parcel}'.", "parcel");
            DateOnly? from = string.IsNullOrWhiteSpace(startedOn) ? null
                : IsoDate.TryParse(startedOn, out var day) ? day
                : throw new OpenCIS.Core.Common.DomainException($"'{startedOn}' is not a date.", "startedOn");
            var made = await agreements.CreateAsync(premise.PremiseId, ownerCustomerId ?? 0, from, User.Identity!.Name!, cancellationToken);
            return $"Landlord agreement {made.Id}: service at {made.Address} reverts to {made.OwnerName} between tenants, from {made.StartedOn:yyyy-MM-dd}.";
        }, () => Task.FromResult(true));

    /// <summary>A parcel's impervious area, set on every premise of the parcel; empty clears it.</summary>
    public Task<IActionResult> OnPostParcelAreaAsync(string? parcelId, decimal? imperviousArea, [FromServices] ParcelAreas areas, CancellationToken cancellationToken) =>
        ActAsync(authorization, CustomersCapability.ManageParcelAreas, async () =>
        {
            var set = await areas.SetAsync(parcelId ?? "", imperviousArea, User.Identity!.Name!, cancellationToken);
            var premises = $"{set.Premises} premise{(set.Premises == 1 ? "" : "s")}";
            return set.ImperviousArea is { } area
                ? $"Parcel {set.ParcelId}: impervious area {area.ToString("#,##0.##", CultureInfo.InvariantCulture)} sq ft on {premises}."
                : $"Parcel {set.ParcelId}: impervious area cleared on {premises}.";
        }, () => Task.FromResult(true));

    /// <summary>A CSV of parcel areas (the GIS export), checked whole: any bad line and nothing changes.</summary>
    public async Task<IActionResult> OnPostImportAreasAsync(IFormFile? file, [FromServices] ParcelAreas areas, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, CustomersCapability.ManageParcelAreas)).Succeeded)
        {
            return Forbid();
        }

        if (file is null || file.Length == 0)
        {
            (Message, IsError, ErrorField) = ("Choose a CSV file of parcel areas (parcel_id,impervious_sqft).", true, "areaFile");
            return Page();
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var outcome = await areas.ImportAsync(Path.GetFileName(file.FileName), buffer.ToArray(), User.Identity!.Name!, cancellationToken);
        (Message, IsError, ErrorField, FileErrors) = (outcome.Message, !outcome.Imported, outcome.Imported ? null : "areaFile", outcome.Errors);
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            (Message, IsError, ErrorField) = ("Choose a CSV file of premises.", true, "file");
            return Page();
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var outcome = await inventory.ImportAsync(Path.GetFileName(file.FileName), buffer.ToArray(), User.Identity!.Name!, cancellationToken);
        (Message, IsError, FileErrors) = (outcome.Message, !outcome.Imported, outcome.Errors);
        return Page();
    }
}
