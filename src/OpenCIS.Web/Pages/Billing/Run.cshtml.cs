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

    /// <summary>Bills shown a page at a time; the CSV and the print-vendor file carry them all.</summary>
    public const int PageSize = 100;

    /// <summary>Exceptions shown at most; the CSV carries them all.</summary>
    public const int ExceptionsShown = 200;

    public int PageNumber { get; private set; } = 1;

    public int PageCount => Register is null ? 1 : Math.Max(1, (Register.Bills.Count + PageSize - 1) / PageSize);

    public IEnumerable<OpenCIS.UseCases.Reports.RegisterBill> PageOfBills => Register?.Bills.Skip((PageNumber - 1) * PageSize).Take(PageSize) ?? [];

    public async Task<IActionResult> OnGetAsync(long runId, string? message, int? page, CancellationToken cancellationToken)
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
        PageNumber = Math.Clamp(page ?? 1, 1, PageCount);
        return Page();
    }
}
