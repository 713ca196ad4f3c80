using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;
using OpenCIS.UseCases.Metering.Import;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Metering;

[Authorize(Policy = MeteringCapability.ManageMeters)]
public sealed class MetersModel(MeterLifecycle lifecycle) : PageModel
{
    public string? Error { get; private set; }

    public IActionResult OnGet(string? serial, string? error)
    {
        Error = error;
        return string.IsNullOrWhiteSpace(serial) ? Page() : Redirect($"/Metering/Meters/{Uri.EscapeDataString(serial.Trim())}");
    }

    public async Task<IActionResult> OnPostAsync(string serial, Service service, string size, int dials, decimal multiplier, string unit, string? make, string? model, CancellationToken cancellationToken)
    {
        try
        {
            var parsedUnit = ImportReads.ParseUnit(unit) ?? throw new DomainException($"'{unit}' is not a unit (gal, kgal, cf, ccf, m3, kwh, wh).", "unit");
            var meter = await lifecycle.ReceiveAsync(new ReceiveMeterRequest(serial, service, size ?? "", dials, multiplier, parsedUnit, make ?? "", model ?? ""), User.Identity!.Name!, cancellationToken);
            return Redirect($"/Metering/Meters/{Uri.EscapeDataString(meter.Serial)}?message={Uri.EscapeDataString($"Received meter {meter.Serial} into inventory.")}");
        }
        catch (DomainException exception)
        {
            return RedirectToPage(new { error = exception.Message });
        }
    }
}
