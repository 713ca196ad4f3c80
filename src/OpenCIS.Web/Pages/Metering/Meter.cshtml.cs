using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Metering;

public sealed class MeterModel(MeterQueries queries, MeterLifecycle lifecycle, IAuthorizationService authorization, OpenCIS.UseCases.BusinessCalendar calendar) : PageModel
{
    public MeterView Meter { get; private set; } = null!;
    public bool CanManage { get; private set; }
    public DateOnly Today { get; private set; }
    public string? Message { get; private set; }
    public bool IsError { get; private set; }

    public async Task<IActionResult> OnGetAsync(string serial, string? message, bool error, CancellationToken cancellationToken)
    {
        var meter = await queries.FindAsync(serial, cancellationToken);
        if (meter is null)
        {
            return NotFound();
        }

        Meter = meter;
        Message = message;
        IsError = error;
        Today = calendar.Today();
        CanManage = (await authorization.AuthorizeAsync(User, MeteringCapability.ManageMeters)).Succeeded;
        return Page();
    }

    public Task<IActionResult> OnPostExchangeAsync(string serial, string newSerial, DateOnly exchangedOn, long oldFinalReading, long newInitialReading, CancellationToken cancellationToken) =>
        ActAsync(serial, () => lifecycle.ExchangeAsync(serial, newSerial.Trim(), exchangedOn, oldFinalReading, newInitialReading, User.Identity!.Name!, cancellationToken), $"Exchanged {serial} for {newSerial} on {exchangedOn:yyyy-MM-dd}.", newSerial.Trim());

    public Task<IActionResult> OnPostRemoveAsync(string serial, DateOnly removedOn, long finalReading, CancellationToken cancellationToken) =>
        ActAsync(serial, () => lifecycle.RemoveAsync(serial, removedOn, finalReading, User.Identity!.Name!, cancellationToken), $"Removed {serial} on {removedOn:yyyy-MM-dd}.");

    public Task<IActionResult> OnPostSetAsync(string serial, long servicePointId, DateOnly setOn, long initialReading, CancellationToken cancellationToken) =>
        ActAsync(serial, () => lifecycle.SetAsync(serial, servicePointId, setOn, initialReading, User.Identity!.Name!, cancellationToken), $"Set {serial} at service point {servicePointId}.");

    public Task<IActionResult> OnPostTestAsync(string serial, bool passed, string results, CancellationToken cancellationToken) =>
        ActAsync(serial, () => lifecycle.RecordTestAsync(serial, passed, results, User.Identity!.Name!, cancellationToken), $"Recorded the test of {serial}.");

    public Task<IActionResult> OnPostRetireAsync(string serial, string reason, CancellationToken cancellationToken) =>
        ActAsync(serial, () => lifecycle.RetireAsync(serial, reason, User.Identity!.Name!, cancellationToken), $"Retired {serial}.");

    private async Task<IActionResult> ActAsync(string serial, Func<Task> action, string done, string? showSerial = null)
    {
        if (!(await authorization.AuthorizeAsync(User, MeteringCapability.ManageMeters)).Succeeded)
        {
            return Forbid();
        }

        try
        {
            await action();
            return Redirect($"/Metering/Meters/{Uri.EscapeDataString(showSerial ?? serial)}?message={Uri.EscapeDataString(done)}");
        }
        catch (DomainException exception)
        {
            return Redirect($"/Metering/Meters/{Uri.EscapeDataString(serial)}?error=true&message={Uri.EscapeDataString(exception.Message)}");
        }
    }
}
