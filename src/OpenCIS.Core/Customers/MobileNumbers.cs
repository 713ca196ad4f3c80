namespace OpenCIS.Core.Customers;

/// <summary>
/// A mobile number as a text-message provider takes it, E.164 ("+15415550123"): a North American number keyed with or without
/// its country code and in any punctuation ("(541) 555-0123", "1-541-555-0123"), or an international one written with its "+".
/// </summary>
public static class MobileNumbers
{
    /// <summary>The number in E.164, or null when <paramref name="keyed"/> is no number a text can go to.</summary>
    public static string? Normalize(string? keyed)
    {
        var text = (keyed ?? "").Trim();
        if (text.Length is 0 or > 30 || text.Any(c => !(char.IsAsciiDigit(c) || c is ' ' or '-' or '.' or '(' or ')' or '+')) || text.LastIndexOf('+') > 0)
        {
            return null;
        }

        var digits = new string([.. text.Where(char.IsAsciiDigit)]);
        if (text.StartsWith('+'))
        {
            // E.164: a country code that does not start with 0, and 8 to 15 digits in all.
            return digits.Length is >= 8 and <= 15 && digits[0] != '0' && (digits[0] != '1' || NorthAmerican(digits[1..])) ? "+" + digits : null;
        }

        return digits.Length switch
        {
            10 when NorthAmerican(digits) => "+1" + digits,
            11 when digits[0] == '1' && NorthAmerican(digits[1..]) => "+" + digits,
            _ => null,
        };
    }

    /// <summary>The number as the customer reads it back, all but its last four digits hidden: "•••• 0123".</summary>
    public static string Masked(string e164) => "•••• " + e164[^4..];

    /// <summary>A North American number: ten digits whose area code and exchange start with 2 to 9.</summary>
    private static bool NorthAmerican(string digits) => digits.Length == 10 && digits[0] >= '2' && digits[3] >= '2';
}
