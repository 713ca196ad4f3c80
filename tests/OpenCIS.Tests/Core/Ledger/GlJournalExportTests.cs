using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Tests.Core.Ledger;

public sealed class GlJournalExportTests
{
    private static readonly DateOnly Day = new(2026, 6, 3);

    [Theory]
    [InlineData(GlAccounts.WaterSales, Fund.Water)]
    [InlineData(GlAccounts.SewerCharges, Fund.Sewer)]
    [InlineData(GlAccounts.SolidWasteCharges, Fund.SolidWaste)]
    [InlineData(GlAccounts.StormwaterCharges, Fund.General)]
    [InlineData(GlAccounts.ElectricSales, Fund.General)]
    [InlineData(GlAccounts.Cash, Fund.General)]
    [InlineData(GlAccounts.AccountsReceivable, Fund.General)]
    [InlineData(GlAccounts.BillingAdjustments, Fund.General)]
    [InlineData(GlAccounts.ReturnedPaymentFees, Fund.General)]
    public void Each_gl_account_belongs_to_one_fund(string glAccount, Fund fund) =>
        Assert.Equal(fund, GlAccounts.FundFor(glAccount));

    [Fact]
    public void A_water_and_sewer_bill_is_balanced_per_fund_with_due_to_and_due_from_lines()
    {
        GlPosting[] bill =
        [
            new(Day, GlAccounts.AccountsReceivable, Money.FromCents(10_000), Money.Zero),
            new(Day, GlAccounts.WaterSales, Money.Zero, Money.FromCents(6_000)),
            new(Day, GlAccounts.SewerCharges, Money.Zero, Money.FromCents(4_000)),
        ];

        var lines = GlJournalExport.Summarize(bill);

        Assert.Equal<GlJournalLine[]>(
            [
                new GlJournalLine(Day, Fund.General, GlAccounts.AccountsReceivable, Money.FromCents(10_000), Money.Zero),
                new GlJournalLine(Day, Fund.General, GlAccounts.DueToFromOtherFunds, Money.Zero, Money.FromCents(10_000)),
                new GlJournalLine(Day, Fund.Water, GlAccounts.WaterSales, Money.Zero, Money.FromCents(6_000)),
                new GlJournalLine(Day, Fund.Water, GlAccounts.DueToFromOtherFunds, Money.FromCents(6_000), Money.Zero),
                new GlJournalLine(Day, Fund.Sewer, GlAccounts.SewerCharges, Money.Zero, Money.FromCents(4_000)),
                new GlJournalLine(Day, Fund.Sewer, GlAccounts.DueToFromOtherFunds, Money.FromCents(4_000), Money.Zero),
            ],
            lines.ToArray());
    }

    [Fact]
    public void The_fixed_width_record_is_76_characters_in_the_documented_columns()
    {
        var text = GlJournalExport.ToFixedWidth([new GlJournalLine(Day, Fund.Water, GlAccounts.WaterSales, Money.Zero, Money.FromCents(123_456))]);

        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        var record = text[..^2];
        Assert.Equal(76, record.Length);
        Assert.Equal("20260603", record[..8]);
        Assert.Equal("40", record[8..10]);
        Assert.Equal("4100  ", record[10..16]);
        Assert.Equal(new string('0', 15), record[16..31]);
        Assert.Equal("000000000123456", record[31..46]);
        Assert.Equal("Water sales".PadRight(30), record[46..76]);
    }

    [Fact]
    public void The_csv_has_a_header_and_amounts_in_dollars_and_quotes_names_with_commas()
    {
        var csv = GlJournalExport.ToCsv([new GlJournalLine(Day, Fund.General, GlAccounts.Cash, Money.FromCents(1_005), Money.Zero)]);

        Assert.Equal("date,fund,gl_account,description,debit,credit\r\n2026-06-03,10,1010,Cash - pooled utility receipts,10.05,0.00\r\n", csv);
        Assert.Equal("\"a,b\"", Csv.Field("a,b"));
    }

    [Fact]
    public void A_period_that_ends_before_it_starts_is_refused() =>
        Assert.Throws<DomainException>(() => PeriodTrialBalance.Compute(Day, Day.AddDays(-1), [], [], Money.Zero));
}

