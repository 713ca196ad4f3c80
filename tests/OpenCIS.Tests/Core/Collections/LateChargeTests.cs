using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using static OpenCIS.Tests.Core.Collections.TestPolicies;

namespace OpenCIS.Tests.Core.Collections;

/// <summary>The late charge forms and their edges: what is charged, and the reason in words when nothing is.</summary>
public sealed class LateChargeTests
{
    private static readonly DateOnly Due = D(2026, 3, 23);

    private static LateChargeDecision Charge(LateChargeRule rule, decimal bill, params (int Day, decimal Amount)[] payments) =>
        Charge(rule, "residential", bill, Money.Zero, D(2026, 3, 24), payments);

    private static LateChargeDecision Charge(LateChargeRule rule, string accountClass, decimal bill, Money earlier, DateOnly on, params (int Day, decimal Amount)[] payments) =>
        LateCharges.ForBill(rule, accountClass, Dollars(bill), Due, payments.Select(p => new LateChargePayment(D(2026, 3, p.Day), Dollars(p.Amount))), earlier, false, on);

    [Fact]
    public void A_percent_of_the_past_due_amount_is_rounded_half_away_from_zero()
    {
        var decision = Charge(TenPercent, 80.25m);
        Assert.Equal(Dollars(8.03m), decision.Amount); // $8.025
        Assert.Equal("10% of $80.25 past due = $8.03", decision.Explanation);
    }

    [Fact]
    public void A_partial_payment_reduces_the_base_and_a_payment_after_the_charge_does_not()
    {
        var decision = Charge(TenPercent, "residential", 200m, Money.Zero, D(2026, 3, 24), (20, 50m), (24, 30m), (25, 100m));
        Assert.Equal(Dollars(12m), decision.Amount);
        Assert.Equal("10% of $120.00 past due = $12.00", decision.Explanation);
    }

    [Fact]
    public void A_bill_paid_in_full_by_its_due_date_is_never_charged_even_by_an_ach_debit_in_a_file()
    {
        var decision = LateCharges.ForBill(TenPercent, "residential", Dollars(80m), Due, [new LateChargePayment(Due, Dollars(80m), AchInFile: true)], Money.Zero, false, D(2026, 4, 30));
        Assert.False(decision.Charged);
        Assert.Equal("paid by the due date (Mar 23, 2026)", decision.Explanation);
    }

    [Fact]
    public void A_balance_under_the_minimum_is_not_charged_and_says_so()
    {
        var rule = TenPercent with { MinimumPastDue = Dollars(20m) };
        var decision = Charge(rule, 12m);
        Assert.Equal(Money.Zero, decision.Amount);
        Assert.Equal("balance $12.00 under the $20.00 minimum", decision.Explanation);
    }

    [Fact]
    public void An_exempt_class_is_not_charged_and_is_named()
    {
        var decision = Charge(TenPercent, "municipal", 500m, Money.Zero, D(2026, 3, 24));
        Assert.Equal("class Municipal is exempt", decision.Explanation);
        Assert.False(decision.Charged);
    }

    [Fact]
    public void Grace_days_delay_the_charge_and_a_payment_within_them_avoids_it()
    {
        var rule = TenPercent with { GraceDays = 5 };
        Assert.Equal(D(2026, 3, 29), LateCharges.AssessedFrom(rule, Due));
        Assert.Contains("within the 5 days of grace", Charge(rule, "residential", 100m, Money.Zero, D(2026, 3, 28)).Explanation, StringComparison.Ordinal);
        Assert.Equal(Dollars(10m), Charge(rule, "residential", 100m, Money.Zero, D(2026, 3, 29)).Amount);
        var paidInGrace = Charge(rule, "residential", 100m, Money.Zero, D(2026, 3, 29), (27, 100m));
        Assert.False(paidInGrace.Charged);
        Assert.Equal("paid in full by Mar 29, 2026, within the grace days", paidInGrace.Explanation);
    }

