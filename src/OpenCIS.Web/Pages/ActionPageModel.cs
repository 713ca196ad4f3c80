using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;

namespace OpenCIS.Web.Pages;

/// <summary>
/// A screen whose forms run a workflow and show the page again with what happened: the workflow's
/// message, or the clerk's mistake (a <see cref="DomainException"/>, naming the field) in its place.
/// </summary>
public abstract class ActionPageModel : PageModel
{
    /// <summary>What the last action said: its result, or the reason it was refused.</summary>
    public string? Message { get; protected set; }

    public bool IsError { get; protected set; }

    public string? ErrorField { get; protected set; }

    public string? Notice => IsError ? null : Message;

    public string? Error => IsError ? Message : null;

    /// <summary>Checks the permission, runs the work, and reloads the page (false from <paramref name="reload"/>: not found).</summary>
    protected async Task<IActionResult> ActAsync(IAuthorizationService authorization, string permission, Func<Task<string>> work, Func<Task<bool>> reload) =>
        (await authorization.AuthorizeAsync(User, permission)).Succeeded ? await ActAsync(work, reload) : Forbid();

    /// <summary>Runs the work on a page whose policy already is the permission it needs, and reloads the page.</summary>
    protected async Task<IActionResult> ActAsync(Func<Task<string>> work, Func<Task<bool>> reload)
    {
        try
        {
            Message = await work();
            IsError = false;
        }
        catch (DomainException exception)
        {
            Message = exception.Message;
            IsError = true;
            ErrorField = exception.Field;
        }

        return await reload() ? Page() : NotFound();
    }
}
