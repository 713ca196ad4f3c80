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
