using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Invoices;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Holds;

/// <summary>The holds in force on parties and parcels, each with what is owed behind it; a collector places one on a parcel or releases one, saying why.</summary>
[Authorize(Policy = InvoicesCapability.CheckDebts)]
public sealed class IndexModel(HoldBook holds, IAuthorizationService authorization) : ActionPageModel
{
    public IReadOnlyList<HoldView> Holds { get; private set; } = [];

    public bool CanPlaceHolds { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostPlaceAsync(string? parcelId, string? reason, DateOnly? endsOn, bool releaseWhenPaid, CancellationToken cancellationToken) =>
        ActAsync(authorization, InvoicesCapability.PlaceHolds, async () =>
        {
            var placed = await holds.PlaceAsync(null, parcelId, reason, endsOn, releaseWhenPaid, User.Identity!.Name!, cancellationToken);
            return $"Hold {placed.Id} placed on parcel {placed.ParcelId}.";
        }, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostReleaseAsync(long holdId, string? note, CancellationToken cancellationToken) =>
        ActAsync(authorization, InvoicesCapability.PlaceHolds, async () =>
        {
            var released = await holds.ReleaseAsync(holdId, note, User.Identity!.Name!, cancellationToken);
            return $"Hold {released.Id} released.";
        }, () => LoadAsync(cancellationToken));

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Holds = await holds.OpenAsync(cancellationToken);
        CanPlaceHolds = (await authorization.AuthorizeAsync(User, InvoicesCapability.PlaceHolds)).Succeeded;
        return true;
    }
}
