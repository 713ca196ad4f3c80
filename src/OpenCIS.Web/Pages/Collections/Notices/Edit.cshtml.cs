using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Payments;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Collections.Notices;

/// <summary>
/// A Supervisor edits a notice template, starting from the kind's latest version: Save checks the text (it
/// parses; only a notice's variables and Liquid's filters) and stores a new version, or shows each problem
/// with its line beside the text and stores nothing.
/// </summary>
[Authorize(Policy = CollectionsCapability.ManageCollectionPolicy)]
public sealed class EditModel(ImportNoticeTemplate templates) : PageModel
{
    public const string FileName = "edited template";

    [BindProperty(SupportsGet = true)]
    public string Kind { get; set; } = NoticeTemplates.Reminder;

    [BindProperty]
    public string Text { get; set; } = "";

    public CollectionNoticeTemplate? Basis { get; private set; }

    public IReadOnlyList<FileError> Errors { get; private set; } = [];

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (NoticeTemplates.KindOf(Kind) is not { } kind)
        {
            return NotFound();
        }

        Kind = kind;
        Basis = await templates.ExportAsync(kind, null, cancellationToken);
        Text = Basis?.Text ?? "";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // A browser sends a textarea's lines ending in CR LF; templates keep the LF endings their files have.
        Text = Text.ReplaceLineEndings("\n");
        var outcome = await templates.ExecuteAsync(Kind, FileName, Text, User.Identity!.Name!, cancellationToken);
        if (outcome.Errors.Count == 0)
        {
            TempData["NoticeTemplateSaved"] = outcome.Message;
            return RedirectToPage("Index");
        }

        Errors = outcome.Errors;
        Message = outcome.Message;
        Basis = await templates.ExportAsync(Kind, null, cancellationToken);
        return Page();
    }
}
