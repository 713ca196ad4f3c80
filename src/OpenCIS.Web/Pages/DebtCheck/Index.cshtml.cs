using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Invoices;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.DebtCheck;

/// <summary>
/// The city-wide debt check: does this person or business owe the city, and does a hold block their permits? By name,
/// tax id, address or parcel (posted, so a tax id never sits in an address bar or a log); each check logged. A collector
/// places a hold on a debtor or the parcel from the result.
/// </summary>
[Authorize(Policy = InvoicesCapability.CheckDebts)]
public sealed class IndexModel(UseCases.Invoices.DebtCheck check, HoldBook holds, IAuthorizationService authorization) : ActionPageModel
{
    [BindProperty]
    public DebtCheckBy By { get; set; } = DebtCheckBy.Name;

    [BindProperty]
    public string? Q { get; set; }

    public DebtCheckResult? Result { get; private set; }

    public bool CanPlaceHolds { get; private set; }

    public async Task OnGetAsync() => CanPlaceHolds = (await authorization.AuthorizeAsync(User, InvoicesCapability.PlaceHolds)).Succeeded;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await CheckAsync(cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostHoldAsync(long? customerId, string? parcelId, string? reason, DateOnly? endsOn, bool releaseWhenPaid, CancellationToken cancellationToken) =>
        ActAsync(authorization, InvoicesCapability.PlaceHolds, async () =>
        {
            var placed = await holds.PlaceAsync(customerId, parcelId, reason, endsOn, releaseWhenPaid, User.Identity!.Name!, cancellationToken);
            return $"Hold {placed.Id} placed on {placed.PartyName ?? $"parcel {placed.ParcelId}"}.";
        }, async () =>
        {
            var (message, isError, field) = (Message, IsError, ErrorField);
            await CheckAsync(cancellationToken);
            (Message, IsError, ErrorField) = IsError && !isError ? (Message, IsError, ErrorField) : (message, isError, field);
            return true;
        });

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        CanPlaceHolds = (await authorization.AuthorizeAsync(User, InvoicesCapability.PlaceHolds)).Succeeded;
        try
        {
            Result = await check.ExecuteAsync(By, Q, User.Identity!.Name!, "screen", cancellationToken);
        }
        catch (DomainException exception)
        {
            (Message, IsError, ErrorField) = (exception.Message, true, exception.Field);
        }
    }
}
