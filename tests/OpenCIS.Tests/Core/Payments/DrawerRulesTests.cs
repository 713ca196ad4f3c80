using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;

namespace OpenCIS.Tests.Core.Payments;

public sealed class DrawerRulesTests
{
    private static Money Cents(long cents) => Money.FromCents(cents);

    private static TenderPart Card(long cents, string token = "tok_9f2a", string lastFour = "4242") =>
        new(Tender.Card, Cents(cents), CardToken: token, CardLastFour: lastFour);

    [Fact]
    public void Cash_over_the_payment_comes_back_as_change_and_the_drawer_keeps_the_payment()
    {
        var payment = DrawerRules.DecideTender(Cents(4_250), [new TenderPart(Tender.Cash, Cents(5_000))]);

        Assert.Equal(Cents(750), payment.ChangeDue);
        Assert.Equal(Cents(5_000), payment.Tendered);
        Assert.Equal(new TenderPart(Tender.Cash, Cents(4_250)), Assert.Single(payment.Kept));
    }

    [Fact]
    public void A_split_tender_of_check_card_and_cash_keeps_each_part_and_gives_change_from_the_cash()
    {
        var payment = DrawerRules.DecideTender(Cents(10_000),
            [new TenderPart(Tender.Check, Cents(6_000), "1043"), Card(2_500), new TenderPart(Tender.Cash, Cents(2_000))]);

        Assert.Equal(Cents(500), payment.ChangeDue);
        Assert.Equal(Cents(6_000), payment.Kept.Single(p => p.Tender == Tender.Check).Amount);
        Assert.Equal(Cents(2_500), payment.Kept.Single(p => p.Tender == Tender.Card).Amount);
        Assert.Equal(Cents(1_500), payment.Kept.Single(p => p.Tender == Tender.Cash).Amount);
    }

    [Fact]
    public void Change_is_never_given_from_a_check_or_card()
    {
        var error = Assert.Throws<DomainException>(() => DrawerRules.DecideTender(Cents(4_000),
            [new TenderPart(Tender.Check, Cents(5_000), "1001"), new TenderPart(Tender.Cash, Cents(500))]));
        Assert.Equal("tenders", error.Field);
    }

    [Fact]
    public void Tenders_that_do_not_cover_the_payment_are_refused()
    {
        var error = Assert.Throws<DomainException>(() => DrawerRules.DecideTender(Cents(4_000),
            [new TenderPart(Tender.Cash, Cents(1_000)), new TenderPart(Tender.MoneyOrder, Cents(2_999))]));
        Assert.Equal("tenders", error.Field);
        Assert.Contains("$39.99", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tok_abc", "424", "tenders[0].cardLastFour")]
    [InlineData("tok_abc", "42a2", "tenders[0].cardLastFour")]
    [InlineData("", "4242", "tenders[0].cardToken")]
    [InlineData("4111111111111111", "1111", "tenders[0]")]
    [InlineData("tok_abc", "4111 1111 1111 1111", "tenders[0]")]
    [InlineData("4111-1111-1111-1111", "1111", "tenders[0]")]
    public void A_card_needs_a_token_and_four_digits_and_never_takes_a_card_number(string token, string lastFour, string field)
    {
        var error = Assert.Throws<DomainException>(() => DrawerRules.DecideTender(Cents(100), [Card(100, token, lastFour)]));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void A_card_number_typed_into_a_check_reference_is_refused_too()
    {
        var error = Assert.Throws<DomainException>(() => DrawerRules.DecideTender(Cents(100),
            [new TenderPart(Tender.Check, Cents(100), "5500 0000 0000 0004")]));
        Assert.Equal("tenders[0]", error.Field);
        // A long run of digits that fails the card check digit is not a card number (a routing and account number, say).
        Assert.False(CardNumbers.LooksLikeCardNumber("021000021 1234567"));
        Assert.False(CardNumbers.LooksLikeCardNumber("4111111111111113"));
        Assert.True(CardNumbers.LooksLikeCardNumber("card 4111 1111 1111 1111 exp"));
        Assert.True(CardNumbers.LooksLikeCardNumber("5500000000000004"));
    }

    [Fact]
    public void Expected_totals_hold_the_float_in_cash_and_the_kept_parts_by_tender()
    {
        var expected = DrawerRules.ExpectedTotals(Cents(20_000),
            [new TenderPart(Tender.Cash, Cents(4_250)), new TenderPart(Tender.Check, Cents(6_000)), Card(2_500), new TenderPart(Tender.Cash, Cents(1_500))]);

        Assert.Equal(Cents(25_750), expected[Tender.Cash]);
        Assert.Equal(Cents(6_000), expected[Tender.Check]);
        Assert.Equal(Cents(2_500), expected[Tender.Card]);
        Assert.Equal(Money.Zero, expected[Tender.MoneyOrder]);
        Assert.Equal(Money.Zero, expected[Tender.Ach]);
    }

    [Fact]
    public void Over_and_short_are_counted_minus_expected_per_tender_and_in_total()
    {
        var expected = DrawerRules.ExpectedTotals(Cents(20_000), [new TenderPart(Tender.Cash, Cents(4_250)), new TenderPart(Tender.Check, Cents(6_000))]);

        var balance = DrawerRules.Balance(expected, new Dictionary<Tender, Money> { [Tender.Cash] = Cents(24_200), [Tender.Check] = Cents(6_000) });

        Assert.Equal(Cents(-50), balance.OverShort[Tender.Cash]);
        Assert.Equal(Money.Zero, balance.OverShort[Tender.Check]);
        Assert.Equal(Cents(-50), balance.Total);
        Assert.True(balance.HasDifference);
    }

    [Fact]
    public void Differences_that_cancel_out_still_need_a_supervisor()
    {
        var expected = DrawerRules.ExpectedTotals(Cents(10_000), [new TenderPart(Tender.Check, Cents(1_000))]);
        var balance = DrawerRules.Balance(expected, new Dictionary<Tender, Money> { [Tender.Cash] = Cents(11_000), [Tender.Check] = Money.Zero });

        Assert.Equal(Money.Zero, balance.Total);
        Assert.True(balance.HasDifference);
        Assert.NotNull(DrawerRules.ApprovalRefusal("carla", "billing", approverIsSupervisor: false, balance));
        Assert.Null(DrawerRules.ApprovalRefusal("carla", "sam", approverIsSupervisor: true, balance));
    }

    [Fact]
    public void A_cashier_never_approves_their_own_drawer_even_as_a_supervisor()
    {
        var balanced = DrawerRules.Balance(DrawerRules.ExpectedTotals(Cents(100), []), new Dictionary<Tender, Money> { [Tender.Cash] = Cents(100) });

        Assert.False(balanced.HasDifference);
        Assert.Equal("A cashier cannot approve their own drawer.", DrawerRules.ApprovalRefusal("sam", "SAM", approverIsSupervisor: true, balanced));
        Assert.Null(DrawerRules.ApprovalRefusal("carla", "sam", approverIsSupervisor: false, balanced));
    }

    [Fact]
    public void Negative_counts_and_floats_are_refused()
    {
        Assert.Equal("startingFloat", Assert.Throws<DomainException>(() => DrawerRules.ExpectedTotals(Cents(-1), [])).Field);
        Assert.Equal("counted.Check", Assert.Throws<DomainException>(() =>
            DrawerRules.Balance(DrawerRules.ExpectedTotals(Money.Zero, []), new Dictionary<Tender, Money> { [Tender.Check] = Cents(-1) })).Field);
    }
}
