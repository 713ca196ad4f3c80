using OpenCIS.Core.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Billing;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Payments;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Premises;

/// <summary>
/// Premises in inventory: add one for new construction (its services and the meter the builder set), or import a CSV
/// file of them (nothing imported when a line is bad, each problem named by line and field); find a premise and start
/// service there.
/// </summary>
[Authorize(Policy = CustomersCapability.ManageInventory)]
public sealed class IndexModel(PremiseInventory inventory, PremiseQueries queries) : ActionPageModel
{
    public IReadOnlyList<FileError> FileErrors { get; private set; } = [];
    public PremiseView? Added { get; private set; }

    public void OnGet()
    {
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
