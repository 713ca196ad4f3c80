using OpenCIS.Core.Common;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Storage;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Billing.Cycles;
using OpenCIS.Web.Security;

using static OpenCIS.Web.Api.ApiText;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

public sealed record ChangeCycleRulesBody(int BillDaysAfterRead, int DueDays, int ReadWindowDays, string HolidayCalendar, string Reason);

public sealed record AddHolidayBody(string? Calendar, string Date, string Name);

public sealed record CycleRulesResponse(string Code, int ReadDayOfMonth, int BillDaysAfterRead, int DueDays, int ReadWindowDays, string HolidayCalendar);

/// <summary>Cycle schedules, cycle rules and the utility's own holidays.</summary>
public static class CyclesApi
{
    public static void Map(RouteGroupBuilder billing)
    {
        billing.MapGet("/cycles/{code}/schedule", async (string code, int? months, CycleSchedules schedules, BusinessCalendar calendar, CancellationToken cancellationToken) =>
                TypedResults.Ok(await schedules.ScheduleAsync(code, calendar.Today(), months ?? 12, cancellationToken)))
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("A cycle's schedule from this month on: read date, read window, bill date and due date, naming any holiday that moved a date.");

        billing.MapPut("/cycles/{code}", async (string code, ChangeCycleRulesBody body, ChangeCycleRules workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                var cycle = await workflow.ExecuteAsync(code, new ChangeCycleRulesRequest(body.BillDaysAfterRead, body.DueDays, body.ReadWindowDays, body.HolidayCalendar ?? "", body.Reason ?? ""), ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(new CycleRulesResponse(cycle.Code, cycle.ReadDayOfMonth, cycle.BillDaysAfterRead, cycle.DueDays, cycle.ReadWindowDays, cycle.HolidayCalendar));
            })
            .RequireAuthorization(BillingCapability.ManageCycles)
            .WithSummary("Change a cycle's rules: business days from read to bill, days from bill to due, read window days and holiday calendar. Audited.");

        billing.MapGet("/holidays", async Task<Results<Ok<IReadOnlyList<HolidayView>>, ValidationProblem>> (string? calendar, int? year, CycleSchedules schedules, BusinessCalendar today, CancellationToken cancellationToken) =>
            {
                if (year is { } asked && (asked < IsoDate.Earliest.Year || asked >= IsoDate.Latest.Year))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("year", $"{asked} is not a year OpenCIS keeps holidays for ({IsoDate.Earliest.Year} to {IsoDate.Latest.Year - 1}).");
                }

                var first = year ?? today.Today().Year;
                return TypedResults.Ok(await schedules.HolidaysAsync(calendar ?? "US-Federal", first, year ?? first + 1, cancellationToken));
            })
            .RequireAuthorization(BillingCapability.ViewBilling)
            .WithSummary("The holidays of a calendar (US-Federal unless named) for a year, or this year and next: the rule ones and the utility's own.");

        billing.MapPost("/holidays", async Task<Results<Created<HolidayView>, ValidationProblem>> (AddHolidayBody body, ManageHolidays workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (!TryDate(body.Date, out var date))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("date", $"'{body.Date}' is not a date in the form YYYY-MM-DD.");
                }

                var holiday = await workflow.AddAsync(body.Calendar ?? "US-Federal", date, body.Name ?? "", ApiUser.Name(context), cancellationToken);
                return TypedResults.Created($"/api/billing/holidays/{holiday.Calendar}/{holiday.Date:yyyy-MM-dd}", new HolidayView(holiday.Calendar, holiday.Date, holiday.Name, true));
            })
            .RequireAuthorization(BillingCapability.ManageCycles)
            .WithSummary("Add one of the utility's own holidays to a calendar (US-Federal unless named). Audited.");

        billing.MapDelete("/holidays/{calendar}/{date}", async Task<Results<NoContent, ValidationProblem>> (string calendar, string date, ManageHolidays workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (!TryDate(date, out var day))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("date", $"'{date}' is not a date in the form YYYY-MM-DD.");
                }

                await workflow.RemoveAsync(calendar, day, ApiUser.Name(context), cancellationToken);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(BillingCapability.ManageCycles)
            .WithSummary("Remove one of the utility's own holidays. Audited.");
    }
}
