using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.UseCases.Collections;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Collections;

/// <summary>The disconnect list as of the last run, by route, each entry with its reason; the accounts a protection keeps off, with the protection named; CSV to download.</summary>
[Authorize(Policy = CollectionsCapability.ViewCollections)]
public sealed class DisconnectListModel(CollectionQueries queries) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public bool Held { get; set; }

    public DisconnectList List { get; private set; } = new(null, []);

    public async Task OnGetAsync(CancellationToken cancellationToken) => List = await queries.DisconnectListAsync(Held, cancellationToken);

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken) =>
        File(System.Text.Encoding.UTF8.GetBytes(CollectionQueries.Csv(await queries.DisconnectListAsync(Held, cancellationToken))), "text/csv", "disconnect-list.csv");
}
