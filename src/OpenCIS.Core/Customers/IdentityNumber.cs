namespace OpenCIS.Core.Customers;

/// <summary>The kind of identity number a customer has on file.</summary>
public enum IdentityNumberKind
{
    Ssn,
    TaxId,
}

/// <summary>Validation and masking of identity numbers. Storage encrypts them; this only decides what is shown.</summary>
public static class IdentityNumbers
{
    /// <summary>Normalises "123-45-6789" to nine digits; anything else is not a valid SSN or EIN.</summary>
    public static string? Normalize(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        return digits.Length == 9 && text.All(c => char.IsAsciiDigit(c) || c is '-' or ' ') ? digits : null;
    }

    public static string LastFour(string digits) => digits[^4..];

    public static string Masked(IdentityNumberKind kind, string lastFour) =>
        kind == IdentityNumberKind.Ssn ? $"***-**-{lastFour}" : $"**-***{lastFour}";

    public static string Formatted(IdentityNumberKind kind, string digits) =>
        kind == IdentityNumberKind.Ssn ? $"{digits[..3]}-{digits[3..5]}-{digits[5..]}" : $"{digits[..2]}-{digits[2..]}";
}
