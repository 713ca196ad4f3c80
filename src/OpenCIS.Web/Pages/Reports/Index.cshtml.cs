using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Ledger;
using OpenCIS.Data.Reports;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Pages.Reports;

[Authorize(Policy = Permissions.ViewReports)]
public sealed class IndexModel(LedgerReports reports, OpenCIS.Data.BusinessCalendar calendar) : PageModel
{
    public TrialBalance TrialBalance { get; private set; } = null!;
    public AgingReport Aging { get; private set; } = null!;

    public async Task OnGetAsync(DateOnly? asOf, CancellationToken cancellationToken)
    {
        TrialBalance = await reports.TrialBalanceAsync(null, cancellationToken);
        Aging = await reports.AgingAsync(asOf ?? calendar.Today(), 50, cancellationToken);
    }
}
