using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Collections;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Collections.Policies;

/// <summary>One version of a collection policy: its YAML exactly as imported, who imported it and when.</summary>
[Authorize(Policy = CollectionsCapability.ViewCollections)]
public sealed class VersionModel(ImportCollectionPolicy policies, IAuthorizationService authorization) : PageModel
{
    public CollectionPolicyVersion Policy { get; private set; } = null!;

    public bool CanManage { get; private set; }

    /// <summary>What the edit page said when it saved this version.</summary>
    [TempData]
    public string? Saved { get; set; }

    public async Task<IActionResult> OnGetAsync(string code, int? version, CancellationToken cancellationToken)
    {
        if (await policies.ExportAsync(code, version, cancellationToken) is not { } found)
        {
            return NotFound();
        }

        Policy = found;
        CanManage = (await authorization.AuthorizeAsync(User, CollectionsCapability.ManageCollectionPolicy)).Succeeded;
        return Page();
    }
}
