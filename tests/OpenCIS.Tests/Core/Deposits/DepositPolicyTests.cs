using System.Collections.Immutable;
using OpenCIS.Core.Common;
using OpenCIS.Core.Deposits;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Tests.Core.Deposits;

public sealed class DepositPolicyTests
{
    private static readonly DepositPolicy Policy = DepositPolicy.Default;

    [Theory]
    [InlineData("Residential", 15000)]
    [InlineData("commercial", 50000)]
    [InlineData("Industrial", 100000)]
    public void A_new_customer_pays_the_class_amount(string accountClass, long cents)
    {
        var decision = Policy.Decide(accountClass, CreditHistory.None);

        Assert.Equal((DepositDecisionKind.Standard, cents), (decision.Kind, decision.Amount.Cents));
    }

    [Fact]
    public void A_class_configured_at_zero_pays_nothing()
    {
        var decision = Policy.Decide("Municipal", CreditHistory.None);

        Assert.Equal((DepositDecisionKind.Waived, 0L), (decision.Kind, decision.Amount.Cents));
    }

    [Theory]
    [InlineData(11, DepositDecisionKind.Standard, 15000)]
    [InlineData(12, DepositDecisionKind.Waived, 0)]
    [InlineData(40, DepositDecisionKind.Waived, 0)]
    public void Twelve_on_time_months_on_another_account_waive_the_deposit(int months, DepositDecisionKind kind, long cents)
    {
        var decision = Policy.Decide("Residential", new CreditHistory(months, 0, 0, null));

        Assert.Equal((kind, cents), (decision.Kind, decision.Amount.Cents));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(0, 1)]
    [InlineData(3, 2)]
    public void A_returned_payment_or_write_off_in_twelve_months_doubles_it_even_with_a_good_history_or_a_letter(int returned, int writeOffs)
    {
        var decision = Policy.Decide("Residential", new CreditHistory(24, returned, writeOffs, "Letter of credit from First Bank"));

        Assert.Equal((DepositDecisionKind.Increased, 30000L), (decision.Kind, decision.Amount.Cents));
        Assert.Contains("returned payment", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_letter_of_credit_waives_it_and_the_reason_is_kept()
    {
        var decision = Policy.Decide("Commercial", new CreditHistory(0, 0, 0, "  Letter of credit from First Bank "));

        Assert.Equal((DepositDecisionKind.Waived, 0L, "Waived: Letter of credit from First Bank"), (decision.Kind, decision.Amount.Cents, decision.Reason));
    }

    [Fact]
    public void An_unconfigured_class_is_refused_by_name()
    {
        var policy = new DepositPolicy(ImmutableDictionary<string, Money>.Empty.Add("Residential", Money.FromCents(100_00)));

        var error = Assert.Throws<DomainException>(() => policy.Decide("Industrial", CreditHistory.None));

        Assert.Contains("Industrial", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(121)]
    public void Refund_months_outside_1_to_120_are_refused(int months)
    {
        var error = Assert.Throws<DomainException>(() => new DepositPolicy(DepositPolicy.Default.RequiredByClass, refundAfterOnTimeMonths: months));

        Assert.Equal("refundAfterOnTimeMonths", error.Field);
    }

    [Fact]
    public void A_deposit_is_refunded_twelve_months_after_it_was_paid_to_the_day()
    {
        var held = new DateOnly(2025, 2, 28);

        Assert.False(Policy.DecideRefund(held, [], new DateOnly(2026, 2, 27)).Eligible);
        var decision = Policy.DecideRefund(held, [], new DateOnly(2026, 2, 28));
        Assert.True(decision.Eligible);
        Assert.Equal(new DateOnly(2026, 2, 28), decision.EligibleOn);
    }

    [Fact]
    public void A_late_payment_starts_the_run_again_the_day_after()
    {
        var held = new DateOnly(2025, 1, 10);
        DateOnly[] late = [new(2025, 6, 15), new(2024, 12, 1), new(2026, 9, 1)];

        var decision = Policy.DecideRefund(held, late, new DateOnly(2026, 6, 15));

        // The late date before the deposit was held and the one after the review date do not count.
        Assert.Equal((false, new DateOnly(2025, 6, 16), new DateOnly(2026, 6, 16)), (decision.Eligible, decision.OnTimeSince, decision.EligibleOn));
        Assert.True(Policy.DecideRefund(held, late, new DateOnly(2026, 6, 16)).Eligible);
    }

    [Theory]
    [InlineData("2025-01-31", "2025-02-27", 0)]
    [InlineData("2025-01-31", "2025-02-28", 1)]
    [InlineData("2025-01-31", "2025-03-31", 2)]
    [InlineData("2025-01-15", "2026-01-15", 12)]
    [InlineData("2025-01-15", "2026-01-14", 11)]
    [InlineData("2026-02-01", "2026-01-14", 0)]
    public void On_time_months_are_whole_months_from_the_start(string start, string asOf, int months)
    {
        Assert.Equal(months, DepositPolicy.OnTimeMonths(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), [], DateOnly.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void On_time_months_start_again_after_a_late_day()
    {
        Assert.Equal(5, DepositPolicy.OnTimeMonths(new DateOnly(2025, 1, 1), [new DateOnly(2025, 7, 31)], new DateOnly(2026, 1, 1)));
    }

    [Theory]
    // 150.00 x 5% x 365 / 365 = 7.50
    [InlineData(15000, 5.0, 365, 750)]
    // 150.00 x 3% x 100 / 365 = 1.2328... -> 1.23
    [InlineData(15000, 3.0, 100, 123)]
    // 100.00 x 1.825% x 1 / 365 = 0.005 exactly -> half away from zero: 0.01
    [InlineData(10000, 1.825, 1, 1)]
    [InlineData(15000, 0.0, 400, 0)]
    [InlineData(15000, 5.0, 0, 0)]
    public void Interest_is_simple_by_days_held_over_365_rounded_half_away_from_zero(long principalCents, double ratePercent, int days, long expectedCents)
    {
        Assert.Equal(expectedCents, DepositInterest.Simple(Money.FromCents(principalCents), (decimal)ratePercent, days).Cents);
    }

    [Fact]
    public void The_policy_counts_interest_days_between_the_dates()
    {
        var policy = new DepositPolicy(DepositPolicy.Default.RequiredByClass, annualInterestRatePercent: 5m);

        // 2024 is a leap year: 366 days, still divided by 365.
        Assert.Equal(752, policy.Interest(Money.FromCents(15000), new DateOnly(2024, 1, 1), new DateOnly(2025, 1, 1)).Cents);
        Assert.Equal(0, policy.Interest(Money.FromCents(15000), new DateOnly(2025, 1, 1), new DateOnly(2024, 1, 1)).Cents);
    }

    [Fact]
    public void The_deposit_charge_debits_receivables_and_credits_deposits_held()
    {
        var posting = DepositPostingRules.ForDepositCharge(Money.FromCents(15000));

        Assert.Equal((FinancialTransactionType.DepositCharge, 15000L), (posting.Type, posting.AmountOnAccount.Cents));
        Assert.Equal([(GlAccounts.AccountsReceivable, 15000L, 0L), (GlAccounts.CustomerDeposits, 0L, 15000L)], posting.Lines.Select(l => (l.GlAccount, l.Debit.Cents, l.Credit.Cents)).ToArray());
    }

    [Fact]
    public void The_application_and_the_interest_credit_the_account()
    {
        var application = DepositPostingRules.ForDepositApplication(Money.FromCents(15000));
        var interest = DepositPostingRules.ForDepositInterest(Money.FromCents(123));

        Assert.Equal((FinancialTransactionType.DepositApplication, -15000L), (application.Type, application.AmountOnAccount.Cents));
        Assert.Equal([(GlAccounts.CustomerDeposits, 15000L, 0L), (GlAccounts.AccountsReceivable, 0L, 15000L)], application.Lines.Select(l => (l.GlAccount, l.Debit.Cents, l.Credit.Cents)).ToArray());
        Assert.Equal([(GlAccounts.DepositInterestExpense, 123L, 0L), (GlAccounts.AccountsReceivable, 0L, 123L)], interest.Lines.Select(l => (l.GlAccount, l.Debit.Cents, l.Credit.Cents)).ToArray());
    }

    [Fact]
    public void Zero_or_negative_deposit_postings_are_refused()
    {
        Assert.Throws<DomainException>(() => DepositPostingRules.ForDepositCharge(Money.Zero));
        Assert.Throws<DomainException>(() => DepositPostingRules.ForDepositApplication(Money.FromCents(-1)));
        Assert.Throws<DomainException>(() => DepositPostingRules.ForDepositInterest(Money.Zero));
        Assert.Throws<DomainException>(() => DepositPostingRules.ApplicableAmount(Money.FromCents(100), Money.FromCents(101)));
    }
}
