namespace OpenCIS.Core.Customers;

/// <summary>
/// Account numbers are seven digits of sequence and a Luhn (mod 10) check digit, so a mistyped
/// digit on the counter or a remittance stub is caught before it finds the wrong account.
/// </summary>
public static class AccountNumbers
{
    public static string Create(long sequence)
    {
        if (sequence is < 1 or > 9_999_999)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "Account sequence must be 1 to 9,999,999.");
        }

        var body = sequence.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
        return body + LuhnCheckDigit(body);
    }

    public static bool IsValid(string? accountNumber) =>
        accountNumber is { Length: 8 } && accountNumber.All(char.IsAsciiDigit) && LuhnCheckDigit(accountNumber[..7]) == accountNumber[7];

    public static char LuhnCheckDigit(string digits)
    {
        var sum = 0;
        var doubleIt = true;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var digit = digits[i] - '0';
            if (doubleIt)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
            doubleIt = !doubleIt;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }
}
