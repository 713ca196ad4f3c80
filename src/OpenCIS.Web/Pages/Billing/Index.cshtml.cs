using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Jobs;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;
using OpenCIS.Web.Jobs;

namespace OpenCIS.Web.Pages.Billing;

[Authorize(Policy = BillingCapability.ViewBilling)]
public sealed class IndexModel(BillingQueries queries, JobQueries jobs, IAuthorizationService authorization, OpenCIS.UseCases.BusinessCalendar calendar) : PageModel
{
    public IReadOnlyList<BillingCycleView> Cycles { get; private set; } = [];
    public IReadOnlyList<BillingRunView> Runs { get; private set; } = [];
    public IReadOnlyList<JobView> Jobs { get; private set; } = [];
    public bool CanRun { get; private set; }
    public DateOnly Today { get; private set; }
    public string? Error { get; private set; }

    /// <summary>The warning that the business date is before the cycle's read date that month, asking to run anyway.</summary>
    public string? EarlyWarning { get; private set; }

    /// <summary>The cycle and date the form shows again after a warning or a refusal.</summary>
    public string? ChosenCycle { get; private set; }

    public DateOnly? ChosenDate { get; private set; }

    public async Task OnGetAsync(string? error, CancellationToken cancellationToken)
    {
        Error = error;
        await LoadAsync(cancellationToken);
    }

    /// <summary>
    /// Starts a run once the clerk has confirmed that the cycle's reads were checked (a required field, checked here, not
    /// only in the browser). A business date before the cycle's read date that month is warned about, not refused: the
    /// form comes back with the warning and runs on the second submit.
    /// </summary>
    public async Task<IActionResult> OnPostAsync(string cycle, DateOnly businessDate, bool confirmed, bool early, [FromServices] StartBillingRun startBillingRun,
        [FromServices] OpenCIS.UseCases.Billing.Cycles.CycleSchedules schedules, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, BillingCapability.RunBilling)).Succeeded)
        {
            return Forbid();
        }

        (ChosenCycle, ChosenDate) = (cycle, businessDate);
        if (!confirmed)
        {
            Error = "Confirm that you have checked the cycle's reads before running billing: a run bills every account with a valid read.";
            await LoadAsync(cancellationToken);
            return Page();
        }

        try
        {
            if (!early && await ReadDateAsync(schedules, cycle, businessDate, cancellationToken) is { } read && businessDate < read)
            {
                EarlyWarning = $"Cycle {cycle} is read on {read:ddd yyyy-MM-dd} this month, after the business date {businessDate:yyyy-MM-dd}: this month's reads may not be in yet, and accounts without a new read become exceptions. Run anyway, or pick a later date.";
                await LoadAsync(cancellationToken);
                return Page();
            }

            // The run goes on as a job; the job's page follows it, and can be closed and opened again.
            var started = await startBillingRun.ExecuteAsync(cycle, businessDate, User.Identity!.Name!, cancellationToken);
            return started.Job is { } job
                ? Redirect(JobStarts.PageOf(job))
                : Redirect($"/Billing/Runs/{started.CompletedRun!.RunId}?message={Uri.EscapeDataString(started.Message)}");
        }
        catch (JobAlreadyActiveException already)
        {
            return Redirect(JobStarts.PageOf(already));
        }
        catch (DomainException exception)
        {
            return RedirectToPage(new { error = exception.Message });
        }
    }

    /// <summary>The cycle's read date in the month of the business date, from its schedule (holidays moved); none for an unknown cycle.</summary>
    private static async Task<DateOnly?> ReadDateAsync(OpenCIS.UseCases.Billing.Cycles.CycleSchedules schedules, string cycle, DateOnly businessDate, CancellationToken cancellationToken)
    {
        try
        {
            var schedule = await schedules.ScheduleAsync(cycle, new DateOnly(businessDate.Year, businessDate.Month, 1), 1, cancellationToken);
            return schedule.Months.FirstOrDefault(m => m.Month == $"{businessDate.Year:D4}-{businessDate.Month:D2}")?.ReadDate.Date;
        }
        catch (DomainException)
        {
            // An unknown cycle: the run itself refuses it, naming it.
            return null;
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Today = calendar.Today();
        Cycles = await queries.CyclesAsync(cancellationToken);
        Runs = await queries.RecentRunsAsync(30, cancellationToken);
        Jobs = await jobs.RecentAsync(5, new HashSet<string> { RunBillingJob.JobKind }, cancellationToken);
        CanRun = (await authorization.AuthorizeAsync(User, BillingCapability.RunBilling)).Succeeded;
    }
}
