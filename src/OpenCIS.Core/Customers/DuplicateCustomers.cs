namespace OpenCIS.Core.Customers;

/// <summary>Why an existing customer may be the one applying: the strongest reason first.</summary>
public enum DuplicateReason
{
    /// <summary>The same SSN or tax id (compared by its keyed hash; the number itself is never compared in clear).</summary>
    IdentityNumber,

    /// <summary>The same name, ignoring case, spacing and punctuation, and the same date of birth.</summary>
    NameAndBirthDate,

    /// <summary>The same phone number, whatever its punctuation.</summary>
    Phone,

    /// <summary>The same e-mail address, whatever its case or surrounding spaces.</summary>
    Email,
}

/// <summary>What duplicate detection knows of a customer (on file, or applying): its comparison keys only.</summary>
public sealed record CustomerKeys(string NameKey, DateOnly? BirthDate, string? IdentityHash, string? PhoneDigits, string? EmailKey)
{
    /// <summary>The keys of a customer as entered: a person's name surname first, like search.</summary>
    public static CustomerKeys Of(string displayName, bool person, DateOnly? birthDate, string? identityHash, string? phone, string? email) =>
        new(DuplicateCustomers.NameKey(displayName, person), birthDate, identityHash, SearchKeys.PhoneDigits(phone), SearchKeys.Email(email));
}

/// <summary>
/// Duplicate detection when a customer applies for service: an existing customer is the same one when they share
/// an identity number, a name with a date of birth, a phone number or an e-mail address. Names compare by
/// <see cref="NameKey"/>: letters and digits only, lower case, words in order, so "O'Brien, Mary-Ann" and
/// "obrien mary ann" are one name. A clerk sees the matches with their reasons and picks one, or says why none is
/// the applicant.
/// </summary>
public static class DuplicateCustomers
{
    /// <summary>A name as duplicate detection compares it: search's surname-first key without its punctuation.</summary>
    public static string NameKey(string displayName, bool person)
    {
        var name = displayName ?? "";
        // "O'Brien, Mary" is already surname first.
        var surnameFirst = person && name.Contains(',', StringComparison.Ordinal);
        var words = name
            .Split([' ', '\t', ',', '-', '/', '.'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string([.. w.Where(char.IsLetterOrDigit)]).ToLowerInvariant())
            .Where(w => w.Length > 0)
            .ToArray();
        return SearchKeys.Name(string.Join(' ', words), person && !surnameFirst).Replace(" ", "", StringComparison.Ordinal);
    }

    /// <summary>The reasons an existing customer matches one applying, strongest first; empty when none.</summary>
    public static IReadOnlyList<DuplicateReason> Reasons(CustomerKeys applying, CustomerKeys existing)
    {
        var reasons = new List<DuplicateReason>(4);
        if (applying.IdentityHash is { Length: > 0 } hash && hash == existing.IdentityHash)
        {
            reasons.Add(DuplicateReason.IdentityNumber);
        }

        if (applying.BirthDate is { } born && born == existing.BirthDate && applying.NameKey.Length > 0 && applying.NameKey == existing.NameKey)
        {
            reasons.Add(DuplicateReason.NameAndBirthDate);
        }

        if (applying.PhoneDigits is { Length: >= 7 } phone && phone == existing.PhoneDigits)
        {
            reasons.Add(DuplicateReason.Phone);
        }

        if (applying.EmailKey is { Length: > 0 } email && email == existing.EmailKey)
        {
            reasons.Add(DuplicateReason.Email);
        }

        return reasons;
    }

    /// <summary>How a reason reads to a clerk.</summary>
    public static string Describe(DuplicateReason reason) => reason switch
    {
        DuplicateReason.IdentityNumber => "same SSN or tax id",
        DuplicateReason.NameAndBirthDate => "same name and date of birth",
        DuplicateReason.Phone => "same phone",
        DuplicateReason.Email => "same e-mail",
        _ => reason.ToString(),
    };
}
