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
    public const int NameLength = 200;
    public const int AddressLength = 200;

    /// <summary>
    /// A name as it is looked up: lower case, single-spaced; a person's surname first ("Aaron McClure" is
    /// "mcclure aaron"), so a clerk typing the surname, or the surname and the first name, finds it by prefix.
    /// </summary>
    public static string Name(string displayName, bool person)
    {
        var words = Words(displayName);
        if (person && words.Length > 1)
        {
            words = [words[^1], .. words[..^1]];
        }

        return Limit(string.Join(' ', words), NameLength);
    }

    /// <summary>What a clerk typed for a name, as the keys it may be a prefix of: as typed, and (for two words or more) with the last word first.</summary>
    public static IReadOnlyList<string> NameQueries(string typed)
    {
        var words = Words(typed);
        if (words.Length == 0)
        {
            return [];
        }

        var asTyped = string.Join(' ', words);
        return words.Length > 1 ? [asTyped, string.Join(' ', [words[^1], .. words[..^1]])] : [asTyped];
    }

    /// <summary>A street line as it is looked up: lower case, single-spaced ("1234 Oak St" is "1234 oak st").</summary>
    /// <summary>
    /// The keys that start with <paramref name="prefix"/>, as the range [From, To) an index can seek (a LIKE 'x%' would
    /// read every row).
    /// </summary>
    public static (string From, string To) PrefixRange(string prefix) => (prefix, prefix[..^1] + (char)(prefix[^1] + 1));

    public static string Address(string line) => Limit(string.Join(' ', Words(line)), AddressLength);

    private static string[] Words(string text) =>
        (text ?? "").ToLowerInvariant().Replace(",", " ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Limit(string text, int length) => text.Length > length ? text[..length] : text;

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
