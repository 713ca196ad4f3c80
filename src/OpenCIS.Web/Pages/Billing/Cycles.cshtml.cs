using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Billing.Cycles;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Billing;

/// <summary>
/// Billing cycles: each cycle's rules and its next twelve months (read date, read window, bill date,
/// due date, and the holiday that moved a date), the holidays of this year and next, and for
/// ManageCycles the forms to change a cycle's rules and add or remove the utility's own holidays.
/// </summary>
[Authorize(Policy = BillingCapability.ViewBilling)]
public sealed class CyclesModel(CycleSchedules schedules, IAuthorizationService authorization, OpenCIS.UseCases.BusinessCalendar calendar) : ActionPageModel
{
    public const int ScheduleMonths = 12;

    public IReadOnlyList<CycleScheduleView> Cycles { get; private set; } = [];
    public IReadOnlyList<HolidayView> Holidays { get; private set; } = [];
    public IReadOnlyList<string> Calendars => HolidayCalendar.RuleSets;
    public bool CanManage { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostRulesAsync(string code, int billDaysAfterRead, int dueDays, int readWindowDays, string holidayCalendar, string? reason,
        [FromServices] ChangeCycleRules workflow, CancellationToken cancellationToken) =>
        await ManageAsync(async () =>
        {
            await workflow.ExecuteAsync(code, new ChangeCycleRulesRequest(billDaysAfterRead, dueDays, readWindowDays, holidayCalendar, reason ?? ""), User.Identity?.Name ?? "unknown", cancellationToken);
            return $"Cycle {code}'s rules changed.";
        }, cancellationToken);

    public async Task<IActionResult> OnPostAddHolidayAsync(string calendar, DateOnly? date, string? name, [FromServices] ManageHolidays workflow, CancellationToken cancellationToken) =>
        await ManageAsync(async () =>
        {
            var day = date ?? throw new DomainException("Enter the holiday's date.", "date");
            var holiday = await workflow.AddAsync(calendar, day, name ?? "", User.Identity?.Name ?? "unknown", cancellationToken);
            return $"{holiday.Name} on {holiday.Date:yyyy-MM-dd} added to the {holiday.Calendar} calendar.";
        }, cancellationToken);

    public async Task<IActionResult> OnPostRemoveHolidayAsync(string calendar, DateOnly date, [FromServices] ManageHolidays workflow, CancellationToken cancellationToken) =>
        await ManageAsync(async () =>
        {
            await workflow.RemoveAsync(calendar, date, User.Identity?.Name ?? "unknown", cancellationToken);
            return $"The holiday on {date:yyyy-MM-dd} was removed from the {calendar} calendar.";
        }, cancellationToken);

    private Task<IActionResult> ManageAsync(Func<Task<string>> change, CancellationToken cancellationToken) =>
        ActAsync(authorization, BillingCapability.ManageCycles, change, async () =>
        {
            await LoadAsync(cancellationToken);
            return true;
        });

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var today = calendar.Today();
        Cycles = await schedules.SchedulesAsync(today, ScheduleMonths, cancellationToken);
        var holidays = new List<HolidayView>();
        foreach (var name in Cycles.Select(c => c.HolidayCalendar).Append(HolidayCalendar.UsFederalName).Distinct().Order(StringComparer.Ordinal))
        {
            holidays.AddRange(await schedules.HolidaysAsync(name, today.Year, today.Year + 1, cancellationToken));
        }

        Holidays = holidays;
        CanManage = (await authorization.AuthorizeAsync(User, BillingCapability.ManageCycles)).Succeeded;
    }
}
