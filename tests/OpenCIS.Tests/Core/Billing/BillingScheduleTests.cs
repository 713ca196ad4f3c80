using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;

namespace OpenCIS.Tests.Core.Billing;

public sealed class BillingScheduleTests
{
    private static readonly DateOnly DayAfterThanksgiving = new(2026, 11, 27);

    private static readonly HolidayCalendar CityCalendar = HolidayCalendar.Named("US-Federal", [(DayAfterThanksgiving, "Day after Thanksgiving")]);

    [Fact]
    public void A_read_day_on_Thanksgiving_moves_to_the_Friday_and_past_a_declared_day_after_to_the_Monday()
    {
        var rules = new CycleRules(ReadDayOfMonth: 26, BillDaysAfterRead: 1, DueDays: 21, ReadWindowDays: 10);

        var federal = BillingSchedule.For(rules, HolidayCalendar.UsFederal, 2026, 11);
        Assert.Equal(new DateOnly(2026, 11, 27), federal.Read.Date);
        Assert.Equal(["Thanksgiving Day"], federal.Read.MovedPastHolidays);

        var city = BillingSchedule.For(rules, CityCalendar, 2026, 11);
        Assert.Equal(new DateOnly(2026, 11, 30), city.Read.Date);
        Assert.Equal(["Thanksgiving Day", "Day after Thanksgiving"], city.Read.MovedPastHolidays);
        Assert.Equal(new DateOnly(2026, 11, 21), city.ReadWindowStart);
        Assert.Equal(new DateOnly(2026, 12, 1), city.Bill.Date);
        Assert.Equal(new DateOnly(2026, 12, 22), city.Due.Date);
        Assert.False(city.Due.Moved);
    }

    [Theory]
    [InlineData("2026-12-01", "2026-11")] // November's read moved past Thanksgiving and the declared day after: billed in December.
    [InlineData("2026-11-30", null)] // The moved read date itself is no bill date.
    [InlineData("2026-12-02", null)]
    [InlineData("2026-12-29", "2026-12")] // December's read on Saturday the 26th moves to Monday the 28th, billed the Tuesday.
    public void The_schedule_starts_a_cycles_run_only_on_a_bill_date_and_names_the_month_it_bills(string date, string? month)
    {
        var rules = new CycleRules(ReadDayOfMonth: 26, BillDaysAfterRead: 1, DueDays: 21, ReadWindowDays: 10);

        var billed = BillingSchedule.MonthBilledOn(rules, CityCalendar, DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(month, billed is null ? null : $"{billed.Year:D4}-{billed.Month:D2}");
        Assert.True(billed is null || billed.Bill.Date == DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_bill_day_after_Christmas_Eve_skips_Christmas_and_the_weekend()
    {
        var month = BillingSchedule.For(new CycleRules(24, 1, 21, 10), HolidayCalendar.UsFederal, 2026, 12);

        Assert.Equal(new DateOnly(2026, 12, 24), month.Read.Date);
        Assert.Equal(new DateOnly(2026, 12, 28), month.Bill.Date);
        Assert.Equal(["Christmas Day"], month.Bill.MovedPastHolidays);
        // 21 days on is Monday 18 January 2027, the Birthday of Martin Luther King, Jr.: due the Tuesday.
        Assert.Equal(new DateOnly(2027, 1, 19), month.Due.Date);
        Assert.Equal(["Birthday of Martin Luther King, Jr."], month.Due.MovedPastHolidays);
    }

    [Fact]
    public void A_due_date_on_New_Years_Day_kept_on_Friday_2027_12_31_rolls_to_the_Monday()
    {
        // Read Friday 10 December 2027, billed Monday the 13th, due 18 days later: Friday the 31st, New Year's Day observed.
        var month = BillingSchedule.For(new CycleRules(10, 1, 18, 10), HolidayCalendar.UsFederal, 2027, 12);

        Assert.Equal(new DateOnly(2027, 12, 13), month.Bill.Date);
        Assert.Equal(new DateOnly(2027, 12, 31), month.Due.Nominal);
        Assert.Equal(new DateOnly(2028, 1, 3), month.Due.Date);
        Assert.Equal(["New Year's Day"], month.Due.MovedPastHolidays);
    }

    [Fact]
    public void A_read_day_on_a_weekend_moves_to_Monday_without_naming_a_holiday()
    {
        var month = BillingSchedule.For(new CycleRules(5, 2, 21, 10), HolidayCalendar.None, 2026, 12);

        Assert.Equal(new DateOnly(2026, 12, 7), month.Read.Date);
        Assert.True(month.Read.Moved);
        Assert.Empty(month.Read.MovedPastHolidays);
        Assert.Equal(new DateOnly(2026, 12, 9), month.Bill.Date);
    }

    [Fact]
    public void A_read_day_past_the_end_of_a_short_month_is_its_last_day()
    {
        var month = BillingSchedule.For(new CycleRules(31, 1, 21, 10), HolidayCalendar.None, 2026, 2);

        Assert.Equal(new DateOnly(2026, 2, 28), month.Read.Nominal);
        Assert.Equal(new DateOnly(2026, 3, 2), month.Read.Date); // the 28th is a Saturday
    }

    [Fact]
    public void The_calendar_of_a_named_rule_set_lists_the_utilitys_own_holidays_once()
    {
        var kept = CityCalendar.In(2026);

        Assert.Single(kept, h => h.Date == DayAfterThanksgiving);
        Assert.Equal("Day after Thanksgiving", CityCalendar.HolidayOn(DayAfterThanksgiving));
        Assert.Empty(HolidayCalendar.Named("None", []).In(2026));
    }

    [Theory]
    [InlineData("Federal", "holidayCalendar")]
    public void An_unknown_rule_set_is_refused(string name, string field) =>
        Assert.Equal(field, Assert.Throws<DomainException>(() => HolidayCalendar.Named(name, [])).Field);

    [Theory]
    [InlineData(0, 1, 21, 10, "readDayOfMonth")]
    [InlineData(5, -1, 21, 10, "billDaysAfterRead")]
    [InlineData(5, 1, 0, 10, "dueDays")]
    [InlineData(5, 1, 21, 40, "readWindowDays")]
    public void Rules_out_of_range_name_their_field(int readDay, int billDays, int dueDays, int window, string field) =>
        Assert.Equal(field, Assert.Throws<DomainException>(() => new CycleRules(readDay, billDays, dueDays, window).Validated()).Field);
}
