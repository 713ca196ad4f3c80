using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Reports;

namespace OpenCIS.Tests.Core.Reports;

public sealed class TrendsTests
{
    private static readonly CalendarMonth November = new(2026, 11);

    [Fact]
    public void Twelve_months_end_with_the_month_named_and_cross_the_year_oldest_first()
    {
        var months = Trends.MonthsEnding(new CalendarMonth(2026, 2));
        Assert.Equal(12, months.Count);
        Assert.Equal(["2025-03", "2025-04", "2025-12", "2026-01", "2026-02"], new[] { months[0], months[1], months[9], months[10], months[11] }.Select(m => m.ToString()));
    }

    [Theory]
    [InlineData("2026-11", true, 2026, 11)]
    [InlineData("1999-01", true, 1999, 1)]
    [InlineData("2026-13", false, 0, 0)]
    [InlineData("2026-1", false, 0, 0)]
    [InlineData("2026-11-01", false, 0, 0)]
    [InlineData("11/2026", false, 0, 0)]
    [InlineData("0201-01", false, 0, 0)]
    [InlineData("", false, 0, 0)]
    [InlineData(null, false, 0, 0)]
    public void A_month_reads_only_as_yyyy_MM(string? text, bool ok, int year, int month)
    {
        Assert.Equal(ok, CalendarMonth.TryParse(text, out var parsed));
        if (ok)
        {
            Assert.Equal(new CalendarMonth(year, month), parsed);
        }
    }

    [Fact]
    public void A_month_knows_its_last_day_in_a_leap_year()
    {
        Assert.Equal((new DateOnly(2028, 2, 29), 29), (new CalendarMonth(2028, 2).Last, new CalendarMonth(2028, 2).Days));
        Assert.Equal((new DateOnly(2026, 2, 28), 28), (new CalendarMonth(2026, 2).Last, new CalendarMonth(2026, 2).Days));
    }

    [Fact]
    public void Sums_fall_in_their_month_with_the_first_and_last_days_inside_and_the_days_either_side_left_out()
    {
        var months = Trends.MonthsEnding(November, 2);
        var sums = Trends.SumByMonth(months, [
            (new DateOnly(2026, 9, 30), 1000),
            (new DateOnly(2026, 10, 1), 5),
            (new DateOnly(2026, 10, 31), 7),
            (new DateOnly(2026, 11, 1), 11),
            (new DateOnly(2026, 11, 30), -2),
            (new DateOnly(2026, 12, 1), 1000),
        ]);
        Assert.Equal([12L, 9L], sums);
    }

    [Theory]
    [InlineData(150_000, 300_000, 30, 15L)]   // half a month's billing owed: 15 days
    [InlineData(100_000, 300_000, 31, 10L)]   // 10.33 rounds down
    [InlineData(50_000, 200_000, 30, 8L)]     // 7.5 rounds half away from zero
    [InlineData(-30_000, 300_000, 30, -3L)]   // credits on the books: negative days
    [InlineData(0, 300_000, 30, 0L)]
    public void Days_sales_outstanding_is_receivables_over_billing_times_the_days(long receivables, long billed, int days, long expected)
    {
        Assert.Equal(expected, Trends.DaysSalesOutstanding(Money.FromCents(receivables), Money.FromCents(billed), days));
    }

    [Fact]
    public void Days_sales_outstanding_has_no_figure_for_a_month_with_nothing_billed_or_a_net_credit()
    {
        Assert.Null(Trends.DaysSalesOutstanding(Money.FromCents(50_000), Money.Zero, 30));
        Assert.Null(Trends.DaysSalesOutstanding(Money.FromCents(50_000), Money.FromCents(-100), 30));
    }

    [Fact]
    public void Aging_at_month_ends_ages_each_charge_as_its_month_end_saw_it_and_counts_a_payment_only_from_its_posting()
    {
        var months = Trends.MonthsEnding(November, 3); // September, October, November
        HistoricItem[] items =
        [
            new(1, 7, new DateOnly(2026, 9, 5), new DateOnly(2026, 9, 25), Money.FromCents(100_00)),   // a bill due 25 September
            new(2, 7, new DateOnly(2026, 10, 5), new DateOnly(2026, 10, 25), Money.FromCents(40_00)),  // the next, due 25 October
            new(3, 7, new DateOnly(2026, 11, 3), new DateOnly(2026, 11, 3), Money.FromCents(-100_00)), // a payment in November
        ];
        HistoricAllocation[] allocations = [new(1, 3, Money.FromCents(100_00))];

        var aging = Trends.AgingAtMonthEnds(months, items, allocations);

        Assert.Equal(PastDueBuckets.Empty with { Days1To30 = Money.FromCents(100_00) }, aging[0]);                                // 5 days past due at 30 September
        Assert.Equal(PastDueBuckets.Empty with { Days1To30 = Money.FromCents(40_00), Days31To60 = Money.FromCents(100_00) }, aging[1]); // 6 and 36 days
        Assert.Equal(PastDueBuckets.Empty with { Days31To60 = Money.FromCents(40_00) }, aging[2]);                                // the first paid; the second 36 days
    }

    [Fact]
    public void The_csv_has_a_header_and_a_row_per_month_with_dollars_and_a_blank_for_no_figure()
    {
        var months = Trends.MonthsEnding(November, 2);
        var money = new TrendChart("billed-collected", "Billed and collected", TrendUnit.Money, months,
            [new("Billed", [123_456_78, 0]), new("Collected, net", [-5, 1_00])]);
        Assert.Equal("month,Billed,\"Collected, net\"\r\n2026-10,123456.78,-0.05\r\n2026-11,0.00,1.00\r\n", money.ToCsv());

        var days = new TrendChart("dso", "Days sales outstanding", TrendUnit.Days, months, [new("Days sales outstanding", [null, 31])]);
        Assert.Equal("month,Days sales outstanding\r\n2026-10,\r\n2026-11,31\r\n", days.ToCsv());
    }
}
