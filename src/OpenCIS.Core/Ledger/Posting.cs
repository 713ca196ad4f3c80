using System.Collections.Immutable;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Ledger;

/// <summary>The kinds of financial transaction: the only ways money moves on an account.</summary>
public enum FinancialTransactionType
{
    Bill,
    Payment,
    Adjustment,
    LateCharge,
    DepositCharge,
    DepositApplication,
    Refund,
    ReturnedPayment,
    ReturnedPaymentFee,
    BalanceTransfer,
    WriteOff,
    WriteOffReversal,
    BillCancellation,

    /// <summary>An approved refund paid out by the utility itself (an ACH credit): refunds payable settled from cash. Moves no account balance.</summary>
    RefundPaid,

    /// <summary>A refund the customer's bank sent back: the cash and the customer's credit are restored.</summary>
    RefundReturned,

    /// <summary>A collection fee: a door hanger, a disconnection or a reconnection.</summary>
    CollectionFee,

    /// <summary>A service order's fee: a connection, a meter test the customer asked for that found the meter accurate.</summary>
    ServiceFee,

    /// <summary>A late charge or collection fee waived: the mirror of the charge, linked to it.</summary>
    CollectionWaiver,

    /// <summary>A budget billing plan ended between bills: its deferred balance moved back into what is owed (or credited).</summary>
    BudgetSettlement,

    /// <summary>A city receivable billed by invoice (EMS, false alarm, permit, code enforcement): receivables up, the invoice type's revenue up.</summary>
    Invoice,

    /// <summary>A payer's contractual adjustment on an invoice: the charge above its allowed amount, off receivables into the type's allowance account.</summary>
    ContractualAdjustment,

    /// <summary>A hardship waiver on an invoice, approved by a Supervisor: off receivables into the type's allowance account.</summary>
    HardshipWaiver,

    /// <summary>An account's pre-petition balance moved off it into the bankruptcy receivable when its case is entered.</summary>
    BankruptcyTransfer,

    /// <summary>A bankruptcy trustee's payment on the pre-petition claim: cash in, the bankruptcy receivable down. Moves no account balance.</summary>
    TrusteePayment,

    /// <summary>A discharge: what was left of the pre-petition claim written off against the allowance. Moves no account balance.</summary>
    BankruptcyDischarge,

    /// <summary>A dismissal: what was left of the pre-petition claim back on the account, to be collected as before.</summary>
    BankruptcyReturn,

    /// <summary>A collection agency's commission on what it collected: kept from a net remittance (out of cash) or billed on a gross one (owed to it). Moves no account balance.</summary>
    AgencyCommission,

    /// <summary>A lien's filing fee: what recording the lien against the parcel costs, added to the account and to what the lien secures.</summary>
    LienFee,
}

/// <summary>One side of a journal line. Exactly one of debit or credit is non-zero.</summary>
public sealed record GlLine(string GlAccount, Money Debit, Money Credit);

/// <summary>
/// A balanced journal entry and its effect on the customer's balance
/// (<see cref="AmountOnAccount"/>: positive raises what the customer owes). Construction checks
/// both invariants, so an unbalanced posting cannot exist.
/// </summary>
public sealed record Posting
{
    public Posting(FinancialTransactionType type, Money amountOnAccount, ImmutableArray<GlLine> lines)
    {
        if (lines.IsDefaultOrEmpty)
        {
            throw new ArgumentException("A posting needs journal lines.", nameof(lines));
        }

        foreach (var line in lines)
        {
            if (line.Debit.IsNegative || line.Credit.IsNegative || line.Debit.IsZero == line.Credit.IsZero)
            {
                throw new ArgumentException($"Journal line on {line.GlAccount} must carry exactly one positive side.", nameof(lines));
            }
        }

        var debits = Money.Sum(lines.Select(l => l.Debit));
        var credits = Money.Sum(lines.Select(l => l.Credit));
        if (debits != credits)
        {
            throw new ArgumentException($"Posting does not balance: debits {debits} against credits {credits}.", nameof(lines));
        }

        var receivableNet = Money.Sum(lines.Where(l => l.GlAccount == GlAccounts.AccountsReceivable).Select(l => l.Debit - l.Credit));
        if (receivableNet != amountOnAccount)
        {
            throw new ArgumentException($"Receivable lines net to {receivableNet}, but the account moves by {amountOnAccount}.", nameof(lines));
        }

        Type = type;
        AmountOnAccount = amountOnAccount;
        Lines = lines;
    }

    public FinancialTransactionType Type { get; }
    public Money AmountOnAccount { get; }
    public ImmutableArray<GlLine> Lines { get; }

