using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Payments;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Collections.Notices;

/// <summary>
/// A Supervisor edits a notice template in a language, starting from the latest version of its kind in that language (a first
/// Spanish version starts from the English text, to translate): Save checks the text (it parses; only a notice's variables and
/// Liquid's filters) and stores a new version, or shows each problem with its line beside the text and stores nothing.
/// </summary>
[Authorize(Policy = CollectionsCapability.ManageCollectionPolicy)]
public sealed class EditModel(ImportNoticeTemplate templates) : PageModel
{
    public const string FileName = "edited template";

    [BindProperty(SupportsGet = true)]
    public string Kind { get; set; } = NoticeTemplates.Reminder;

    [BindProperty(SupportsGet = true)]
    public string Language { get; set; } = CollectionNoticeTemplate.English;

    [BindProperty]
    public string Text { get; set; } = "";

    /// <summary>The English version a first translation starts from.</summary>
    public CollectionNoticeTemplate? TranslatedFrom { get; private set; }

    public CollectionNoticeTemplate? Basis { get; private set; }

    public IReadOnlyList<FileError> Errors { get; private set; } = [];

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (NoticeTemplates.KindOf(Kind) is not { } kind || ImportNoticeTemplate.LanguageOf(Language) is not { } language)
        {
            return NotFound();
        }

        Kind = kind;
        Language = language;
        Basis = await templates.ExportAsync(kind, null, language, cancellationToken);
        if (Basis is null && language != CollectionNoticeTemplate.English)
        {
            TranslatedFrom = await templates.ExportAsync(kind, null, cancellationToken);
        }

        Text = (Basis ?? TranslatedFrom)?.Text ?? "";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // A browser sends a textarea's lines ending in CR LF; templates keep the LF endings their files have.
        Text = Text.ReplaceLineEndings("\n");
        var outcome = await templates.ExecuteAsync(Kind, Language, FileName, Text, User.Identity!.Name!, cancellationToken);
        if (outcome.Errors.Count == 0)
        {
            TempData["NoticeTemplateSaved"] = outcome.Message;
            return RedirectToPage("Index");
        }

        Errors = outcome.Errors;
        Message = outcome.Message;
        Basis = await templates.ExportAsync(Kind, null, Language, cancellationToken);
        return Page();
    }

    /// <summary>A language as the screen names it.</summary>
    public static string LanguageName(string language) => language == "es" ? "Spanish" : "English";
}
