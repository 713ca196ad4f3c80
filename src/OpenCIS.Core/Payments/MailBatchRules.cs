using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Payments;

/// <summary>One stub of a mail batch as keyed: the scan line it carries, the check's amount and number.</summary>
public sealed record MailStub(ScanLine Line, Money AmountReceived, string? CheckNumber);

/// <summary>What has been keyed against the adding-machine tape's controls.</summary>
public sealed record MailBatchBalance(int ControlCount, Money ControlTotal, int KeyedCount, Money KeyedTotal)
{
    /// <summary>Keyed minus control: positive when more stubs were keyed than the tape counts.</summary>
    public int CountDifference => KeyedCount - ControlCount;

    /// <summary>Keyed minus control: positive when more money was keyed than the tape adds up to.</summary>
    public Money TotalDifference => KeyedTotal - ControlTotal;

    public bool Balances => CountDifference == 0 && TotalDifference.IsZero;
}

/// <summary>
/// The rules of a mail payment batch, apart from storage: a clerk runs the checks through an
/// adding machine (the control count and total), then keys or scans each stub's scan line. A line
/// that fails its check digit is refused at once, so a mistyped digit can never post money to
/// another account; the batch posts only when what was keyed agrees with the tape.
/// </summary>
public static class MailBatchRules
{
    /// <summary>A batch is one envelope tray: the limit keeps a batch a clerk can re-add by hand.</summary>
    public const int ItemsMax = 500;

    /// <summary>The same ceiling as a counter payment: larger receipts go through finance.</summary>
    public const long PaymentCentsMax = 100_000_000;

    public const int CheckNumberLengthMax = 20;

    public static void CheckControls(int controlCount, Money controlTotal)
    {
        if (controlCount is < 1 or > ItemsMax)
        {
            throw new DomainException($"The control count is the number of checks on the tape: 1 to {ItemsMax}.", "controlCount");
        }

        if (!controlTotal.IsPositive || controlTotal.Cents > PaymentCentsMax * ItemsMax)
        {
            throw new DomainException("The control total is the tape's total of the checks: more than zero.", "controlTotal");
        }
    }

    /// <summary>
    /// Reads a keyed stub. The scan line must pass its check digit; the amount received defaults to the
    /// amount due the line carries, and a clerk changes it when the check is for another amount.
    /// </summary>
    public static MailStub ReadStub(string? scanLine, Money? amountReceived, string? checkNumber)
    {
        if (!ScanLine.TryParse(scanLine, out var line, out var problem))
        {
            throw new DomainException(problem, "scanLine");
        }

        var amount = amountReceived ?? line.AmountDue;
        if (!amount.IsPositive)
        {
            throw new DomainException(
                amountReceived is null
                    ? $"The stub for account {line.AccountNumber} asks for nothing (the account is in credit); key the amount of the check."
                    : "The amount received must be more than zero.",
                "amount");
        }

        if (amount.Cents > PaymentCentsMax)
        {
            throw new DomainException($"A single mailed payment cannot exceed {Money.FromCents(PaymentCentsMax)}.", "amount");
        }

        var number = string.IsNullOrWhiteSpace(checkNumber) ? null : checkNumber.Trim();
        if (CardNumbers.LooksLikeCardNumber(number))
        {
            throw new DomainException($"The check number {CardNumbers.Refusal}.", "checkNumber");
        }

        if (number is { Length: > CheckNumberLengthMax })
        {
            throw new DomainException($"A check number can be at most {CheckNumberLengthMax} characters.", "checkNumber");
        }

        return new MailStub(line, amount, number);
    }

    public static MailBatchBalance Balance(int controlCount, Money controlTotal, IEnumerable<Money> keyed)
    {
        var amounts = keyed.ToList();
        return new MailBatchBalance(controlCount, controlTotal, amounts.Count, Money.Sum(amounts));
    }

    /// <summary>Refuses to post a batch that does not agree with its tape, saying by how much.</summary>
    public static void EnsureBalanced(MailBatchBalance balance)
    {
        ArgumentNullException.ThrowIfNull(balance);
        if (balance.Balances)
        {
            return;
        }

        var problems = new List<string>();
        if (balance.CountDifference != 0)
        {
            problems.Add($"{balance.KeyedCount} stubs keyed against a control count of {balance.ControlCount}");
        }

        if (!balance.TotalDifference.IsZero)
        {
            problems.Add($"{balance.KeyedTotal} keyed against a control total of {balance.ControlTotal} ({(balance.TotalDifference.IsPositive ? "over" : "short")} by {Money.FromCents(Math.Abs(balance.TotalDifference.Cents))})");
        }

        throw new DomainException($"The batch is out of balance: {string.Join("; ", problems)}. Nothing was posted.", "batch");
    }
}
