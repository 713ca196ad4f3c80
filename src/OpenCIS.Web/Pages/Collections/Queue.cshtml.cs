using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Collections;
using OpenCIS.Web.Api;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Collections;

/// <summary>
/// The collector's work queue: the accounts past due or in a step, filtered by status (the step), least past due,
/// least days past due and class, sorted and paged, each with its next action and a link to its collections page.
/// The filters are a GET form, so a queue is a link a collector can keep.
/// </summary>
[Authorize(Policy = CollectionsCapability.ViewCollections)]
public sealed class QueueModel(CollectorQueue queue) : ActionPageModel
{
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? MinPastDue { get; set; }
    [BindProperty(SupportsGet = true)] public int? MinDays { get; set; }
    [BindProperty(SupportsGet = true, Name = "class")] public string? AccountClass { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int? PageNumber { get; set; }

    public QueuePage? Result { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            Result = await queue.ListAsync(CollectionWorkApi.ReadQueueFilter(Status, MinPastDue, MinDays, AccountClass, Sort, PageNumber, null), cancellationToken);
        }
        catch (DomainException exception)
        {
            Message = exception.Message;
            IsError = true;
            ErrorField = exception.Field;
        }

        return Page();
    }

    /// <summary>The query string of this queue on another page.</summary>
    public string PageLink(int page) => QueryString.Create(new Dictionary<string, string?>
    {
        ["status"] = Status,
        ["minPastDue"] = MinPastDue,
        ["minDays"] = MinDays?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["class"] = AccountClass,
        ["sort"] = Sort,
        ["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent();
}
