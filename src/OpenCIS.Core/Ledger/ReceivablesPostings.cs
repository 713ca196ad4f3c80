using OpenCIS.Core.Common;

namespace OpenCIS.Core.Ledger;

/// <summary>
/// The receivables postings: refunds of credit balances, balance transfers between accounts and
/// write-offs. Kept in a file of their own so the ledger's everyday rules stay short.
/// </summary>
public static partial class PostingRules
{
    /// <summary>
    /// A refund pays an account's credit out: receivables are debited (the credit is used up, so the
    /// account moves up by the amount) and the city owes the customer until the check or ACH credit goes out.
    /// </summary>
    public static Posting ForRefund(Money amount) =>
        Between(FinancialTransactionType.Refund, amount, GlAccounts.AccountsReceivable, GlAccounts.RefundsPayable, "A refund");

    /// <summary>
    /// A refund paid out by the utility's own ACH credit: what it owed the customer (refunds payable)
    /// leaves cash. The account's balance does not move; the refund already used its credit.
    /// </summary>
    public static Posting ForRefundPaid(Money amount) =>
        Between(FinancialTransactionType.RefundPaid, amount, GlAccounts.RefundsPayable, GlAccounts.Cash, "A refund paid");

    /// <summary>
    /// A refund credit the customer's bank returned: the cash comes back and the account has its credit
    /// again (the refund and its payment reversed in one posting), for the clerk to refund another way.
    /// </summary>
    public static Posting ForRefundReturned(Money amount) =>
        Between(FinancialTransactionType.RefundReturned, amount, GlAccounts.Cash, GlAccounts.AccountsReceivable, "A returned refund");

    /// <summary>
    /// Takes an account's whole open balance off it into the transfer clearing account. A debit balance
    /// (the customer owes) credits receivables; a credit balance debits them. The account ends at zero.
    /// </summary>
    public static Posting ForTransferOut(Money openBalance) => Transfer(-openBalance, nameof(openBalance));

    /// <summary>
    /// Puts a balance transferred from another account on this one, out of the clearing account: the
    /// mirror of <see cref="ForTransferOut"/>, so the pair nets the clearing account to zero.
    /// </summary>
    public static Posting ForTransferIn(Money transferredBalance) => Transfer(transferredBalance, nameof(transferredBalance));

    private static Posting Transfer(Money amountOnAccount, string field)
    {
        if (amountOnAccount.IsZero)
        {
            throw new DomainException("A balance of zero has nothing to transfer.", field);
        }

        var size = amountOnAccount.IsNegative ? -amountOnAccount : amountOnAccount;
        return amountOnAccount.IsPositive
            ? new Posting(FinancialTransactionType.BalanceTransfer, amountOnAccount, [
                new GlLine(GlAccounts.AccountsReceivable, size, Money.Zero),
                new GlLine(GlAccounts.BalanceTransferClearing, Money.Zero, size),
            ])
            : new Posting(FinancialTransactionType.BalanceTransfer, amountOnAccount, [
                new GlLine(GlAccounts.BalanceTransferClearing, size, Money.Zero),
                new GlLine(GlAccounts.AccountsReceivable, Money.Zero, size),
            ]);
    }

    /// <summary>A write-off takes an uncollectible amount off the account against the allowance for uncollectibles.</summary>
    public static Posting ForWriteOff(Money amount) =>
        Between(FinancialTransactionType.WriteOff, amount, GlAccounts.AllowanceForUncollectibles, GlAccounts.AccountsReceivable, "A write-off");

    /// <summary>Puts a written-off amount back on the account (the debt is being collected after all): the exact mirror of the write-off.</summary>
    public static Posting ForWriteOffReversal(Money writtenOff) => Reverse(ForWriteOff(writtenOff), FinancialTransactionType.WriteOffReversal);

    /// <summary>An account's pre-petition balance into the bankruptcy receivable: off the customer's receivables, on the case's.</summary>
    public static Posting ForBankruptcyTransfer(Money prePetition) =>
        Between(FinancialTransactionType.BankruptcyTransfer, prePetition, GlAccounts.BankruptcyReceivable, GlAccounts.AccountsReceivable, "A pre-petition balance");

    /// <summary>A trustee's payment on the pre-petition claim: cash debited, the bankruptcy receivable credited; the account does not move.</summary>
    public static Posting ForTrusteePayment(Money amount) =>
        Between(FinancialTransactionType.TrusteePayment, amount, GlAccounts.Cash, GlAccounts.BankruptcyReceivable, "A trustee's payment");

    /// <summary>A discharge: what is left of the claim written off against the allowance for uncollectibles.</summary>
    public static Posting ForBankruptcyDischarge(Money remaining) =>
        Between(FinancialTransactionType.BankruptcyDischarge, remaining, GlAccounts.AllowanceForUncollectibles, GlAccounts.BankruptcyReceivable, "A discharge");

    /// <summary>A dismissal: what is left of the claim back on the account's receivables, to be collected as before the petition.</summary>
    public static Posting ForBankruptcyReturn(Money remaining) =>
        Between(FinancialTransactionType.BankruptcyReturn, remaining, GlAccounts.AccountsReceivable, GlAccounts.BankruptcyReceivable, "A returned pre-petition balance");

    /// <summary>
    /// A payment on an account with written-off debt: <paramref name="recovered"/> of it (see <see cref="Pursuit.FinalBillPursuit.Recovered"/>)
    /// is a recovery, credited to the allowance the write-off charged, and moves no balance; the rest pays the account as any payment.
    /// </summary>
    public static Posting ForPayment(Money amount, Money recovered)
    {
        if (recovered.IsZero)
        {
            return ForPayment(amount);
        }

        if (recovered.IsNegative || recovered > amount)
        {
            throw new ArgumentOutOfRangeException(nameof(recovered), recovered, $"A recovery is part of the payment of {amount}.");
        }

        var onAccount = amount - recovered;
        return onAccount.IsZero
            ? new Posting(FinancialTransactionType.Payment, Money.Zero, [
                new GlLine(GlAccounts.Cash, amount, Money.Zero),
                new GlLine(GlAccounts.AllowanceForUncollectibles, Money.Zero, recovered),
            ])
            : new Posting(FinancialTransactionType.Payment, -onAccount, [
                new GlLine(GlAccounts.Cash, amount, Money.Zero),
                new GlLine(GlAccounts.AccountsReceivable, Money.Zero, onAccount),
                new GlLine(GlAccounts.AllowanceForUncollectibles, Money.Zero, recovered),
            ]);
    }

    /// <summary>
    /// An agency's commission: an expense, paid from cash when the agency kept it from a net remittance (the cash posted for the debtor's
    /// payment was more than arrived), owed to the agency when it remits gross and bills it.
    /// </summary>
    public static Posting ForAgencyCommission(Money commission, Pursuit.RemittanceBasis basis) =>
        Between(FinancialTransactionType.AgencyCommission, commission, GlAccounts.AgencyCommissions,
            basis == Pursuit.RemittanceBasis.Net ? GlAccounts.Cash : GlAccounts.AgencyCommissionsPayable, "An agency's commission", "commission");
}
