using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Rating;
using OpenCIS.Tests.Core.Rating;

namespace OpenCIS.Tests.Core.Billing;

/// <summary>The pure rules of corrections: approval threshold, reason codes, rebill difference, leak allowance, adjustment postings, final-bill proration.</summary>
public sealed class CorrectionRulesTests
{
    private static readonly Money Threshold = Money.FromCents(100_00);

    [Theory]
    [InlineData(-100_00, false)]
    [InlineData(-100_01, true)]
    [InlineData(100_00, false)]
    [InlineData(100_01, true)]
    [InlineData(-1, false)]
    public void Adjustments_above_the_threshold_either_way_need_approval(long cents, bool needsApproval) =>
        Assert.Equal(needsApproval, AdjustmentApproval.NeedsApproval(Money.FromCents(cents), Threshold));

    [Theory]
    [InlineData("COURTESY", 0, "note", "amount")]
    [InlineData("COURTESY", 500, "note", "direction")]
    [InlineData("LEAK", 1, "note", "direction")]
    [InlineData("BILLING-ERROR", 100_000_01, "note", "amount")]
    [InlineData("BILLING-ERROR", -500, " ", "note")]
    public void A_bad_adjustment_request_names_the_field_at_fault(string code, long cents, string note, string field)
    {
        var problem = Assert.Throws<DomainException>(() => AdjustmentApproval.Validate(AdjustmentReasons.Find(code), Money.FromCents(cents), note));
        Assert.Equal(field, problem.Field);
    }

