using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Common;
using OpenCIS.Core.Invoices;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Tests.Core.Invoices;

/// <summary>
/// The EMS rules: what a payer's remittance may do to an invoice (Medicaid's payment in full), what a waiver may waive and
/// who may approve it, and which statement of the 30/60/90 cycle is due on a day.
/// </summary>
public sealed class EmsRulesTests
{
    private static Money Dollars(decimal amount) => Money.FromCents((long)(amount * 100m));

    [Fact]
    public void A_remittance_pays_and_adjusts_at_most_what_is_open_and_medicaid_leaves_the_patient_nothing()
    {
        var medicare = InsuranceRemittances.Decide(PayerKind.Medicare, Dollars(1_286.90m), Dollars(412.18m), Dollars(774.78m));
        Assert.Equal((412.18m, 774.78m, 99.94m), (medicare.Paid.Dollars, medicare.ContractualAdjustment.Dollars, medicare.PatientResponsibility.Dollars));
        var denial = InsuranceRemittances.Decide(PayerKind.Insurance, Dollars(500m), Money.Zero, Dollars(120m));
        Assert.Equal(380m, denial.PatientResponsibility.Dollars);
        var medicaid = InsuranceRemittances.Decide(PayerKind.Medicaid, Dollars(825m), Dollars(310.50m), null);
        Assert.Equal((514.50m, 0m), (medicaid.ContractualAdjustment.Dollars, medicaid.PatientResponsibility.Dollars));

        Assert.Equal("contractualAdjustment", Assert.Throws<DomainException>(() => InsuranceRemittances.Decide(PayerKind.Medicaid, Dollars(825m), Dollars(310.50m), Dollars(100m))).Field);
        Assert.Equal("paid", Assert.Throws<DomainException>(() => InsuranceRemittances.Decide(PayerKind.Insurance, Dollars(100m), Dollars(100.01m), null)).Field);
        Assert.Equal("contractualAdjustment", Assert.Throws<DomainException>(() => InsuranceRemittances.Decide(PayerKind.Insurance, Dollars(100m), Dollars(60m), Dollars(40.01m))).Field);
        Assert.Equal("paid", Assert.Throws<DomainException>(() => InsuranceRemittances.Decide(PayerKind.Insurance, Dollars(100m), Money.Zero, null)).Field);
        Assert.Equal("paid", Assert.Throws<DomainException>(() => InsuranceRemittances.Decide(PayerKind.Insurance, Dollars(100m), Dollars(-1m), null)).Field);
        Assert.Equal("invoiceNumber", Assert.Throws<DomainException>(() => InsuranceRemittances.Decide(PayerKind.Medicare, Money.Zero, Dollars(1m), null)).Field);
    }

