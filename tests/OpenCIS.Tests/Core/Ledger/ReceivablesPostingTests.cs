using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Receivables;

namespace OpenCIS.Tests.Core.Ledger;

/// <summary>Refunds, balance transfers and write-offs: which GL accounts they touch and how they move the account.</summary>
public sealed class ReceivablesPostingTests
{
    private static readonly Money Zero = Money.Zero;

    private static Money Cents(long cents) => Money.FromCents(cents);

    [Fact]
    public void A_refund_debits_receivables_and_credits_refunds_payable()
    {
        var posting = PostingRules.ForRefund(Cents(2_550));

        Assert.Equal(FinancialTransactionType.Refund, posting.Type);
        Assert.Equal(Cents(2_550), posting.AmountOnAccount);
        Assert.Equal([new GlLine(GlAccounts.AccountsReceivable, Cents(2_550), Zero), new GlLine(GlAccounts.RefundsPayable, Zero, Cents(2_550))], posting.Lines.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_refund_of_zero_or_less_is_refused(long cents) =>
        Assert.Equal("amount", Assert.Throws<DomainException>(() => PostingRules.ForRefund(Cents(cents))).Field);

    [Fact]
    public void A_debit_balance_transfers_out_through_clearing_and_in_on_the_other_account()
    {
        var balance = Cents(13_085);
        var outgoing = PostingRules.ForTransferOut(balance);
        var incoming = PostingRules.ForTransferIn(balance);

        Assert.Equal((FinancialTransactionType.BalanceTransfer, Cents(-13_085)), (outgoing.Type, outgoing.AmountOnAccount));
        Assert.Equal([new GlLine(GlAccounts.BalanceTransferClearing, balance, Zero), new GlLine(GlAccounts.AccountsReceivable, Zero, balance)], outgoing.Lines.ToArray());
        Assert.Equal((FinancialTransactionType.BalanceTransfer, Cents(13_085)), (incoming.Type, incoming.AmountOnAccount));
        Assert.Equal([new GlLine(GlAccounts.AccountsReceivable, balance, Zero), new GlLine(GlAccounts.BalanceTransferClearing, Zero, balance)], incoming.Lines.ToArray());
        Assert.Equal(0, ClearingNet(outgoing, incoming));
    }

    [Fact]
    public void A_credit_balance_transfers_the_other_way()
    {
        var credit = Cents(-4_000);
        var outgoing = PostingRules.ForTransferOut(credit);
        var incoming = PostingRules.ForTransferIn(credit);

        Assert.Equal(Cents(4_000), outgoing.AmountOnAccount);
        Assert.Equal([new GlLine(GlAccounts.AccountsReceivable, Cents(4_000), Zero), new GlLine(GlAccounts.BalanceTransferClearing, Zero, Cents(4_000))], outgoing.Lines.ToArray());
        Assert.Equal(Cents(-4_000), incoming.AmountOnAccount);
        Assert.Equal([new GlLine(GlAccounts.BalanceTransferClearing, Cents(4_000), Zero), new GlLine(GlAccounts.AccountsReceivable, Zero, Cents(4_000))], incoming.Lines.ToArray());
        Assert.Equal(0, ClearingNet(outgoing, incoming));
    }

    [Fact]
    public void A_zero_balance_has_nothing_to_transfer()
    {
        Assert.Throws<DomainException>(() => PostingRules.ForTransferOut(Zero));
        Assert.Throws<DomainException>(() => PostingRules.ForTransferIn(Zero));
    }

    [Fact]
    public void A_write_off_credits_receivables_against_the_allowance_and_its_reversal_is_the_mirror()
    {
        var writeOff = PostingRules.ForWriteOff(Cents(9_999));
        var reversal = PostingRules.ForWriteOffReversal(Cents(9_999));

        Assert.Equal((FinancialTransactionType.WriteOff, Cents(-9_999)), (writeOff.Type, writeOff.AmountOnAccount));
        Assert.Equal([new GlLine(GlAccounts.AllowanceForUncollectibles, Cents(9_999), Zero), new GlLine(GlAccounts.AccountsReceivable, Zero, Cents(9_999))], writeOff.Lines.ToArray());
        Assert.Equal((FinancialTransactionType.WriteOffReversal, Cents(9_999)), (reversal.Type, reversal.AmountOnAccount));
        Assert.Equal([new GlLine(GlAccounts.AllowanceForUncollectibles, Zero, Cents(9_999)), new GlLine(GlAccounts.AccountsReceivable, Cents(9_999), Zero)], reversal.Lines.ToArray());
        Assert.Throws<DomainException>(() => PostingRules.ForWriteOff(Zero));
    }

    [Theory]
    [InlineData(1_000, -1_000, true)]
    [InlineData(1, -1_000, true)]
    [InlineData(1_001, -1_000, false)]
    [InlineData(100, 0, false)]
    [InlineData(100, 500, false)]
    [InlineData(0, -1_000, false)]
    public void A_refund_is_at_most_the_credit_balance(long amountCents, long balanceCents, bool allowed)
    {
        var check = () => ReceivablesRules.CheckRefund(Cents(amountCents), Cents(balanceCents), "100001");
        if (allowed)
        {
            check();
        }
        else
        {
            Assert.Equal("amount", Assert.Throws<DomainException>(check).Field);
        }
    }

    [Fact]
    public void A_write_off_is_the_whole_balance_unless_an_amount_up_to_it_is_given()
    {
        Assert.Equal(Cents(5_000), ReceivablesRules.WriteOffAmount(null, Cents(5_000), "A"));
        Assert.Equal(Cents(1_200), ReceivablesRules.WriteOffAmount(Cents(1_200), Cents(5_000), "A"));
        Assert.Throws<DomainException>(() => ReceivablesRules.WriteOffAmount(Cents(5_001), Cents(5_000), "A"));
        Assert.Throws<DomainException>(() => ReceivablesRules.WriteOffAmount(null, Cents(-300), "A"));
        Assert.Throws<DomainException>(() => ReceivablesRules.WriteOffAmount(null, Zero, "A"));
    }

    [Fact]
    public void The_refund_requester_cannot_decide_it()
    {
        Assert.Equal("refundId", Assert.Throws<DomainException>(() => ReceivablesRules.CheckRefundDecider("Clerk1", "clerk1")).Field);
        ReceivablesRules.CheckRefundDecider("clerk1", "super1");
    }

    [Fact]
    public void Write_off_reasons_are_found_by_code_in_any_case()
    {
        Assert.Equal("BANKRUPTCY", WriteOffReasons.Find(" bankruptcy ").Code);
        Assert.Equal("reasonCode", Assert.Throws<DomainException>(() => WriteOffReasons.Find("NOPE")).Field);
    }

    private static long ClearingNet(params Posting[] postings) =>
        postings.SelectMany(p => p.Lines).Where(l => l.GlAccount == GlAccounts.BalanceTransferClearing).Sum(l => l.Debit.Cents - l.Credit.Cents);
}