    [Fact]
    public void Debits_are_allowed_for_reasons_that_are_not_credit_only()
    {
        AdjustmentApproval.Validate(AdjustmentReasons.Find("meter-error"), Money.FromCents(2500), "Swapped meters");
        var unknown = Assert.Throws<DomainException>(() => AdjustmentReasons.Find("GOODWILL"));
        Assert.Contains("BILLING-ERROR", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_requester_cannot_decide_their_own_adjustment_whatever_the_case_of_the_name()
    {
        Assert.Throws<DomainException>(() => AdjustmentApproval.CheckDecider("Clerk", "clerk"));
        AdjustmentApproval.CheckDecider("clerk", "supervisor");
    }

    [Fact]
    public void The_rebill_difference_is_new_minus_old_by_service_and_in_total()
    {
        var difference = RebillDifference.Between(
            [(Service.Water, Money.FromCents(4500)), (Service.Sewer, Money.FromCents(6435)), (Service.Trash, Money.FromCents(2150))],
            [(Service.Water, Money.FromCents(2800)), (Service.Sewer, Money.FromCents(4375)), (Service.Stormwater, Money.FromCents(600))]);

        Assert.Equal((13085L, 7775L, -5310L), (difference.OldTotal.Cents, difference.NewTotal.Cents, difference.Difference.Cents));
        Assert.Equal(
            [(Service.Water, 4500L, 2800L), (Service.Sewer, 6435L, 4375L), (Service.Trash, 2150L, 0L), (Service.Stormwater, 0L, 600L)],
            difference.ByService.Select(s => (s.Service, s.Old.Cents, s.New.Cents)).ToArray());
    }

    [Fact]
    public void The_leak_average_uses_only_bills_within_the_lookback_and_needs_enough_of_them()
    {
        var billedOn = new DateOnly(2026, 12, 5);
        UsagePeriod[] history =
        [
            new(new DateOnly(2025, 11, 5), 30, 90_000m), // more than 12 months back: ignored
            new(new DateOnly(2026, 10, 5), 30, 3_000m),
            new(new DateOnly(2026, 11, 5), 31, 3_200m),
            new(new DateOnly(2026, 12, 5), 30, 13_000m), // the leak bill itself: not its own average
        ];

        var (usage, explanation) = LeakAllowance.AverageUsage(history, billedOn, 30, new LeakPolicy(12, 2, 100m));
        // 6,200 gal over 61 days = 101.6 a day x 30 days = 3,049.18 -> 3,049.
        Assert.Equal(3_049m, usage);
        Assert.StartsWith("Average of 2 bills since 2025-12-05", explanation, StringComparison.Ordinal);

        var (none, why) = LeakAllowance.AverageUsage(history, billedOn, 30, new LeakPolicy(12, 3, 100m));
        Assert.Null(none);
        Assert.Contains("the policy needs 3", why, StringComparison.Ordinal);
    }

    [Fact]
    public void The_leak_credit_is_the_policy_share_of_what_the_excess_was_charged_rounded_per_service()
    {
        var charges = new[]
        {
            new ServiceCharges(Service.Water, Money.FromCents(6200), Money.FromCents(2122)),
            new ServiceCharges(Service.Sewer, Money.FromCents(8495), Money.FromCents(3249)),
        };

        var full = LeakAllowance.Calculate(13_000m, 2_813m, "Average", "gal", charges, new LeakPolicy(12, 3, 100m));
        var half = LeakAllowance.Calculate(13_000m, 2_813m, "Average", "gal", charges, new LeakPolicy(12, 3, 50m));

        Assert.Equal((10_187m, 9324L), (full.ExcessUsage, full.Credit.Cents));
        // 40.78 x 50% = 20.39; 52.46 x 50% = 26.23.
        Assert.Equal(2039 + 2623, half.Credit.Cents);
        Assert.Contains("Water: charged $62.00 on the billed usage, $21.22 on the average; $40.78 x 50% = $20.39.", half.Trace);
        Assert.Equal("Leak allowance: credit $46.62.", half.Trace[^1]);
    }

    [Fact]
    public void Use_at_or_below_the_average_gets_no_allowance_and_a_bad_percentage_is_refused()
    {
        var none = LeakAllowance.Calculate(2_000m, 2_813m, "Average", "gal", [new ServiceCharges(Service.Water, Money.FromCents(1870), Money.FromCents(2122))], LeakPolicy.Default);
        Assert.Equal((0m, Money.Zero), (none.ExcessUsage, none.Credit));
        Assert.Throws<DomainException>(() => LeakAllowance.Calculate(1m, 0m, "", "gal", [], new LeakPolicy(12, 3, 120m)));
    }

    [Theory]
    [InlineData(-2500)]
    [InlineData(2500)]
    public void An_adjustment_posting_balances_against_the_adjustments_account(long cents)
    {
        var posting = PostingRules.ForAdjustment(Money.FromCents(cents));
        Assert.Equal((FinancialTransactionType.Adjustment, cents), (posting.Type, posting.AmountOnAccount.Cents));
        Assert.Equal(posting.Lines.Sum(l => l.Debit.Cents), posting.Lines.Sum(l => l.Credit.Cents));
        Assert.Equal(Math.Abs(cents), posting.Lines.Where(l => l.GlAccount == GlAccounts.BillingAdjustments).Sum(l => l.Debit.Cents + l.Credit.Cents));
        Assert.Throws<DomainException>(() => PostingRules.ForAdjustment(Money.Zero));
    }

    [Theory]
    [InlineData(16, 667)] // 12.50 x 16/30 = 6.6667
    [InlineData(1, 42)]   // 12.50 x 1/30 = 0.4167
    [InlineData(27, 1250)] // a month's worth: the whole charge
    public void A_final_bill_prorates_per_bill_charges_by_days_and_leaves_the_rest_as_the_schedule_states(int days, long baseCents)
    {
        var period = new BillingPeriod(new DateOnly(2026, 11, 5), new DateOnly(2026, 11, 5).AddDays(days - 1));
        var final = FinalBillProration.ForFinalBill(TestTariffs.ResidentialWater);
        var lines = RatingEngine.Rate(final, new RatingInput(period, new Quantity(1_000m, Unit.Gallons), "5/8\"", 1), UnitConversion.Default);

        Assert.Equal(baseCents, lines.Single(l => l.Code == "W-RES-BASE").Amount.Cents);
        Assert.Equal(310, lines.Single(l => l.Code.StartsWith("W-RES-USE", StringComparison.Ordinal)).Amount.Cents);
        var trash = RatingEngine.Rate(FinalBillProration.ForFinalBill(TestTariffs.ResidentialTrash), new RatingInput(period, null, null, 1), UnitConversion.Default);
        Assert.Equal(2150, trash.Single().Amount.Cents);
    }
}
