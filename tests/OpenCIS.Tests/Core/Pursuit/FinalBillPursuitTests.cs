using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Pursuit;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Demo;

namespace OpenCIS.Tests.Core.Pursuit;

public sealed class FinalBillPursuitTests
{
    private static readonly DateOnly Today = new(2026, 11, 20);

    private static readonly PursuitRules Rules = new(
        new PursuitTransfer(10, ["residential", "commercial"]),
        new PursuitReferral("RCSA", 60, Money.FromCents(2_500_00), 0, null),
        new PursuitReferral("CRS", 30, Money.FromCents(25_00), 30, 120),
        180);

    private static PursuitAccount Account(int days, long cents, string accountClass = "residential", DateOnly? paidOn = null, string? active = null,
        PursuitOpenReferral? open = null, bool referred = false, string? protection = null) =>
        new(accountClass, days, Money.FromCents(cents), paidOn, active, open, referred || open is not null, protection);

    [Fact]
    public void A_residential_balance_moves_to_the_customers_active_account_but_an_industrial_one_is_referred()
    {
        var transfer = FinalBillPursuit.Decide(Rules, Account(10, 80_00, active: "100200"), Today);
        Assert.Equal((PursuitActionKind.Transfer, "100200"), (transfer.Kind, transfer.ToAccountNumber));
        Assert.Equal(PursuitActionKind.None, FinalBillPursuit.Decide(Rules, Account(9, 80_00, active: "100200"), Today).Kind);
        Assert.Equal(PursuitActionKind.ReferAgency, FinalBillPursuit.Decide(Rules, Account(30, 80_00, "industrial", active: "100200"), Today).Kind);
    }

    [Fact]
    public void A_large_balance_goes_to_legal_a_smaller_one_to_the_agency_once_quiet_and_a_tiny_one_waits_for_the_write_off()
    {
        Assert.Equal(("RCSA", PursuitActionKind.ReferLegal), Pick(FinalBillPursuit.Decide(Rules, Account(60, 2_500_00), Today)));
        // Large, but not old enough for legal: it waits for legal, not the agency that would take it at 30 days.
        Assert.Equal((null, PursuitActionKind.None), Pick(FinalBillPursuit.Decide(Rules, Account(45, 2_500_00), Today)));
        Assert.Contains("referral to RCSA waits", FinalBillPursuit.Decide(Rules, Account(59, 2_600_00), Today).Reason, StringComparison.Ordinal);
        Assert.Equal(("CRS", PursuitActionKind.ReferAgency), Pick(FinalBillPursuit.Decide(Rules, Account(30, 25_00, paidOn: Today.AddDays(-30)), Today)));
        var paidLately = FinalBillPursuit.Decide(Rules, Account(200, 25_00, paidOn: Today.AddDays(-29)), Today);
        Assert.Equal(PursuitActionKind.None, paidLately.Kind);
        Assert.Contains("referral to CRS waits", paidLately.Reason, StringComparison.Ordinal);
        Assert.Equal(PursuitActionKind.None, FinalBillPursuit.Decide(Rules, Account(179, 24_99), Today).Kind);
        Assert.Equal(PursuitActionKind.ReadyToWriteOff, FinalBillPursuit.Decide(Rules, Account(180, 24_99), Today).Kind);
    }

    [Fact]
    public void An_agency_referral_is_recalled_after_its_period_and_then_the_balance_is_ready_to_write_off()
    {
        var open = new PursuitOpenReferral(7, "CRS", ReferralKind.Agency, Today.AddDays(-119));
        Assert.Equal(PursuitActionKind.None, FinalBillPursuit.Decide(Rules, Account(200, 200_00, open: open), Today).Kind);
        var recall = FinalBillPursuit.Decide(Rules, Account(200, 200_00, open: open with { ReferredOn = Today.AddDays(-120) }), Today);
        Assert.Equal((PursuitActionKind.Recall, 7L), (recall.Kind, recall.ReferralId));
        // Legal is never recalled by the clock; a recalled account is not referred again, and waits for the write-off age.
        Assert.Equal(PursuitActionKind.None, FinalBillPursuit.Decide(Rules, Account(400, 3_000_00, open: new PursuitOpenReferral(8, "RCSA", ReferralKind.Legal, Today.AddDays(-300))), Today).Kind);
        Assert.Equal(PursuitActionKind.None, FinalBillPursuit.Decide(Rules, Account(150, 200_00, referred: true), Today).Kind);
        Assert.Equal(PursuitActionKind.ReadyToWriteOff, FinalBillPursuit.Decide(Rules, Account(180, 200_00, referred: true), Today).Kind);
    }

