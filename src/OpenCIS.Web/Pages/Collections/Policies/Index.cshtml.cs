using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.UseCases.Collections;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Collections.Policies;

/// <summary>Every version of every collection policy, newest first within each code; a Supervisor may edit one into a new version.</summary>
[Authorize(Policy = CollectionsCapability.ViewCollections)]
public sealed class IndexModel(ImportCollectionPolicy policies, IAuthorizationService authorization) : PageModel
{
    public IReadOnlyList<CollectionPolicyListing> Versions { get; private set; } = [];

    public bool CanManage { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Versions = await policies.ListAsync(cancellationToken);
        CanManage = (await authorization.AuthorizeAsync(User, CollectionsCapability.ManageCollectionPolicy)).Succeeded;
    }

    /// <summary>A comma-separated list as the screen shows it: "all" when empty.</summary>
    public static string AllWhenEmpty(string commaSeparated) => commaSeparated.Length == 0 ? "all" : commaSeparated.Replace(",", ", ", StringComparison.Ordinal);
}
