using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Billing.Cycles;
using Spectre.Console;

namespace OpenCIS.Cli.Billing;

/// <summary><c>cycle schedule</c>, <c>holiday add</c> and <c>holiday list</c>, through the same workflows as the cycles screen and API.</summary>
public static class CycleCommands
{
    public static void AddTo(CliHost host)
    {
        var root = host.Root;
        var console = host.Console;
        Func<Func<IServiceProvider, Task<int>>, Task<int>> withServices = host.WithServices;
        var user = host.User;
        var cycleOption = new Option<string>("--cycle") { Description = "Billing cycle code, e.g. C1", Required = true };
        var monthsOption = new Option<int>("--months") { Description = $"How many months from this one (1 to {CycleSchedules.MonthsMax})", DefaultValueFactory = _ => 12 };
        var schedule = new Command("schedule", "A cycle's read date, read window, bill date and due date for the coming months, naming the holidays that moved a date.") { cycleOption, monthsOption };
        schedule.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var today = services.GetRequiredService<BusinessCalendar>().Today();
            var view = await services.GetRequiredService<CycleSchedules>().ScheduleAsync(parse.GetValue(cycleOption)!, today, parse.GetValue(monthsOption), cancellationToken);
            var table = new Table()
                .Title($"Cycle {view.Code} ({view.Name}): read day {view.ReadDayOfMonth}, bill {view.BillDaysAfterRead} business day(s) after, due {view.DueDays} days after, {view.HolidayCalendar} holidays")
                .AddColumns("Month", "Read date", "Read window", "Bill date", "Due date");
            foreach (var m in view.Months)
            {
                table.AddRow(Markup.Escape(m.Month), Cell(m.ReadDate), $"{m.ReadWindowStart:yyyy-MM-dd} to {m.ReadWindowEnd:yyyy-MM-dd}", Cell(m.BillDate), Cell(m.DueDate));
            }

            console.Write(table);
            return CliApp.Ok;
        }));
        var cycle = new Command("cycle", "Billing cycle schedules.") { schedule };
        root.Add(cycle);

        var calendarOption = new Option<string>("--calendar") { Description = $"Holiday calendar: {string.Join(" or ", HolidayCalendar.RuleSets)}", DefaultValueFactory = _ => HolidayCalendar.UsFederalName };
        var dateOption = new Option<string>("--date") { Description = "The holiday's date, YYYY-MM-DD", Required = true };
        var nameOption = new Option<string>("--name") { Description = "The holiday's name", Required = true };
        var add = new Command("add", "Add one of the utility's own holidays to a calendar: no read, bill or due date of a cycle keeping that calendar falls on it.") { dateOption, nameOption, calendarOption };
        add.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var text = parse.GetValue(dateOption)!;
            var date = CliApp.ParseDate(text, "--date");
            var holiday = await services.GetRequiredService<ManageHolidays>().AddAsync(parse.GetValue(calendarOption)!, date, parse.GetValue(nameOption)!, user, cancellationToken);
            console.MarkupLineInterpolated($"{holiday.Name} on {holiday.Date:yyyy-MM-dd} added to the {holiday.Calendar} calendar.");
            return CliApp.Ok;
        }));

        var yearOption = new Option<int?>("--year") { Description = "The year (default: this year)" };
        var list = new Command("list", "The holidays of a calendar for a year: the rule ones and the utility's own.") { yearOption, calendarOption };
        list.SetAction((parse, cancellationToken) => withServices(async services =>
        {
            var year = parse.GetValue(yearOption) ?? services.GetRequiredService<BusinessCalendar>().Today().Year;
            var calendar = parse.GetValue(calendarOption)!;
            var holidays = await services.GetRequiredService<CycleSchedules>().HolidaysAsync(calendar, year, year, cancellationToken);
            var table = new Table().Title($"{calendar} holidays in {year}").AddColumns("Date", "Day", "Holiday", "Kind");
            foreach (var h in holidays)
            {
                table.AddRow(h.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), h.Date.DayOfWeek.ToString(), Markup.Escape(h.Name), h.Own ? "city" : "rule");
            }

            console.Write(table);
            return CliApp.Ok;
        }));
        root.Add(new Command("holiday", "The utility's holidays.") { add, list });
    }

    private static string Cell(ScheduledDateView date) =>
        date.Date.ToString("ddd yyyy-MM-dd", CultureInfo.InvariantCulture) + (date.MovedBy is null ? "" : $" ({Markup.Escape(date.MovedBy)})");
}
