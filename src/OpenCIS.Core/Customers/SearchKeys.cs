namespace OpenCIS.Core.Customers;

/// <summary>
/// The forms in which contact details are stored for search, so that what a clerk types finds what was keyed
/// however either was punctuated: a phone as its digits (a leading country code 1 dropped from an 11-digit
/// number), an e-mail address trimmed and in lower case.
/// </summary>
public static class SearchKeys
{
    public const int PhoneDigitsLength = 20;
    public const int EmailLength = 254;

    /// <summary>"(541) 555-0101", "541.555.0101", "+1 541 555 0101" and "541-555-0101 x23" all give "5415550101"; no digit at all gives null.</summary>
    public static string? PhoneDigits(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        // The digits up to the first letter: "541-555-0101 ext. 23" is the number 5415550101 and its extension.
        var digits = new string([.. phone.TakeWhile(c => !char.IsLetter(c)).Where(char.IsAsciiDigit)]);
        if (digits.Length == 11 && digits[0] == '1')
        {
            digits = digits[1..];
        }

        return digits.Length == 0 ? null : digits[..Math.Min(digits.Length, PhoneDigitsLength)];
    }

    public static string? Email(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var key = email.Trim().ToLowerInvariant();
        return key.Length > EmailLength ? key[..EmailLength] : key;
    }
}
