using System.Globalization;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;

namespace OpenCIS.Core.Billing;

/// <summary>
/// The remittance stub's scan line: what a lockbox or payment processor keys or scans back to
/// post a payment to the right account for the right bill. Thirty-seven digits in fixed fields,
/// printed in groups separated by spaces:
/// <code>
///  1- 8  account number (its own check digit included)
///  9-18  bill number, zero-filled
/// 19-28  amount due in cents, zero-filled (a credit balance asks for nothing: 0)
/// 29-36  due date, YYYYMMDD
///    37  mod-10 (Luhn) check digit over digits 1-36
/// </code>
/// The Luhn digit catches every single mistyped digit and most swaps of two neighbours, so a
/// keyed line that is wrong is refused instead of posting to another account.
/// </summary>
public sealed record ScanLine
{
    public const int DigitCount = 37;
    public const long MaxBillNumber = 9_999_999_999;
    public const long MaxAmountCents = 9_999_999_999;

    private ScanLine(string accountNumber, long billNumber, Money amountDue, DateOnly dueDate)
    {
        AccountNumber = accountNumber;
        BillNumber = billNumber;
        AmountDue = amountDue;
        DueDate = dueDate;
    }

    public string AccountNumber { get; }
    public long BillNumber { get; }

    /// <summary>What the stub asks for: the bill's amount due, or zero when the account is in credit.</summary>
    public Money AmountDue { get; }

    public DateOnly DueDate { get; }

    /// <summary>The 37 digits with no spaces.</summary>
    public string Digits
    {
        get
        {
            var body = Body(AccountNumber, BillNumber, AmountDue, DueDate);
            return body + AccountNumbers.LuhnCheckDigit(body);
        }
    }

    public char CheckDigit => Digits[DigitCount - 1];

    /// <summary>The line as printed: the fields in groups, "00000018 0000001234 0000012345 20261215 7".</summary>
    public override string ToString()
    {
        var digits = Digits;
        return string.Join(' ', digits[..8], digits[8..18], digits[18..28], digits[28..36], digits[36..]);
    }

    /// <summary>The scan line of a bill. A negative amount due (a credit) is printed as zero: there is nothing to remit.</summary>
    public static ScanLine For(string accountNumber, long billNumber, Money amountDue, DateOnly dueDate)
    {
        if (!AccountNumbers.IsValid(accountNumber))
        {
            throw new ArgumentException($"'{accountNumber}' is not a valid account number.", nameof(accountNumber));
        }

        if (billNumber is < 1 or > MaxBillNumber)
        {
            throw new ArgumentOutOfRangeException(nameof(billNumber), billNumber, "A bill number on a scan line is 1 to 9,999,999,999.");
        }

        var amount = Money.Max(amountDue, Money.Zero);
        if (amount.Cents > MaxAmountCents)
        {
            throw new ArgumentOutOfRangeException(nameof(amountDue), amountDue, "An amount due on a scan line is at most $99,999,999.99.");
        }

        return new ScanLine(accountNumber, billNumber, amount, dueDate);
    }

    /// <summary>Reads a keyed or scanned line (spaces allowed anywhere); refuses it, saying why, unless every check passes.</summary>
    public static ScanLine Parse(string text) =>
        TryParse(text, out var line, out var problem) ? line : throw new DomainException(problem, "scanLine");

    public static bool TryParse(string? text, out ScanLine line, out string problem)
    {
        line = null!;
        var digits = (text ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (digits.Length != DigitCount || !digits.All(char.IsAsciiDigit))
        {
            problem = $"A scan line is {DigitCount} digits; '{text}' is not.";
            return false;
        }

        if (AccountNumbers.LuhnCheckDigit(digits[..^1]) != digits[^1])
        {
            problem = $"Scan line '{text}' fails its check digit: a digit was misread or mistyped.";
            return false;
        }

        var accountNumber = digits[..8];
        if (!AccountNumbers.IsValid(accountNumber))
        {
            problem = $"Scan line '{text}' carries '{accountNumber}', which is not a valid account number.";
            return false;
        }

        var billNumber = long.Parse(digits[8..18], CultureInfo.InvariantCulture);
        if (billNumber < 1)
        {
            problem = $"Scan line '{text}' carries no bill number.";
            return false;
        }

        if (!DateOnly.TryParseExact(digits[28..36], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dueDate))
        {
            problem = $"Scan line '{text}' carries '{digits[28..36]}', which is not a due date.";
            return false;
        }

        line = new ScanLine(accountNumber, billNumber, Money.FromCents(long.Parse(digits[18..28], CultureInfo.InvariantCulture)), dueDate);
        problem = "";
        return true;
    }

    public static bool IsValid(string? text) => TryParse(text, out _, out _);

    private static string Body(string accountNumber, long billNumber, Money amountDue, DateOnly dueDate) =>
        accountNumber
        + billNumber.ToString("D10", CultureInfo.InvariantCulture)
        + amountDue.Cents.ToString("D10", CultureInfo.InvariantCulture)
        + dueDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
