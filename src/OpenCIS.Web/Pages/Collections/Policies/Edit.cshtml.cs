using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Payments;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Collections.Policies;

/// <summary>
/// A Supervisor edits a collection policy as YAML, starting from the latest version: Save checks the whole
/// text and stores it as a new version, or shows every problem with its line and field beside the text and
/// stores nothing.
/// </summary>
[Authorize(Policy = CollectionsCapability.ManageCollectionPolicy)]
public sealed class EditModel(ImportCollectionPolicy policies) : PageModel
{
    /// <summary>How the edited text is named in its problems ("edited policy line 12, field grace_days").</summary>
    public const string FileName = "edited policy";

    [BindProperty]
    public string Yaml { get; set; } = "";

    /// <summary>The version the text started from; null for a first policy.</summary>
    public CollectionPolicyVersion? Basis { get; private set; }

    public IReadOnlyList<FileError> Errors { get; private set; } = [];

    public string? Message { get; private set; }

    public async Task OnGetAsync(string? code, CancellationToken cancellationToken)
    {
        Basis = await LatestAsync(code, cancellationToken);
        Yaml = Basis?.Yaml ?? "";
    }

    public async Task<IActionResult> OnPostAsync(string? code, CancellationToken cancellationToken)
    {
        // A browser sends a textarea's lines ending in CR LF; the policy is kept with the LF endings its files have.
        Yaml = Yaml.ReplaceLineEndings("\n");
        var outcome = await policies.ExecuteAsync(FileName, Yaml, User.Identity!.Name!, cancellationToken);
        if (outcome.Errors.Count == 0 && outcome.PolicyId is not null)
        {
            var saved = (await policies.ListAsync(cancellationToken)).Single(v => v.Id == outcome.PolicyId);
            TempData[nameof(VersionModel.Saved)] = outcome.Message;
            return RedirectToPage("Version", new { code = saved.Code, version = saved.Version });
        }

        Errors = outcome.Errors;
        Message = outcome.Message;
        Basis = await LatestAsync(code, cancellationToken);
        return Page();
    }

    private async Task<CollectionPolicyVersion?> LatestAsync(string? code, CancellationToken cancellationToken)
    {
        if (code is { Length: > 0 })
        {
            return await policies.ExportAsync(code, null, cancellationToken);
        }

        // With no code named, the policy most recently imported.
        var latest = (await policies.ListAsync(cancellationToken)).OrderByDescending(v => v.ImportedAt).ThenByDescending(v => v.Id).FirstOrDefault();
        return latest is null ? null : await policies.ExportAsync(latest.Code, latest.Version, cancellationToken);
    }
}