    [Fact]
    public void Paid_adjusted_and_left_always_add_up_to_what_was_open_and_the_adjustment_posts_balanced()
    {
        var cents = Gen.Choose(1, 500_000);
        var cases = Gen.Zip(Gen.Zip(cents, Gen.Choose(0, 100)), Gen.Zip(Gen.Choose(0, 100), Gen.Elements(PayerKind.Insurance, PayerKind.Medicare, PayerKind.Medicaid)));
        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (openCents, paidShare, adjustShare, payer) = (c.Item1.Item1, c.Item1.Item2, c.Item2.Item1, c.Item2.Item2);
            var open = Money.FromCents(openCents);
            var paid = Money.FromCents(openCents * (long)paidShare / 100);
            var adjustment = Money.FromCents((openCents - paid.Cents) * adjustShare / 100);
            if (paid.IsZero && adjustment.IsZero)
            {
                return true;
            }

            var decision = InsuranceRemittances.Decide(payer, open, paid, payer == PayerKind.Medicaid ? null : adjustment);
            var sums = decision.Paid + decision.ContractualAdjustment + decision.PatientResponsibility == open && !decision.PatientResponsibility.IsNegative;
            var posting = decision.ContractualAdjustment.IsPositive ? PostingRules.ForContractualAdjustment(decision.ContractualAdjustment, "4815") : null;
            return sums
                && (payer != PayerKind.Medicaid || decision.PatientResponsibility.IsZero)
                && (posting is null || (posting.Lines.Sum(l => l.Debit.Cents) == posting.Lines.Sum(l => l.Credit.Cents) && posting.AmountOnAccount == -decision.ContractualAdjustment));
        });
        Check.One(OpenCIS.Tests.Properties.Generators.Config, property);
    }

    [Fact]
    public void A_waiver_needs_a_reason_waives_at_most_what_is_open_and_is_approved_by_someone_else()
    {
        Assert.Equal(99.94m, HardshipWaivers.Requested(Dollars(99.94m), null, "Income below guideline").Dollars);
        Assert.Equal(40m, HardshipWaivers.Requested(Dollars(99.94m), Dollars(40m), "Part of it").Dollars);
        Assert.Equal("reason", Assert.Throws<DomainException>(() => HardshipWaivers.Requested(Dollars(10m), null, "  ")).Field);
        Assert.Equal("amount", Assert.Throws<DomainException>(() => HardshipWaivers.Requested(Dollars(10m), Dollars(10.01m), "Too much")).Field);
        Assert.Equal("amount", Assert.Throws<DomainException>(() => HardshipWaivers.Requested(Dollars(10m), Money.Zero, "Nothing")).Field);
        Assert.Equal("invoiceNumber", Assert.Throws<DomainException>(() => HardshipWaivers.Requested(Money.Zero, null, "Paid already")).Field);

        Assert.Equal(30m, HardshipWaivers.ToPost(Dollars(40m), Dollars(30m), "clerk", "supervisor").Dollars);
        Assert.Equal(40m, HardshipWaivers.ToPost(Dollars(40m), Dollars(99m), "clerk", "supervisor").Dollars);
        Assert.Equal("decision", Assert.Throws<DomainException>(() => HardshipWaivers.ToPost(Dollars(40m), Dollars(40m), "Clerk", "clerk")).Field);
        Assert.Equal("decision", Assert.Throws<DomainException>(() => HardshipWaivers.ToPost(Dollars(40m), Money.Zero, "clerk", "supervisor")).Field);
    }

    [Fact]
    public void Statements_come_at_each_cycle_up_to_the_final_notice_and_a_missed_one_is_not_sent_beside_a_newer()
    {
        var issued = new DateOnly(2026, 8, 1);
        Assert.Null(InvoiceStatementCycle.Due(issued, 30, issued.AddDays(29), 0));
        Assert.Equal(1, InvoiceStatementCycle.Due(issued, 30, issued.AddDays(30), 0));
        Assert.Null(InvoiceStatementCycle.Due(issued, 30, issued.AddDays(45), 1));
        Assert.Equal(2, InvoiceStatementCycle.Due(issued, 30, issued.AddDays(60), 1));
        Assert.Equal(3, InvoiceStatementCycle.Due(issued, 30, issued.AddDays(90), 2));
        Assert.Null(InvoiceStatementCycle.Due(issued, 30, issued.AddDays(400), 3));
        // Not run for two months: only the statement due now goes, never the two missed beside it.
        Assert.Equal(3, InvoiceStatementCycle.Due(issued, 30, issued.AddDays(95), 0));
        Assert.Equal("FINAL NOTICE", InvoiceStatementCycle.Heading(3));
        Assert.Contains("90 days", InvoiceStatementCycle.Message(3, 30), StringComparison.Ordinal);

        // Walking every day sends each of the three once, in order, whatever the cycle.
        var walk = Prop.ForAll(Gen.Choose(7, 60).ToArbitrary(), every =>
        {
            var sent = new List<int>();
            for (var day = 0; day < every * 5; day++)
            {
                if (InvoiceStatementCycle.Due(issued, every, issued.AddDays(day), sent.Count == 0 ? 0 : sent[^1]) is { } due)
                {
                    sent.Add(due);
                }
            }

            return sent.SequenceEqual([1, 2, 3]);
        });
        Check.One(OpenCIS.Tests.Properties.Generators.Config, walk);
    }

    [Fact]
    public void A_debt_is_collectible_for_the_statutes_years_from_its_due_date_or_its_last_payment()
    {
        var due = new DateOnly(2026, 9, 13);
        Assert.Equal(new DateOnly(2032, 9, 13), OpenCIS.Core.Receivables.StatuteOfLimitations.Until(due, null, 6));
        Assert.Equal(new DateOnly(2032, 9, 13), OpenCIS.Core.Receivables.StatuteOfLimitations.Until(due, new DateOnly(2026, 8, 1), 6));
        Assert.Equal(new DateOnly(2037, 1, 5), OpenCIS.Core.Receivables.StatuteOfLimitations.Until(due, new DateOnly(2027, 1, 5), 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => OpenCIS.Core.Receivables.StatuteOfLimitations.Until(due, null, 0));
    }
}