    [Fact]
    public void A_paid_referral_closes_and_a_protection_holds_every_step()
    {
        var open = new PursuitOpenReferral(7, "CRS", ReferralKind.Agency, Today.AddDays(-10));
        Assert.Equal(PursuitActionKind.CloseReferralPaid, FinalBillPursuit.Decide(Rules, Account(0, 0, open: open), Today).Kind);
        Assert.Equal(PursuitActionKind.None, FinalBillPursuit.Decide(Rules, Account(0, -5_00), Today).Kind);
        var stayed = FinalBillPursuit.Decide(Rules, Account(300, 200_00, active: "100200", protection: "bankruptcy stay: Chapter 7 case 26-bk-1"), Today);
        Assert.Equal(PursuitActionKind.None, stayed.Kind);
        Assert.Contains("bankruptcy stay", stayed.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(55_00, 2500, 13_75)]
    [InlineData(10_01, 2500, 2_50)]
    [InlineData(10_02, 2500, 2_51)]
    [InlineData(99_99, 0, 0)]
    [InlineData(12_34, 10_000, 12_34)]
    public void The_commission_is_the_contract_percent_rounded_half_away_from_zero(long collected, int basisPoints, long commission)
    {
        Assert.Equal(commission, FinalBillPursuit.Commission(Money.FromCents(collected), basisPoints).Cents);
        Assert.Equal(collected - commission, FinalBillPursuit.Remitted(Money.FromCents(collected), Money.FromCents(commission), RemittanceBasis.Net).Cents);
        Assert.Equal(collected, FinalBillPursuit.Remitted(Money.FromCents(collected), Money.FromCents(commission), RemittanceBasis.Gross).Cents);
    }

    [Fact]
    public void A_recovery_is_what_a_payment_leaves_after_the_balance_up_to_what_was_written_off_and_its_posting_balances()
    {
        var property = Prop.ForAll(Gen.Choose(1, 100_000).ToArbitrary(), Gen.Choose(-20_000, 50_000).ToArbitrary(), Gen.Choose(0, 80_000).ToArbitrary(), (paid, balance, unrecovered) =>
        {
            var recovered = FinalBillPursuit.Recovered(Money.FromCents(paid), Money.FromCents(balance), Money.FromCents(unrecovered));
            var expected = Math.Clamp(paid - Math.Max(balance, 0), 0, unrecovered);
            var posting = PostingRules.ForPayment(Money.FromCents(paid), recovered);
            return recovered.Cents == expected
                && posting.TotalDebits.Cents == paid
                && posting.AmountOnAccount.Cents == -(paid - expected)
                && posting.Lines.Where(l => l.GlAccount == GlAccounts.AllowanceForUncollectibles).Sum(l => l.Credit.Cents) == expected;
        });

        Check.One(OpenCIS.Tests.Properties.Generators.Config, property);
    }

    [Fact]
    public void The_demo_final_policy_reads_its_pursuit_and_writes_it_back_the_same()
    {
        var policy = CollectionPolicyYaml.Read(DemoCollections.FinalPolicyYaml(), DemoCollections.FinalPolicyFileName);
        var pursuit = policy.Pursuit!;
        Assert.Equal((10, "CRS", 30, 120, "RCSA", 2_500_00L, 180), (pursuit.Transfer!.DaysPastDue, pursuit.Agency!.Agency, pursuit.Agency.DaysPastDue, pursuit.Agency.RecallAfterDays,
            pursuit.Legal!.Agency, pursuit.Legal.MinimumBalance.Cents, pursuit.WriteOffDaysPastDue));
        var again = CollectionPolicyYaml.Read(CollectionPolicyYaml.Write(policy), "written");
        Assert.Equal(CollectionPolicyYaml.Write(policy), CollectionPolicyYaml.Write(again));
        Assert.Equal(pursuit.Agency, again.Pursuit!.Agency);

        var bad = DemoCollections.FinalPolicyYaml().Replace("recall_after_days: 120", "recall_after_days: 0", StringComparison.Ordinal).Replace("agency: RCSA, ", "", StringComparison.Ordinal);
        var errors = Assert.Throws<CollectionFileException>(() => CollectionPolicyYaml.Read(bad, "bad.yaml")).Errors;
        Assert.Contains(errors, e => e.Field == "recall_after_days");
        Assert.Contains(errors, e => e.Field == "agency");
    }

    private static (string?, PursuitActionKind) Pick(PursuitAction action) => (action.Agency, action.Kind);
}
