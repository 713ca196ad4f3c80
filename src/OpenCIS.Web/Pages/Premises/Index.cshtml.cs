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
