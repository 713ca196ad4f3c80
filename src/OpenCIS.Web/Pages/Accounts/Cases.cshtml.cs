using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Cases;
using OpenCIS.UseCases.Cases;
using OpenCIS.UseCases.Customers;
using OpenCIS.Web.Api;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Accounts;

/// <summary>
/// The account's cases: each with its status, queue, assignee, due date and history, the form to open one (a
/// billing dispute names its amount) and, on each open case, assign, wait on the customer or the field, note and
/// resolve. Each form posts the page and shows it again with what happened, through the workflows the API calls.
/// </summary>
[Authorize(Policy = CasesCapability.ViewCases)]
public sealed class CasesModel(AccountQueries accounts, CaseQueries cases, IAuthorizationService authorization) : ActionPageModel
{
    public AccountOverview Account { get; private set; } = null!;
    public IReadOnlyList<CaseView> Cases { get; private set; } = [];
    public bool CanWork { get; private set; }

    /// <summary>The case the last action was on, so its message shows beside it; 0 for the open form.</summary>
    public long? ActedOn { get; private set; }

    public async Task<IActionResult> OnGetAsync(string accountNumber, CancellationToken cancellationToken) =>
        await LoadAsync(accountNumber, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostOpenAsync(string accountNumber, string? kind, string? subject, string? description, string? amount, string? assignTo,
        [FromServices] CaseWork work, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, 0, cancellationToken, async id =>
        {
            var type = CaseTypes.Parse(kind, "kind");
            var request = new CaseRequest(type.Kind, subject, description, type.TakesAmount ? CollectionWorkApi.Amount(amount, "amount") : null, assignTo);
            return (await work.OpenAsync(id, request, User.Identity!.Name!, cancellationToken)).Message;
        });

    public Task<IActionResult> OnPostAssignAsync(string accountNumber, long caseId, string? assignTo, string? note, [FromServices] CaseWork work, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, caseId, cancellationToken, async _ => (await work.AssignAsync(caseId, assignTo, null, note, User.Identity!.Name!, cancellationToken)).Message);

    public Task<IActionResult> OnPostWaitAsync(string accountNumber, long caseId, string? on, string? note, [FromServices] CaseWork work, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, caseId, cancellationToken, async _ => (await work.WaitAsync(caseId, CasesApi.WaitingOn(on), note, User.Identity!.Name!, cancellationToken)).Message);

    public Task<IActionResult> OnPostNoteAsync(string accountNumber, long caseId, string? note, [FromServices] CaseWork work, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, caseId, cancellationToken, async _ => (await work.NoteAsync(caseId, note, User.Identity!.Name!, cancellationToken)).Message);

    public Task<IActionResult> OnPostResolveAsync(string accountNumber, long caseId, string? resolution, string? note, [FromServices] CaseWork work, CancellationToken cancellationToken) =>
        RunAsync(accountNumber, caseId, cancellationToken, async _ => (await work.ResolveAsync(caseId, resolution, note, User.Identity!.Name!, cancellationToken)).Message);

    private async Task<IActionResult> RunAsync(string accountNumber, long caseId, CancellationToken cancellationToken, Func<long, Task<string>> work)
    {
        ActedOn = caseId;
        var id = await accounts.FindAccountIdAsync(accountNumber, cancellationToken);
        if (id is null)
        {
            return NotFound();
        }

        if (caseId != 0 && (await cases.FindAsync(caseId, cancellationToken))?.AccountId != id)
        {
            return NotFound();
        }

        return await ActAsync(authorization, CasesCapability.WorkCases, () => work(id.Value), () => LoadAsync(accountNumber, cancellationToken));
    }

    private async Task<bool> LoadAsync(string accountNumber, CancellationToken cancellationToken)
    {
        var overview = await accounts.OverviewAsync(accountNumber, cancellationToken);
        if (overview is null)
        {
            return false;
        }

        Account = overview;
        Cases = await cases.ForAccountAsync(overview.AccountId, cancellationToken);
        CanWork = (await authorization.AuthorizeAsync(User, CasesCapability.WorkCases)).Succeeded;
        return true;
    }
}
