using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Billing;

namespace OpenCIS.Tests.Properties;

/// <summary>Whatever the rules and whatever holidays a city declares, bills go out and fall due on business days, never early.</summary>
public sealed class BillingScheduleProperties
{
    private static readonly Gen<CycleRules> Rules =
        from readDay in Gen.Choose(1, 31)
        from billDays in Gen.Choose(0, CycleRules.BillDaysAfterReadMax)
        from dueDays in Gen.Choose(1, CycleRules.DueDaysMax)
        from window in Gen.Choose(1, CycleRules.ReadWindowDaysMax)
        select new CycleRules(readDay, billDays, dueDays, window);

    private static readonly Gen<HolidayCalendar> Calendars =
        from ruleSet in Gen.Elements(HolidayCalendar.RuleSets.ToArray())
        from own in Gen.ListOf(Gen.Choose(0, 365 * 3).Select(d => new DateOnly(2026, 1, 1).AddDays(d)))
        select HolidayCalendar.Named(ruleSet, [.. own.Take(20).Select(d => (d, "City holiday"))]);

    [Fact]
    public void Bill_and_due_dates_are_business_days_and_due_no_sooner_than_the_due_days()
    {
        var cases =
            from rules in Rules
            from calendar in Calendars
            from year in Gen.Choose(2026, 2028)
            from month in Gen.Choose(1, 12)
            select (rules, calendar, year, month);

        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var scheduled = BillingSchedule.For(c.rules, c.calendar, c.year, c.month);
            return c.calendar.IsBusinessDay(scheduled.Read.Date)
                && c.calendar.IsBusinessDay(scheduled.Bill.Date)
                && c.calendar.IsBusinessDay(scheduled.Due.Date)
                && scheduled.Read.Date >= scheduled.Read.Nominal
                && scheduled.Bill.Date >= scheduled.Read.Date.AddDays(c.rules.BillDaysAfterRead)
                && scheduled.Due.Date >= scheduled.Bill.Date.AddDays(c.rules.DueDays)
                && scheduled.ReadWindowStart <= scheduled.Read.Date;
        });

        Check.One(Generators.Config, property);
    }
}
