using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Billing;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Billing;

/// <summary>
/// One billing run: its counts, the register's sums, and its bills, exceptions and held bills, each list a page at a time
/// read in the database (a run of 50,000 bills opens as fast as one of ten). A user with ReviewBills releases or cancels
/// the held bills here.
/// </summary>
[Authorize(Policy = BillingCapability.ViewBilling)]
public sealed class RunModel(BillingQueries queries, OpenCIS.UseCases.Reports.BillingReports reports, ReviewHeldBills review, IAuthorizationService authorization) : ActionPageModel
{
    public BillingRunView Run { get; private set; } = null!;
    public OpenCIS.UseCases.Reports.BillingRegister? Register { get; private set; }
    public OpenCIS.UseCases.Reports.RegisterBillsPage Bills { get; private set; } = new([], 0, 1, PageSize);
    public BillingExceptionsPage Exceptions { get; private set; } = new([], 0, 1, ExceptionsPageSize);
    public HeldBillsSection Held { get; private set; } = null!;

    /// <summary>Bills shown a page at a time; the CSV and the print-vendor file carry them all.</summary>
    public const int PageSize = 100;

    /// <summary>Exceptions shown a page at a time; the CSV carries them all.</summary>
    public const int ExceptionsPageSize = 100;

    /// <summary>Held bills shown a page at a time.</summary>
    public const int HeldPageSize = 50;

    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;
    [BindProperty(SupportsGet = true, Name = "exceptionsPage")] public int ExceptionsPageNumber { get; set; } = 1;
    [BindProperty(SupportsGet = true, Name = "heldPage")] public int HeldPageNumber { get; set; } = 1;

    public int PageCount => Math.Max(1, (Bills.Total + PageSize - 1) / PageSize);

    public int ExceptionsPageCount => Math.Max(1, (Exceptions.Total + ExceptionsPageSize - 1) / ExceptionsPageSize);

    public async Task<IActionResult> OnGetAsync(long runId, string? message, CancellationToken cancellationToken)
    {
        Message = message;
        return await LoadAsync(runId, cancellationToken) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostReleaseAsync(long runId, long billId, CancellationToken cancellationToken) =>
        ActAsync(authorization, BillingCapability.ReviewBills, async () => (await review.ReleaseAsync(billId, User.Identity!.Name!, cancellationToken)).Message, () => LoadAsync(runId, cancellationToken));

    public Task<IActionResult> OnPostCancelAsync(long runId, long billId, string? reason, CancellationToken cancellationToken) =>
        ActAsync(authorization, BillingCapability.ReviewBills, async () => (await review.CancelAsync(billId, reason ?? "", User.Identity!.Name!, cancellationToken)).Message, () => LoadAsync(runId, cancellationToken));

    /// <summary>The address of this run's page with one list moved to another page and the others where they are.</summary>
    public string Link(int? page = null, int? exceptionsPage = null, int? heldPage = null) =>
        $"/Billing/Runs/{Run.RunId}?page={page ?? PageNumber}&exceptionsPage={exceptionsPage ?? ExceptionsPageNumber}&heldPage={heldPage ?? HeldPageNumber}";

    private async Task<bool> LoadAsync(long runId, CancellationToken cancellationToken)
    {
        if (await queries.RunAsync(runId, cancellationToken) is not { } run)
        {
            return false;
        }

        Run = run;
        Register = await reports.RegisterTotalsAsync(runId, cancellationToken);
        Bills = await reports.BillsPageAsync(runId, Math.Max(1, PageNumber), PageSize, cancellationToken);
        if (Bills.Total > 0 && PageNumber > PageCount)
        {
            Bills = await reports.BillsPageAsync(runId, PageCount, PageSize, cancellationToken);
        }

        PageNumber = Bills.Page;
        Exceptions = await queries.ExceptionsPageAsync(runId, Math.Max(1, ExceptionsPageNumber), ExceptionsPageSize, cancellationToken);
        if (Exceptions.Total > 0 && ExceptionsPageNumber > ExceptionsPageCount)
        {
            Exceptions = await queries.ExceptionsPageAsync(runId, ExceptionsPageCount, ExceptionsPageSize, cancellationToken);
        }

        ExceptionsPageNumber = Exceptions.Page;
        var held = await review.HeldAsync(runId, Math.Max(1, HeldPageNumber), HeldPageSize, cancellationToken);
        if (held.Total > 0 && held.Bills.Count == 0)
        {
            // The last page emptied by a release or cancel: show the one before it.
            held = await review.HeldAsync(runId, (held.Total + HeldPageSize - 1) / HeldPageSize, HeldPageSize, cancellationToken);
        }

        HeldPageNumber = held.Page;
        var keep = new Dictionary<string, string>
        {
            ["page"] = PageNumber.ToString(CultureInfo.InvariantCulture),
            ["exceptionsPage"] = ExceptionsPageNumber.ToString(CultureInfo.InvariantCulture),
            ["heldPage"] = HeldPageNumber.ToString(CultureInfo.InvariantCulture),
        };
        Held = new HeldBillsSection(held, (await authorization.AuthorizeAsync(User, BillingCapability.ReviewBills)).Succeeded, false, p => Link(heldPage: p), keep);
        return true;
    }
}
