using System.Collections.Immutable;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Rating;
using OpenCIS.Tests.Core.Rating;

namespace OpenCIS.Tests.Core.Ledger;

public sealed class PostingRulesTests
{
    private static readonly Money Zero = Money.Zero;

    private static Money Cents(long cents) => Money.FromCents(cents);

    internal static BillProposal Bill(params (Service Service, long Cents)[] segments) =>
        new(new AccountId(1), TestTariffs.March2026, [.. segments.Select((s, i) => new BillSegment(
            new ServiceAgreementId(i + 1), s.Service, "T", null, null,
            [new ChargeLine("C", "Charge", Cents(s.Cents), "test", null)]))]);

    [Fact]
    public void A_bill_debits_receivables_and_credits_revenue_by_service()
    {
        var posting = PostingRules.ForBill(Bill((Service.Water, 4075), (Service.Sewer, 5920), (Service.Trash, 4300), (Service.Water, 100)));

        Assert.Equal(FinancialTransactionType.Bill, posting.Type);
        Assert.Equal(Cents(14395), posting.AmountOnAccount);
        Assert.Equal(
            [
                new GlLine(GlAccounts.AccountsReceivable, Cents(14395), Zero),
                new GlLine(GlAccounts.WaterSales, Zero, Cents(4175)),
                new GlLine(GlAccounts.SewerCharges, Zero, Cents(5920)),
                new GlLine(GlAccounts.SolidWasteCharges, Zero, Cents(4300)),
            ],
            posting.Lines.ToArray());
    }

    [Fact]
    public void A_zero_bill_has_nothing_to_post() =>
        Assert.Throws<DomainException>(() => PostingRules.ForBill(Bill((Service.Water, 0))));

    [Fact]
    public void A_negative_bill_is_refused_in_favour_of_a_credit_adjustment() =>
        Assert.Throws<DomainException>(() => PostingRules.ForBill(Bill((Service.Water, -500))));

    [Fact]
    public void A_bill_with_a_credit_segment_still_posts_balanced()
    {
        // A service credited in full (say a sewer credit for a leak) next to a positive water charge.
        var posting = PostingRules.ForBill(Bill((Service.Water, 5000), (Service.Sewer, -1200)));

        Assert.Equal(Cents(3800), posting.AmountOnAccount);
        Assert.Equal(posting.Lines.Sum(l => l.Debit.Cents), posting.Lines.Sum(l => l.Credit.Cents));
    }

    [Fact]
    public void A_payment_debits_cash_and_credits_receivables()
    {
        var posting = PostingRules.ForPayment(Cents(2500));

        Assert.Equal(FinancialTransactionType.Payment, posting.Type);
        Assert.Equal(Cents(-2500), posting.AmountOnAccount);
        Assert.Equal(
            [new GlLine(GlAccounts.Cash, Cents(2500), Zero), new GlLine(GlAccounts.AccountsReceivable, Zero, Cents(2500))],
            posting.Lines.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_payment_must_be_more_than_zero(long cents)
    {
        var exception = Assert.Throws<DomainException>(() => PostingRules.ForPayment(Cents(cents)));

        Assert.Equal("amount", exception.Field);
    }

    [Fact]
    public void A_reversal_mirrors_every_line_and_the_account_effect()
    {
        var original = PostingRules.ForBill(Bill((Service.Water, 4075), (Service.Trash, 2150)));

        var reversal = PostingRules.Reverse(original, FinancialTransactionType.BillCancellation);

        Assert.Equal(FinancialTransactionType.BillCancellation, reversal.Type);
        Assert.Equal(-original.AmountOnAccount, reversal.AmountOnAccount);
        Assert.Equal(original.Lines.Select(l => new GlLine(l.GlAccount, l.Credit, l.Debit)).ToArray(), reversal.Lines.ToArray());
        // Original and reversal together leave every GL account where it was.
        var net = original.Lines.Concat(reversal.Lines).GroupBy(l => l.GlAccount).Select(g => g.Sum(l => l.Debit.Cents - l.Credit.Cents));
        Assert.All(net, n => Assert.Equal(0, n));
    }

    [Fact]
    public void A_returned_payment_reverses_cash_and_raises_the_balance()
    {
        var reversal = PostingRules.Reverse(PostingRules.ForPayment(Cents(2500)), FinancialTransactionType.ReturnedPayment);

        Assert.Equal(Cents(2500), reversal.AmountOnAccount);
        Assert.Equal([new GlLine(GlAccounts.Cash, Zero, Cents(2500)), new GlLine(GlAccounts.AccountsReceivable, Cents(2500), Zero)], reversal.Lines.ToArray());
    }
}

public sealed class PostingTests
{
    private static Money Cents(long cents) => Money.FromCents(cents);

    [Fact]
    public void An_unbalanced_posting_cannot_be_built()
    {
        var exception = Assert.Throws<ArgumentException>(() => new Posting(FinancialTransactionType.Adjustment, Cents(1000), [
            new GlLine(GlAccounts.AccountsReceivable, Cents(1000), Money.Zero),
            new GlLine(GlAccounts.WaterSales, Money.Zero, Cents(999)),
        ]));

        Assert.Contains("does not balance", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100, 100)] // both sides on one line
    [InlineData(0, 0)] // neither side
    [InlineData(-100, 0)] // a negative debit
    public void Each_line_carries_exactly_one_positive_side(long debit, long credit) =>
        Assert.Throws<ArgumentException>(() => new Posting(FinancialTransactionType.Adjustment, Money.Zero, [
            new GlLine(GlAccounts.Cash, Cents(debit), Cents(credit)),
        ]));

    [Fact]
    public void The_receivable_lines_must_match_the_effect_on_the_account() =>
        Assert.Throws<ArgumentException>(() => new Posting(FinancialTransactionType.Adjustment, Cents(500), [
            new GlLine(GlAccounts.Cash, Cents(500), Money.Zero),
            new GlLine(GlAccounts.WaterSales, Money.Zero, Cents(500)),
        ]));

    [Fact]
    public void A_posting_needs_lines() =>
        Assert.Throws<ArgumentException>(() => new Posting(FinancialTransactionType.Adjustment, Money.Zero, ImmutableArray<GlLine>.Empty));
}