public sealed class PastDueAgingTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 22);

    [Theory]
    [InlineData(-5, 0)]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(30, 1)]
    [InlineData(31, 2)]
    [InlineData(60, 2)]
    [InlineData(61, 3)]
    [InlineData(90, 3)]
    [InlineData(91, 4)]
    [InlineData(400, 4)]
    public void An_amount_falls_in_its_bucket_by_days_past_the_due_date(int daysPastDue, int bucket)
    {
        var buckets = PastDueBuckets.Of([new PastDueItem(AsOf.AddDays(-daysPastDue), Money.FromCents(700))], AsOf);

        var cents = new[] { buckets.Current, buckets.Days1To30, buckets.Days31To60, buckets.Days61To90, buckets.Over90 }.Select(m => m.Cents).ToArray();
        Assert.Equal(700, cents[bucket]);
        Assert.Equal(700, cents.Sum());
    }

    [Fact]
    public void A_credit_is_current_however_old()
    {
        var buckets = PastDueBuckets.Of([new PastDueItem(AsOf.AddDays(-200), Money.FromCents(-500)), new PastDueItem(AsOf.AddDays(-45), Money.FromCents(900))], AsOf);

        Assert.Equal(new PastDueBuckets(Money.FromCents(-500), Money.Zero, Money.FromCents(900), Money.Zero, Money.Zero), buckets);
    }

    [Fact]
    public void A_payment_posted_after_the_date_does_not_settle_what_was_open_on_it()
    {
        HistoricItem bill = new(1, 7, new(2026, 9, 1), new(2026, 9, 21), Money.FromCents(5_000));
        HistoricItem payment = new(2, 7, new(2026, 10, 15), new(2026, 10, 15), Money.FromCents(-5_000));
        HistoricAllocation paid = new(1, 2, Money.FromCents(5_000));

        var before = OpenItemHistory.OpenOn([bill, payment], [paid], new(2026, 10, 14)).ToList();
        var after = OpenItemHistory.OpenOn([bill, payment], [paid], new(2026, 10, 15)).ToList();

        Assert.Equal([(7L, new PastDueItem(new(2026, 9, 21), Money.FromCents(5_000)))], before);
        Assert.Empty(after);
    }

    [Fact]
    public void Rewinding_todays_open_amounts_gives_what_the_full_history_gives()
    {
        // A bill half paid before the date, the rest paid after it, and a credit used by a bill posted after the date.
        HistoricItem bill = new(1, 7, new(2026, 9, 1), new(2026, 9, 21), Money.FromCents(8_000));
        HistoricItem early = new(2, 7, new(2026, 9, 10), new(2026, 9, 10), Money.FromCents(-3_000));
        HistoricItem late = new(3, 7, new(2026, 10, 20), new(2026, 10, 20), Money.FromCents(-5_000));
        HistoricItem credit = new(4, 8, new(2026, 9, 5), new(2026, 9, 5), Money.FromCents(-1_000));
        HistoricItem nextBill = new(5, 8, new(2026, 10, 1), new(2026, 10, 21), Money.FromCents(4_000));
        HistoricAllocation[] allocations = [new(1, 2, Money.FromCents(3_000)), new(1, 3, Money.FromCents(5_000)), new(5, 4, Money.FromCents(1_000))];
        DateOnly asOf = new(2026, 9, 30);

        var full = OpenItemHistory.OpenOn([bill, early, late, credit, nextBill], allocations, asOf).OrderBy(x => x.AccountId).ToList();
        var rewound = OpenItemRewind.OpenOn(
            [], // items 1 and 4, posted by the date, are settled today; item 5 (open) was posted after it

            [new LaterAllocation(1, 7, new(2026, 9, 21), Money.FromCents(5_000)), new LaterAllocation(4, 8, new(2026, 9, 5), Money.FromCents(-1_000))])
            .OrderBy(x => x.AccountId).ToList();

        Assert.Equal([(7L, new PastDueItem(new(2026, 9, 21), Money.FromCents(5_000))), (8L, new PastDueItem(new(2026, 9, 5), Money.FromCents(-1_000)))], full);
        Assert.Equal(full, rewound);
    }
}

