using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Ledger;
using OpenCIS.UseCases.Reports;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Reports;

[Authorize(Policy = ReportsCapability.ViewReports)]
public sealed class IndexModel(LedgerReports reports, ReceivablesAging aging, OpenCIS.UseCases.BusinessCalendar calendar) : PageModel
{
    public TrialBalance TrialBalance { get; private set; } = null!;
    public ReceivablesAgingReport Aging { get; private set; } = null!;
    public IReadOnlyList<ReceivablesAgingAccount> MostPastDue { get; private set; } = [];

    public async Task OnGetAsync(DateOnly? asOf, CancellationToken cancellationToken)
    {
        TrialBalance = await reports.TrialBalanceAsync(null, cancellationToken);
        Aging = await aging.RunAsync(asOf ?? calendar.Today(), detail: true, cancellationToken);
        MostPastDue = ReceivablesAging.MostPastDue(Aging, 20);
    }
}
