namespace OpenCIS.Core.Payments;

/// <summary>
/// Full card numbers (PANs) never enter OpenCIS: a card payment carries the processor's token and the last
/// four digits only. Every field a person or a file can type a reference into is checked here, so a card
/// number pasted by mistake is refused before it reaches a payment, a suspense item or the audit trail.
/// </summary>
public static class CardNumbers
{
    public const string Refusal = "looks like a full card number; enter only the processor's token or the last four digits";

    /// <summary>
    /// True when the text holds a run of 13 to 19 digits (single spaces and dashes between them
    /// ignored) that passes the Luhn check digit every card number carries. Such text is refused
    /// anywhere in a reference rather than stored, whatever field it was typed into.
    /// </summary>
    public static bool LooksLikeCardNumber(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var run = new List<int>();
        foreach (var character in text)
        {
            if (char.IsAsciiDigit(character))
            {
                run.Add(character - '0');
            }
            else if (character is not (' ' or '-'))
            {
                if (PassesLuhn(run))
                {
                    return true;
                }

                run.Clear();
            }
        }

        return PassesLuhn(run);
    }

    /// <summary>
    /// Stricter, for a field that legitimately holds long digit strings (a bank account number): the
    /// digits must also start as a card brand's numbers do (Visa 4, Mastercard 51-55 and 2221-2720,
    /// American Express 34 and 37, Discover 6011, 644-649 and 65) at that brand's length. A bank
    /// account that happens to pass Luhn is still accepted unless it also looks like a card this way.
    /// </summary>
    public static bool IsCardNumber(string? text)
    {
        var digits = new string((text ?? "").Where(c => c is not (' ' or '-')).ToArray());
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit) || !PassesLuhn([.. digits.Select(c => c - '0')]))
        {
            return false;
        }

        int Prefix(int length) => int.Parse(digits.AsSpan(0, length), System.Globalization.CultureInfo.InvariantCulture);
        return digits.Length switch
        {
            16 or 19 when digits[0] == '4' => true,
            13 when digits[0] == '4' => true,
            16 when Prefix(2) is >= 51 and <= 55 || Prefix(4) is >= 2221 and <= 2720 => true,
            15 when Prefix(2) is 34 or 37 => true,
            16 or 19 when Prefix(4) == 6011 || Prefix(2) == 65 || Prefix(3) is >= 644 and <= 649 => true,
            _ => false,
        };
    }

    private static bool PassesLuhn(List<int> digits)
    {
        if (digits.Count is < 13 or > 19)
        {
            return false;
        }

        var sum = 0;
        for (var position = 0; position < digits.Count; position++)
        {
            var digit = digits[digits.Count - 1 - position];
            if (position % 2 == 1)
            {
                digit = digit * 2 > 9 ? (digit * 2) - 9 : digit * 2;
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }
}
