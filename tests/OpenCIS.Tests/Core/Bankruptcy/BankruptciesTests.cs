using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Bankruptcy;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Tests.Core.Bankruptcy;

public sealed class BankruptciesTests
{
    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    [Fact]
    public void A_trustee_payment_pays_the_oldest_part_of_the_claim_first_and_never_more_than_is_owed()
    {
        ClaimPart[] parts =
        [
            new(1, Service.Sewer, D(2026, 8, 20), Money.FromCents(40_00)),
            new(2, Service.Water, D(2026, 7, 20), Money.FromCents(55_25)),
            new(3, null, D(2026, 9, 1), Money.Zero),
        ];
        Assert.Equal([(2L, Money.FromCents(55_25)), (1L, Money.FromCents(4_75))], Bankruptcies.ApplyPayment(parts, Money.FromCents(60_00)).ToArray());
        Assert.Equal("amount", Assert.Throws<DomainException>(() => Bankruptcies.ApplyPayment(parts, Money.FromCents(95_26))).Field);
        Assert.Equal("amount", Assert.Throws<DomainException>(() => Bankruptcies.ApplyPayment(parts, Money.Zero)).Field);
    }

    [Fact]
    public void A_petition_is_entered_on_or_after_its_date_and_charges_posted_by_it_are_pre_petition()
    {
        Bankruptcies.CheckPetitionDate(D(2026, 11, 22), D(2026, 11, 22));
        Assert.Equal("petitionDate", Assert.Throws<DomainException>(() => Bankruptcies.CheckPetitionDate(D(2026, 11, 23), D(2026, 11, 22))).Field);
        Assert.True(Bankruptcies.IsPrePetition(D(2026, 11, 22), D(2026, 11, 22)));
        Assert.False(Bankruptcies.IsPrePetition(D(2026, 11, 23), D(2026, 11, 22)));
        Assert.Equal("Chapter 7 case 26-bk-2 (Bankr. D. Or.), petition Jan 5, 2026", Bankruptcies.Describe(BankruptcyChapter.Chapter7, "26-bk-2", "Bankr. D. Or.", D(2026, 1, 5)));
    }

    [Fact]
    public void The_claims_postings_move_receivables_and_the_bankruptcy_receivable_as_each_step_should()
    {
        var amount = Money.FromCents(123_45);
        Assert.Equal(-amount, PostingRules.ForBankruptcyTransfer(amount).AmountOnAccount);
        Assert.Equal(Money.Zero, PostingRules.ForTrusteePayment(amount).AmountOnAccount);
        Assert.Equal(Money.Zero, PostingRules.ForBankruptcyDischarge(amount).AmountOnAccount);
        Assert.Equal(amount, PostingRules.ForBankruptcyReturn(amount).AmountOnAccount);
        // Transfer in, pay part, then discharge or return the rest: the bankruptcy receivable ends at zero either way.
        Money Net(params Posting[] postings) => Money.Sum(postings.SelectMany(p => p.Lines).Where(l => l.GlAccount == GlAccounts.BankruptcyReceivable).Select(l => l.Debit - l.Credit));
        Assert.Equal(Money.Zero, Net(PostingRules.ForBankruptcyTransfer(amount), PostingRules.ForTrusteePayment(Money.FromCents(23_45)), PostingRules.ForBankruptcyDischarge(Money.FromCents(100_00))));
        Assert.Equal(Money.Zero, Net(PostingRules.ForBankruptcyTransfer(amount), PostingRules.ForBankruptcyReturn(amount)));
    }

    [Fact]
    public void Whatever_the_trustee_pays_the_parts_applied_add_up_to_it_and_none_is_overpaid()
    {
        var property = Prop.ForAll(Gen.ArrayOf(Gen.Choose(0, 50_000)).ToArbitrary(), Gen.Choose(1, 200_000).ToArbitrary(), (cents, paid) =>
        {
            var parts = cents.Select((c, i) => new ClaimPart(i, null, D(2026, 1, 1).AddDays(c % 97), Money.FromCents(c))).ToList();
            var owed = parts.Sum(p => p.Open.Cents);
            if (paid > owed)
            {
                return Assert.Throws<DomainException>(() => Bankruptcies.ApplyPayment(parts, Money.FromCents(paid))).Field == "amount";
            }

            var applied = Bankruptcies.ApplyPayment(parts, Money.FromCents(paid));
            return applied.Sum(a => a.Amount.Cents) == paid && applied.All(a => a.Amount.IsPositive && a.Amount <= parts[(int)a.Key].Open);
        });

        Check.One(OpenCIS.Tests.Properties.Generators.Config, property);
    }
}
