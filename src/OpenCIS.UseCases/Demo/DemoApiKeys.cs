using OpenCIS.Storage;
using OpenCIS.UseCases.Users;

namespace OpenCIS.UseCases.Demo;

/// <summary>
/// The demo city's service accounts: the building permits system's key (debt checks and holds, with the checks it made
/// this week), the licensing system's key rotated with a day's grace (the old key still working), and the retired
/// cashier kiosk's key, revoked. Their tokens are not kept (only hashes are): to call the demo's API with a key, an
/// Admin makes one on the API keys screen.
/// </summary>
public static class DemoApiKeys
{
    public const string Permits = "permits-system", Licensing = "licensing-system", Kiosk = "lobby-kiosk";

    public static async Task SeedAsync(OpenCisDbContext db, TimeProvider clock, string user, CancellationToken cancellationToken)
    {
        var keys = new ApiKeys(db, clock);
        IReadOnlyCollection<string> known = ["CheckDebts", "PlaceHolds", "ViewInvoices", "CreateInvoices", "TakePayments"];
        var permits = await keys.CreateAsync(Permits, "Building permits: checks an applicant's debts and holds before a permit issues", ["CheckDebts", "PlaceHolds"], known, user, cancellationToken);
        foreach (var query in new[] { "name=Whitcomb", $"parcel={DemoPremises.NewConstructionParcel}", "name=Riverbend%20Storage" })
        {
            await keys.RecordUseAsync(permits.Key.Id, "GET", $"/api/debt-check?{query}", 200, "10.20.4.15", cancellationToken);
        }

        var licensing = await keys.CreateAsync(Licensing, "Business licensing: debt check before a licence renews", ["CheckDebts"], known, user, cancellationToken);
        await keys.RecordUseAsync(licensing.Key.Id, "GET", "/api/debt-check?taxId=93-1234567", 200, "10.20.6.40", cancellationToken);
        await keys.RotateAsync(licensing.Key.Id, 24, user, cancellationToken);
        var kiosk = await keys.CreateAsync(Kiosk, "Lobby payment kiosk (retired)", ["TakePayments"], known, user, cancellationToken);
        await keys.RevokeAsync(kiosk.Key.Id, "Kiosk retired", user, cancellationToken);
    }
}
