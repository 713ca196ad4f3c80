using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Billing;

[Authorize(Policy = BillingCapability.ViewBilling)]
public sealed class RunModel(BillingQueries queries, OpenCIS.UseCases.Reports.BillingReports reports) : PageModel
{
    public BillingRunView Run { get; private set; } = null!;
    public IReadOnlyList<BillingExceptionView> Exceptions { get; private set; } = [];
    public string? Message { get; private set; }
    public OpenCIS.UseCases.Reports.BillingRegister? Register { get; private set; }

    public async Task<IActionResult> OnGetAsync(long runId, string? message, CancellationToken cancellationToken)
    {
        var run = await queries.RunAsync(runId, cancellationToken);
        if (run is null)
        {
            return NotFound();
        }

        Run = run;
        Message = message;
        Exceptions = await queries.ExceptionsAsync(runId, cancellationToken);
        Register = await reports.RegisterAsync(runId, cancellationToken);
        return Page();
    }
}