    [Fact]
    public void Earlier_late_charges_are_in_the_base_only_when_the_rule_says_so()
    {
        Assert.Equal(Dollars(8m), Charge(TenPercent, "residential", 80m, Dollars(8m), D(2026, 3, 24)).Amount);
        var compounding = Charge(TenPercent with { OnEarlierLateCharges = true }, "residential", 80m, Dollars(8m), D(2026, 3, 24));
        Assert.Equal(Dollars(8.80m), compounding.Amount);
        Assert.Equal("10% of $88.00 past due (bill $80.00 + earlier late charges $8.00) = $8.80", compounding.Explanation);
    }

    [Fact]
    public void One_charge_per_bill()
    {
        var decision = LateCharges.ForBill(TenPercent, "residential", Dollars(80m), Due, [], Money.Zero, alreadyCharged: true, D(2026, 4, 30));
        Assert.False(decision.Charged);
        Assert.Equal("already charged: one late charge per bill", decision.Explanation);
    }

    [Theory]
    [InlineData(LateChargeForm.Flat, 30, "5.00", "flat $5.00")]
    [InlineData(LateChargeForm.GreaterOf, 30, "5.00", "greater of 10% of $30.00 past due ($3.00) and $5.00 = $5.00")]
    [InlineData(LateChargeForm.GreaterOf, 80, "8.00", "greater of 10% of $80.00 past due ($8.00) and $5.00 = $8.00")]
    [InlineData(LateChargeForm.LesserOf, 30, "3.00", "lesser of 10% of $30.00 past due ($3.00) and $5.00 = $3.00")]
    [InlineData(LateChargeForm.LesserOf, 80, "5.00", "lesser of 10% of $80.00 past due ($8.00) and $5.00 = $5.00")]
    public void Flat_greater_of_and_lesser_of(LateChargeForm form, int bill, string expected, string explanation)
    {
        var decision = Charge(TenPercent with { Form = form, Flat = Dollars(5m) }, bill);
        Assert.Equal(expected, decision.Amount.ToPlainString());
        Assert.Equal(explanation, decision.Explanation);
    }

    /// <summary>
    /// Tucson Code, penalty fee on monthly charges (Ord. No. 10986, 5-22-12; codelibrary.amlegal.com/codes/tucson/latest/tucson_az/0-0-0-24489):
    /// "ten percent (10%) of the monthly charges but the penalty fee shall not exceed five hundred dollars ($500.00)
    /// and shall not be less than ten dollars ($10.00)".
    /// </summary>
    [Theory]
    [InlineData(60, "10.00", "10% of $60.00 past due = $6.00, raised to the $10.00 minimum")]
    [InlineData(250, "25.00", "10% of $250.00 past due = $25.00")]
    [InlineData(7000, "500.00", "10% of $7,000.00 past due = $700.00, capped at the $500.00 maximum")]
    public void Tucson_ten_percent_with_a_10_dollar_minimum_and_a_500_dollar_maximum(int bill, string expected, string explanation)
    {
        var tucson = new LateChargeRule(LateChargeForm.Percent, 10m, Money.Zero, Dollars(10m), Dollars(500m), Money.FromCents(1), 0, []);
        var decision = Charge(tucson, bill);
        Assert.Equal(expected, decision.Amount.ToPlainString());
        Assert.Equal(explanation, decision.Explanation);
    }

    /// <summary>
    /// City of Key West Code sec. 74-209(2): "the greater of $4.00 or ten percent of the total amount that is the
    /// delinquent outstanding balance unless the outstanding balance is less than $5.00"; government accounts exempt.
    /// </summary>
    [Theory]
    [InlineData("residential", 38_00, "4.00")]
    [InlineData("residential", 120_00, "12.00")]
    [InlineData("residential", 4_99, "0.00")]
    [InlineData("government", 120_00, "0.00")]
    public void Key_West_greater_of_4_dollars_or_ten_percent_none_under_5_dollars_government_exempt(string accountClass, int billCents, string expected)
    {
        var keyWest = new LateChargeRule(LateChargeForm.GreaterOf, 10m, Dollars(4m), null, null, Dollars(5m), 0, ["government"]);
        Assert.Equal(expected, Charge(keyWest, accountClass, billCents / 100m, Money.Zero, D(2026, 3, 24)).Amount.ToPlainString());
    }
}
