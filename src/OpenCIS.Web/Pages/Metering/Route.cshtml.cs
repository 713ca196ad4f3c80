using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Storage;
using OpenCIS.UseCases;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;
using OpenCIS.UseCases.Metering.Import;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Metering;

[Authorize(Policy = MeteringCapability.ImportReads)]
public sealed class RouteModel(RouteSheets sheets, EnterRouteReads enter, BusinessCalendar calendar) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Route { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? ReadOn { get; set; }

    public IReadOnlyList<string> Routes { get; private set; } = [];
    public IReadOnlyList<RouteStop> Stops { get; private set; } = [];
    public ReadImportOutcome? Outcome { get; private set; }
    public Dictionary<string, string> Keyed { get; } = [];
    public List<string> NotNumbers { get; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(Dictionary<string, string> reads, CancellationToken cancellationToken)
    {
        ReadOn ??= calendar.Today();
        var keyed = new List<KeyedRead>();
        foreach (var (serial, text) in reads.Where(r => !string.IsNullOrWhiteSpace(r.Value)))
        {
            Keyed[serial] = text;
            if (long.TryParse(text.Replace(",", "", StringComparison.Ordinal).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                keyed.Add(new KeyedRead(serial, value));
            }
            else
            {
                NotNumbers.Add($"Meter {serial}: '{text}' is not a reading (digits only).");
            }
        }

        if (keyed.Count > 0 && Route is not null && NotNumbers.Count == 0)
        {
            Outcome = await enter.ExecuteAsync(Route, ReadOn.Value, keyed, User.Identity!.Name!, cancellationToken);
            if (Outcome.Posted)
            {
                Keyed.Clear();
            }
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        ReadOn ??= calendar.Today();
        Routes = await sheets.RoutesAsync(null, cancellationToken);
        if (!string.IsNullOrWhiteSpace(Route))
        {
            Stops = await sheets.StopsAsync(Route, ReadOn, cancellationToken);
        }
    }
}
