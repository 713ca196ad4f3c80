using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Ledger;
using OpenCIS.Storage;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Reports;

/// <summary>
/// The chart of accounts by fund and department, and the order in which credits pay charge types.
/// Anyone who sees reports reads them; ManageLedger edits an account in place, adds one, and sets
/// a charge type's priority.
/// </summary>
[Authorize(Policy = ReportsCapability.ViewReports)]
public sealed class ChartModel(LedgerQueries queries, IAuthorizationService authorization) : ActionPageModel
{
    public ChartOfAccounts Chart { get; private set; } = ChartOfAccounts.Default;
    public AllocationPriorities Priorities { get; private set; } = AllocationPriorities.OldestFirst;
    public bool CanManage { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAccountAsync(string? code, string? name, string? fundCode, string? fundName, string? department,
        [FromServices] ConfigureLedger workflow, CancellationToken cancellationToken) =>
        await ManageAsync(async () =>
        {
            var saved = await workflow.SaveAccountAsync(new GlAccountDefinition(code?.Trim() ?? "", name?.Trim() ?? "", fundCode?.Trim() ?? "", fundName?.Trim() ?? "", department?.Trim() ?? ""),
                User.Identity?.Name ?? "unknown", cancellationToken);
            return $"GL account {saved.FullCode} {saved.Name} saved.";
        }, cancellationToken);

    public async Task<IActionResult> OnPostPriorityAsync(string? transactionType, int priority, [FromServices] ConfigureLedger workflow, CancellationToken cancellationToken) =>
        await ManageAsync(async () =>
        {
            var type = ConfigureLedger.ParseType(transactionType ?? "");
            await workflow.SetPriorityAsync(type, priority, User.Identity?.Name ?? "unknown", cancellationToken);
            return $"{type} charges now have priority {priority}.";
        }, cancellationToken);

    private Task<IActionResult> ManageAsync(Func<Task<string>> change, CancellationToken cancellationToken) =>
        ActAsync(authorization, LedgerCapability.ManageLedger, change, async () =>
        {
            await LoadAsync(cancellationToken);
            return true;
        });

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Chart = await queries.ChartAsync(cancellationToken);
        Priorities = await queries.PrioritiesAsync(cancellationToken);
        CanManage = (await authorization.AuthorizeAsync(User, LedgerCapability.ManageLedger)).Succeeded;
    }
}
