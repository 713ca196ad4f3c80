using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Billing;
using OpenCIS.Tests.Properties;

namespace OpenCIS.Tests.Core.Billing;

public sealed class HolidayCalendarTests
{
    private static DateOnly D(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void The_federal_holidays_of_2026_fall_on_their_observed_days()
    {
        var kept = HolidayCalendar.UsFederal.In(2026).Select(h => (h.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), h.Name)).ToArray();
        Assert.Equal(
        [
            ("2026-01-01", "New Year's Day"),
            ("2026-01-19", "Birthday of Martin Luther King, Jr."),
            ("2026-02-16", "Washington's Birthday"),
            ("2026-05-25", "Memorial Day"),
            ("2026-06-19", "Juneteenth National Independence Day"),
            ("2026-07-03", "Independence Day"), // the Fourth is a Saturday
            ("2026-09-07", "Labor Day"),
            ("2026-10-12", "Columbus Day"),
            ("2026-11-11", "Veterans Day"),
            ("2026-11-26", "Thanksgiving Day"),
            ("2026-12-25", "Christmas Day"),
        ], kept);
    }

    [Fact]
    public void A_New_Years_Day_on_a_Saturday_is_kept_on_the_last_Friday_of_the_year_before()
    {
        // 1 January 2028 is a Saturday.
        Assert.Equal("New Year's Day", HolidayCalendar.UsFederal.HolidayOn(D("2027-12-31")));
        Assert.Contains(HolidayCalendar.UsFederal.In(2027), h => h.Date == D("2027-12-31"));
        Assert.DoesNotContain(HolidayCalendar.UsFederal.In(2028), h => h.Name == "New Year's Day");
    }

    [Theory]
    [InlineData("2026-11-05", 21, "2026-11-27")] // Thanksgiving moves it to Friday
    [InlineData("2026-12-04", 21, "2026-12-28")] // Christmas Day then the weekend
    [InlineData("2026-06-12", 21, "2026-07-06")] // 3 July is the observed Fourth, then the weekend
    [InlineData("2026-10-20", 21, "2026-11-10")] // an ordinary Tuesday stays
    public void A_due_date_moves_past_weekends_and_holidays(string billDate, int days, string expected) =>
        Assert.Equal(D(expected), HolidayCalendar.UsFederal.DueDate(D(billDate), days));

    [Fact]
    public void A_due_date_is_the_first_business_day_on_or_after_the_bill_date_plus_its_days()
    {
        var cases = Gen.Choose(0, 365 * 30).Select(d => new DateOnly(2020, 1, 1).AddDays(d)).Zip(Gen.Choose(0, 60));
        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (billDate, days) = c;
            var calendar = HolidayCalendar.UsFederal;
            var due = calendar.DueDate(billDate, days);
            var earliest = billDate.AddDays(days);
            var skipped = Enumerable.Range(0, due.DayNumber - earliest.DayNumber).Select(earliest.AddDays);
            return calendar.IsBusinessDay(due) && due >= earliest && skipped.All(d => !calendar.IsBusinessDay(d)) && (due.DayNumber - earliest.DayNumber) <= 4;
        });

        Check.One(Generators.Config, property);
    }
}
