using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Collections;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Collections;

/// <summary>
/// The disconnect list as of the last run, by route, each entry with its reason; the accounts a protection keeps
/// off, with the protection named; CSV to download. A Supervisor approves it here, all of it or the accounts ticked,
/// which creates the disconnect orders the field completes.
/// </summary>
[Authorize(Policy = CollectionsCapability.ViewCollections)]
public sealed class DisconnectListModel(CollectionQueries queries, IAuthorizationService authorization) : ActionPageModel
{
    [BindProperty(SupportsGet = true)]
    public bool Held { get; set; }

    public DisconnectList List { get; private set; } = new(null, []);

    public bool CanApprove { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken) =>
        File(System.Text.Encoding.UTF8.GetBytes(CollectionQueries.Csv(await queries.DisconnectListAsync(Held, cancellationToken))), "text/csv", "disconnect-list.csv");

    /// <param name="accounts">The accounts ticked.</param>
    /// <param name="all">The whole list, whatever is ticked.</param>
    public Task<IActionResult> OnPostApproveAsync(string[]? accounts, bool all, [FromServices] ApproveDisconnectList workflow, CancellationToken cancellationToken) =>
        ActAsync(authorization, CollectionsCapability.ApproveCollections,
            async () => (await workflow.ExecuteAsync(all ? null : accounts ?? [], User.Identity!.Name!, cancellationToken)).Message,
            async () =>
            {
                await LoadAsync(cancellationToken);
                return true;
            });

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        List = await queries.DisconnectListAsync(Held, cancellationToken);
        CanApprove = (await authorization.AuthorizeAsync(User, CollectionsCapability.ApproveCollections)).Succeeded;
    }
}
