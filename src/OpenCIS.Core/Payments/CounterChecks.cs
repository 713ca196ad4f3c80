using OpenCIS.Core.Common;

namespace OpenCIS.Core.Payments;

/// <summary>
/// What a cashier must confirm before a counter payment posts: a payment that leaves the account far in credit (a
/// slip of a digit: $50,000 for $50.00), and cash over $10,000, which the city must report to the IRS on Form 8300
/// within 15 days. Nothing here refuses a payment; it asks once, and the cashier's confirmation goes with it.
/// </summary>
public static class CounterChecks
{
    /// <summary>Cash received in one payment above this is reportable (IRS Form 8300).</summary>
    public static readonly Money ReportableCash = Money.FromCents(10_000_00);

    public static readonly Money DefaultOverpaymentLimit = Money.FromCents(500_00);

    /// <summary>The sentences the cashier confirms before posting; empty when none is needed.</summary>
    public static IReadOnlyList<string> ToConfirm(Money amount, Money balance, Money cash, Money overpaymentLimit)
    {
        var confirm = new List<string>();
        var credit = amount - (balance.IsPositive ? balance : Money.Zero);
        if (credit > overpaymentLimit)
        {
            confirm.Add($"This payment of {amount} is {credit} more than the {(balance.IsPositive ? balance : Money.Zero)} owed and leaves the account in credit; check the amount with the customer.");
        }

        if (cash > ReportableCash)
        {
            confirm.Add($"Cash of {cash} is over {ReportableCash}: the city must report it to the IRS on Form 8300 within 15 days. Record the payer's name, address and taxpayer id.");
        }

        return confirm;
    }
}
