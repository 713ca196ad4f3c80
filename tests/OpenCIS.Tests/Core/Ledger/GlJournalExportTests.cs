using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Tests.Core.Ledger;

public sealed class GlJournalExportTests
{
    private static readonly DateOnly Day = new(2026, 6, 3);

    private static readonly ChartOfAccounts Chart = ChartOfAccounts.Default;

    [Theory]
    [InlineData(GlAccounts.WaterSales, "40")]
    [InlineData(GlAccounts.SewerCharges, "41")]
    [InlineData(GlAccounts.SolidWasteCharges, "42")]
    [InlineData(GlAccounts.StormwaterCharges, "10")]
    [InlineData(GlAccounts.ElectricSales, "10")]
    [InlineData(GlAccounts.GasSales, "10")]
    [InlineData(GlAccounts.GasLateCharges, "10")]
    [InlineData(GlAccounts.Cash, "10")]
    [InlineData(GlAccounts.AccountsReceivable, "10")]
    [InlineData(GlAccounts.BillingAdjustments, "10")]
    [InlineData(GlAccounts.ReturnedPaymentFees, "10")]
    [InlineData(GlAccounts.CustomerDeposits, "10")]
    public void The_demo_chart_puts_each_gl_account_in_one_fund(string glAccount, string fund) =>
        Assert.Equal(fund, Chart.FundOf(glAccount));

    [Fact]
    public void A_chart_without_an_account_the_posting_rules_use_is_refused()
    {
        var error = Assert.Throws<DomainException>(() => ChartOfAccounts.Create(Chart.Accounts.Where(a => a.Code != GlAccounts.CustomerDeposits)));

        Assert.Contains(GlAccounts.CustomerDeposits, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("41a0", "Sewer", "41", "Sewer utility", "4110", "code")]
    [InlineData("4150", "", "41", "Sewer utility", "4110", "name")]
    [InlineData("4150", "Sewer impact fees", "4", "Sewer utility", "4110", "fundCode")]
    [InlineData("4150", "Sewer impact fees", "41", "Sewer utility", "411", "department")]
    public void An_account_with_a_bad_field_is_refused_naming_the_field(string code, string name, string fund, string fundName, string department, string field)
    {
        var error = Assert.Throws<DomainException>(() => Chart.With(new GlAccountDefinition(code, name, fund, fundName, department)));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Moving_an_account_to_another_fund_moves_its_export_lines_and_keeps_every_fund_balanced()
    {
        var chart = Chart.With(Chart[GlAccounts.StormwaterCharges] with { FundCode = "43", FundName = "Stormwater utility", Department = "4310" });
        GlPosting[] bill =
        [
            new(Day, GlAccounts.AccountsReceivable, Money.FromCents(2_500), Money.Zero),
            new(Day, GlAccounts.StormwaterCharges, Money.Zero, Money.FromCents(2_500)),
        ];

        var lines = GlJournalExport.Summarize(bill, chart);

        Assert.Contains(new GlJournalLine(Day, "43", "4310", GlAccounts.StormwaterCharges, "Stormwater charges", Money.Zero, Money.FromCents(2_500)), lines);
        Assert.All(GlJournalExport.NetByFund(lines).Values, net => Assert.True(net.IsZero));
        Assert.Equal([("10", "General"), ("40", "Water utility"), ("41", "Sewer utility"), ("42", "Solid waste"), ("43", "Stormwater utility")], chart.Funds);
    }

    [Fact]
    public void Renaming_a_fund_on_one_account_renames_it_on_all()
    {
        var chart = Chart.With(Chart[GlAccounts.Cash] with { FundName = "General fund" });

        Assert.All(chart.Accounts.Where(a => a.FundCode == "10"), a => Assert.Equal("General fund", a.FundName));
    }

    [Fact]
    public void A_water_and_sewer_bill_is_balanced_per_fund_with_due_to_and_due_from_lines()
    {
        GlPosting[] bill =
        [
            new(Day, GlAccounts.AccountsReceivable, Money.FromCents(10_000), Money.Zero),
            new(Day, GlAccounts.WaterSales, Money.Zero, Money.FromCents(6_000)),
            new(Day, GlAccounts.SewerCharges, Money.Zero, Money.FromCents(4_000)),
        ];

        var lines = GlJournalExport.Summarize(bill, Chart);

        Assert.Equal<GlJournalLine[]>(
            [
                new GlJournalLine(Day, "10", "1510", GlAccounts.AccountsReceivable, "Accounts receivable - utility customers", Money.FromCents(10_000), Money.Zero),
                new GlJournalLine(Day, "10", "1510", GlAccounts.DueToFromOtherFunds, "Due to/from other funds", Money.Zero, Money.FromCents(10_000)),
                new GlJournalLine(Day, "40", "4010", GlAccounts.WaterSales, "Water sales", Money.Zero, Money.FromCents(6_000)),
                new GlJournalLine(Day, "40", "1510", GlAccounts.DueToFromOtherFunds, "Due to/from other funds", Money.FromCents(6_000), Money.Zero),
                new GlJournalLine(Day, "41", "4110", GlAccounts.SewerCharges, "Sewer charges", Money.Zero, Money.FromCents(4_000)),
                new GlJournalLine(Day, "41", "1510", GlAccounts.DueToFromOtherFunds, "Due to/from other funds", Money.FromCents(4_000), Money.Zero),
            ],
            lines.ToArray());
    }

    [Fact]
    public void The_fixed_width_record_is_80_characters_in_the_documented_columns()
    {
        var text = GlJournalExport.ToFixedWidth([new GlJournalLine(Day, "40", "4010", GlAccounts.WaterSales, "Water sales", Money.Zero, Money.FromCents(123_456))]);

        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        var record = text[..^2];
        Assert.Equal(80, record.Length);
        Assert.Equal("20260603", record[..8]);
        Assert.Equal("40", record[8..10]);
        Assert.Equal("4010", record[10..14]);
        Assert.Equal("4100  ", record[14..20]);
        Assert.Equal(new string('0', 15), record[20..35]);
        Assert.Equal("000000000123456", record[35..50]);
        Assert.Equal("Water sales".PadRight(30), record[50..80]);
    }

    [Fact]
    public void The_csv_has_a_header_and_amounts_in_dollars_and_quotes_names_with_commas()
    {
        var csv = GlJournalExport.ToCsv([new GlJournalLine(Day, "10", "1510", GlAccounts.Cash, "Cash, pooled", Money.FromCents(1_005), Money.Zero)]);

        Assert.Equal("date,fund,department,gl_account,description,debit,credit\r\n2026-06-03,10,1510,1010,\"Cash, pooled\",10.05,0.00\r\n", csv);
        Assert.Equal("\"a,b\"", Csv.Field("a,b"));
    }

    [Fact]
    public void A_period_that_ends_before_it_starts_is_refused() =>
        Assert.Throws<DomainException>(() => PeriodTrialBalance.Compute(Day, Day.AddDays(-1), [], [], Money.Zero, Chart));
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

