using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Invoices;
using OpenCIS.UseCases.Jobs;
using OpenCIS.Web.Capabilities;
using OpenCIS.Web.Jobs;

namespace OpenCIS.Web.Pages.Invoices;

/// <summary>
/// The patient statements of a date (statement cycles: EMS at 30, 60 and the final notice at 90 days): each one's PDF, the
/// day's print file for the mail room, and a button that writes the date's statements now (the daily collections run
/// writes them anyway).
/// </summary>
[Authorize(Policy = InvoicesCapability.ViewInvoices)]
public sealed class StatementsModel(InvoiceStatements statements, StartJob start, BusinessCalendar calendar, IAuthorizationService authorization) : ActionPageModel
{
    public DateOnly Date { get; private set; }

    public IReadOnlyList<StatementView> Statements { get; private set; } = [];

    public bool CanRun { get; private set; }

    public async Task<IActionResult> OnGetAsync(DateOnly? date, CancellationToken cancellationToken)
    {
        await LoadAsync(date, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(DateOnly? date, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, InvoicesCapability.RunStatements)).Succeeded)
        {
            return Forbid();
        }

        return Redirect(await JobStarts.FollowAsync(start, InvoiceStatementsJob.Request(date ?? calendar.Today()), User.Identity!.Name!, cancellationToken));
    }

    private async Task LoadAsync(DateOnly? date, CancellationToken cancellationToken)
    {
        Date = date ?? calendar.Today();
        Statements = await statements.ListAsync(Date, null, cancellationToken);
        CanRun = (await authorization.AuthorizeAsync(User, InvoicesCapability.RunStatements)).Succeeded;
    }
}