    public Money TotalDebits => Money.Sum(Lines.Select(l => l.Debit));
}

/// <summary>The posting rules: which GL accounts each kind of transaction touches.</summary>
public static partial class PostingRules
{
    /// <summary>A bill debits receivables and credits each service's revenue account.</summary>
    public static Posting ForBill(BillProposal bill) => ForBill(bill, bill.Total);

    /// <summary>
    /// A bill of an account on budget billing: the actual charges credit revenue as always, receivables take
    /// <paramref name="billed"/> (the budget amount, or the true-up), and the difference moves the account's
    /// deferred balance (<see cref="GlAccounts.BudgetDeferred"/>): debited when actual charges exceed what is
    /// billed, credited when the budget runs ahead of them.
    /// </summary>
    public static Posting ForBill(BillProposal bill, Money billed)
    {
        var total = bill.Total;
        if (total.IsNegative)
        {
            throw new DomainException($"A bill cannot total less than zero ({total}); post a credit adjustment instead.");
        }

        var lines = ImmutableArray.CreateBuilder<GlLine>();
        if (billed.IsPositive)
        {
            lines.Add(new GlLine(GlAccounts.AccountsReceivable, billed, Money.Zero));
        }
        else if (billed.IsNegative)
        {
            lines.Add(new GlLine(GlAccounts.AccountsReceivable, Money.Zero, -billed));
        }

        var deferred = total - billed;
        if (deferred.IsPositive)
        {
            lines.Add(new GlLine(GlAccounts.BudgetDeferred, deferred, Money.Zero));
        }
        else if (deferred.IsNegative)
        {
            lines.Add(new GlLine(GlAccounts.BudgetDeferred, Money.Zero, -deferred));
        }

        foreach (var group in bill.Segments.GroupBy(s => GlAccounts.RevenueFor(s.Service)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var revenue = Money.Sum(group.Select(s => s.Total));
            if (revenue.IsPositive)
            {
                lines.Add(new GlLine(group.Key, Money.Zero, revenue));
            }
            else if (revenue.IsNegative)
            {
                // A service credited this period (a leak credit on sewer, say) reduces its revenue:
                // dropping the line would leave the posting unbalanced.
                lines.Add(new GlLine(group.Key, -revenue, Money.Zero));
            }
        }

        return lines.Count == 0
            ? throw new DomainException("A bill of zero has nothing to post.")
            : new Posting(FinancialTransactionType.Bill, billed, lines.ToImmutable());
    }

    /// <summary>A payment debits cash and credits receivables.</summary>
    public static Posting ForPayment(Money amount) =>
        Between(FinancialTransactionType.Payment, amount, GlAccounts.Cash, GlAccounts.AccountsReceivable, "A payment");

    /// <summary>
    /// An adjustment moves the account by <paramref name="amountOnAccount"/> (negative: a credit to the
    /// customer) against the adjustments account, so sales stay as billed and the allowances are visible.
    /// </summary>
    public static Posting ForAdjustment(Money amountOnAccount)
    {
        if (amountOnAccount.IsZero)
        {
            throw new DomainException("An adjustment of zero has nothing to post.", "amount");
        }

        var size = amountOnAccount.IsNegative ? -amountOnAccount : amountOnAccount;
        return amountOnAccount.IsPositive
            ? new Posting(FinancialTransactionType.Adjustment, amountOnAccount, [
                new GlLine(GlAccounts.AccountsReceivable, size, Money.Zero),
                new GlLine(GlAccounts.BillingAdjustments, Money.Zero, size),
            ])
            : new Posting(FinancialTransactionType.Adjustment, amountOnAccount, [
                new GlLine(GlAccounts.BillingAdjustments, size, Money.Zero),
                new GlLine(GlAccounts.AccountsReceivable, Money.Zero, size),
            ]);
    }

    /// <summary>
    /// A budget plan ended between bills: its deferred balance moves back into what the account owes (actual charges not yet
    /// billed), or out of it as a credit (budget billed ahead of use).
    /// </summary>
    public static Posting ForBudgetSettlement(Money deferredBalance) => deferredBalance.IsNegative
        ? Between(FinancialTransactionType.BudgetSettlement, -deferredBalance, GlAccounts.BudgetDeferred, GlAccounts.AccountsReceivable, "A budget settlement")
        : Between(FinancialTransactionType.BudgetSettlement, deferredBalance, GlAccounts.AccountsReceivable, GlAccounts.BudgetDeferred, "A budget settlement");

    /// <summary>The fee for a returned payment: receivables up, fee revenue up.</summary>
    public static Posting ForReturnedPaymentFee(Money fee) =>
        Between(FinancialTransactionType.ReturnedPaymentFee, fee, GlAccounts.AccountsReceivable, GlAccounts.ReturnedPaymentFees, "A returned payment fee", "fee");

    /// <summary>
    /// A late charge: receivables up, and each part credited to the late-charge revenue of the fund of the
    /// service it follows (<see cref="GlAccounts.LateChargesFor"/>).
    /// </summary>
    public static Posting ForLateCharge(IReadOnlyList<(Service? Service, Money Amount)> parts)
    {
        var total = Money.Sum(parts.Select(p => p.Amount));
        if (!total.IsPositive || parts.Any(p => p.Amount.IsNegative))
        {
            throw new DomainException($"A late charge must be more than zero in every part; {total} was given.", "amount");
        }

        var lines = ImmutableArray.CreateBuilder<GlLine>();
        lines.Add(new GlLine(GlAccounts.AccountsReceivable, total, Money.Zero));
        foreach (var group in parts.Where(p => p.Amount.IsPositive).GroupBy(p => GlAccounts.LateChargesFor(p.Service)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            lines.Add(new GlLine(group.Key, Money.Zero, Money.Sum(group.Select(p => p.Amount))));
        }

        return new Posting(FinancialTransactionType.LateCharge, total, lines.ToImmutable());
    }

    /// <summary>A collection fee (door hanger, disconnection, reconnection): receivables up, collection fee revenue up.</summary>
    public static Posting ForCollectionFee(Money fee) =>
        Between(FinancialTransactionType.CollectionFee, fee, GlAccounts.AccountsReceivable, GlAccounts.CollectionFees, "A collection fee", "fee");

    /// <summary>An invoice: receivables up by its total, its type's revenue account (<see cref="Invoices.InvoiceTypeDefinition.RevenueGlAccount"/>) credited.</summary>
    public static Posting ForInvoice(Money total, string revenueGlAccount) =>
        Between(FinancialTransactionType.Invoice, total, GlAccounts.AccountsReceivable, revenueGlAccount, "An invoice", "lines");

    /// <summary>A contractual adjustment: the type's allowance account debited, receivables credited.</summary>
    public static Posting ForContractualAdjustment(Money amount, string allowanceGlAccount) =>
        Between(FinancialTransactionType.ContractualAdjustment, amount, allowanceGlAccount, GlAccounts.AccountsReceivable, "A contractual adjustment", "contractualAdjustment");

    /// <summary>A hardship waiver: the type's allowance account debited, receivables credited.</summary>
    public static Posting ForHardshipWaiver(Money amount, string allowanceGlAccount) =>
        Between(FinancialTransactionType.HardshipWaiver, amount, allowanceGlAccount, GlAccounts.AccountsReceivable, "A waiver");

    /// <summary>A lien filing fee: receivables up, lien fee revenue up.</summary>
    public static Posting ForLienFee(Money fee) =>
        Between(FinancialTransactionType.LienFee, fee, GlAccounts.AccountsReceivable, GlAccounts.LienFees, "A lien filing fee", "fee");

    public static Posting ForServiceFee(Money fee) =>
        Between(FinancialTransactionType.ServiceFee, fee, GlAccounts.AccountsReceivable, GlAccounts.ServiceFees, "A service fee", "fee");

    /// <summary>
    /// One amount from one GL account to another: debit <paramref name="debitAccount"/>, credit
    /// <paramref name="creditAccount"/>. The account moves up by the amount when receivables are debited,
    /// down when they are credited, not at all when neither side is receivables.
    /// </summary>
    /// <param name="what">The posting's name in the message when the amount is not positive ("A payment").</param>
    public static Posting Between(FinancialTransactionType type, Money amount, string debitAccount, string creditAccount, string what, string field = "amount")
    {
        if (!amount.IsPositive)
        {
            throw new DomainException($"{what} must be more than zero; {amount} was given.", field);
        }

        var onAccount = (debitAccount == GlAccounts.AccountsReceivable ? amount : Money.Zero) - (creditAccount == GlAccounts.AccountsReceivable ? amount : Money.Zero);
        return new Posting(type, onAccount, [new GlLine(debitAccount, amount, Money.Zero), new GlLine(creditAccount, Money.Zero, amount)]);
    }

    /// <summary>The exact mirror of a posting: every debit becomes a credit. Used to cancel a bill or return a payment.</summary>
    public static Posting Reverse(Posting original, FinancialTransactionType reversalType) =>
        new(reversalType, -original.AmountOnAccount, original.Lines.Select(l => new GlLine(l.GlAccount, l.Credit, l.Debit)).ToImmutableArray());
}
