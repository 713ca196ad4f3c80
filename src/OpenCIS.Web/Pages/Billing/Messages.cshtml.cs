using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Billing;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Billing;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Billing;

/// <summary>
/// The bill messages: current, upcoming and past, each with its audience (a cycle, class, route or program; none: every
/// bill) and dates; a supervisor adds one, edits one not yet past, ends a current one today or deletes one not started.
/// </summary>
[Authorize(Policy = BillingCapability.ViewBilling)]
public sealed class MessagesModel(BillMessageBook book, BillingQueries queries, IAuthorizationService authorization, BusinessCalendar calendar) : ActionPageModel
{
    public IReadOnlyList<BillMessageListing> Messages { get; private set; } = [];

    public IReadOnlyList<BillingCycleView> Cycles { get; private set; } = [];

    /// <summary>The one standing listed, or null for all.</summary>
    public BillMessageStanding? Shown { get; private set; }

    public bool CanManage { get; private set; }

    public DateOnly Today { get; private set; }

    /// <summary>The message being edited; null when the form adds one.</summary>
    [BindProperty]
    public long? Id { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public DateOnly? StartsOn { get; set; }

    [BindProperty]
    public DateOnly? EndsOn { get; set; }

    [BindProperty]
    public string? CycleCode { get; set; }

    [BindProperty]
    public string? AccountClass { get; set; }

    [BindProperty]
    public string? RouteCode { get; set; }

    [BindProperty]
    public string? ProgramCode { get; set; }

    public async Task<IActionResult> OnGetAsync(BillMessageStanding? standing, long? edit, CancellationToken cancellationToken)
    {
        await LoadAsync(standing, cancellationToken);
        if (edit is { } id)
        {
            if (await book.FindAsync(id, cancellationToken) is not { } message)
            {
                return NotFound();
            }

            (Id, Text, StartsOn, EndsOn, CycleCode, AccountClass, RouteCode, ProgramCode) =
                (message.Id, message.Text, message.StartsOn, message.EndsOn, message.CycleCode, message.AccountClass, message.RouteCode, message.ProgramCode);
        }
        else
        {
            // A message usually runs for the next month of bills.
            (StartsOn, EndsOn) = (Today, Today.AddMonths(1).AddDays(-1));
        }

        return Page();
    }

    public Task<IActionResult> OnPostAsync(BillMessageStanding? standing, CancellationToken cancellationToken) =>
        ActAsync(authorization, BillingCapability.ManageBillMessages, async () =>
        {
            var request = new BillMessageRequest(Text, StartsOn, EndsOn, CycleCode, AccountClass, RouteCode, ProgramCode);
            var saved = Id is { } id
                ? await book.UpdateAsync(id, request, User.Identity!.Name!, cancellationToken)
                : await book.AddAsync(request, User.Identity!.Name!, cancellationToken);
            var verb = Id is null ? "added" : "saved";
            (Id, Text, CycleCode, AccountClass, RouteCode, ProgramCode) = (null, null, null, null, null, null);
            return $"Message {saved.Id} {verb}: on bills of {saved.Audience} dated {saved.StartsOn:yyyy-MM-dd} to {saved.EndsOn:yyyy-MM-dd}.";
        }, async () =>
        {
            await LoadAsync(standing, cancellationToken);
            return true;
        });

    public Task<IActionResult> OnPostEndAsync(long messageId, BillMessageStanding? standing, CancellationToken cancellationToken) =>
        ActAsync(authorization, BillingCapability.ManageBillMessages, async () =>
        {
            var ended = await book.EndAsync(messageId, User.Identity!.Name!, cancellationToken);
            return $"Message {ended.Id} ends today, {ended.EndsOn:yyyy-MM-dd}: no bill dated after it prints it.";
        }, () => ReloadBlankAsync(standing, cancellationToken));

    public Task<IActionResult> OnPostDeleteAsync(long messageId, BillMessageStanding? standing, CancellationToken cancellationToken) =>
        ActAsync(authorization, BillingCapability.ManageBillMessages, async () =>
        {
            await book.DeleteAsync(messageId, User.Identity!.Name!, cancellationToken);
            return $"Message {messageId} deleted; it had printed on no bill.";
        }, () => ReloadBlankAsync(standing, cancellationToken));

    /// <summary>After ending or deleting one, the form is blank again for adding.</summary>
    private async Task<bool> ReloadBlankAsync(BillMessageStanding? standing, CancellationToken cancellationToken)
    {
        await LoadAsync(standing, cancellationToken);
        (Id, Text, StartsOn, EndsOn) = (null, null, Today, Today.AddMonths(1).AddDays(-1));
        return true;
    }

    private async Task LoadAsync(BillMessageStanding? standing, CancellationToken cancellationToken)
    {
        Today = calendar.Today();
        Shown = standing;
        CanManage = (await authorization.AuthorizeAsync(User, BillingCapability.ManageBillMessages)).Succeeded;
        Messages = await book.ListAsync(standing, cancellationToken);
        Cycles = await queries.CyclesAsync(cancellationToken);
    }

    /// <summary>The longest text, for the form's counter.</summary>
    public static int TextLengthMax => BillMessages.TextLengthMax;
}
