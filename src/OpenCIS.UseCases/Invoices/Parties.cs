using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Encryption;

namespace OpenCIS.UseCases.Invoices;

/// <summary>
/// The people and businesses who owe the city by invoice. A party is a customer (the same record a utility account
/// names, so a debt check finds both); what it owes by invoice is on its city receivables account, an account with no
/// premise opened the first time it is invoiced.
/// </summary>
internal static class Parties
{
    /// <summary>
    /// The customer an invoice is for: the one named by id, or the new party as keyed. A new party with the identity
    /// number of a customer on file, or the same name and date of birth, or the same name at the same mailing address
    /// and ZIP, is that customer: a city system sending the same debtor twice does not make two.
    /// </summary>
    public static async Task<Customer> ResolveAsync(OpenCisDbContext db, FieldProtector protector, long? customerId, ApplyingCustomer? party, DateTimeOffset now,
        CancellationToken cancellationToken, string prefix = "")
    {
        if (customerId is { } id)
        {
            return await db.Customers.SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
                ?? throw new DomainException($"There is no customer {id}.", prefix + "customerId");
        }

        if (party is null)
        {
            throw new DomainException("Choose the party, or enter the new party's name and mailing address.", prefix + "party");
        }

        var (name, line1, city, state, zip, digits) = Check(party, now, prefix);
        var person = party.Kind == CustomerKind.Person;
        var nameKey = SearchKeys.Name(name, person);
        if (digits is not null)
        {
            var hash = protector.Hash(digits);
            if (await db.Customers.FirstOrDefaultAsync(c => c.IdentityHash == hash, cancellationToken) is { } same)
            {
                return same;
            }
        }

        if (party.BirthDate is { } born
            && await db.Customers.Where(c => c.BirthDate == born && c.NameKey == nameKey).OrderBy(c => c.Id).FirstOrDefaultAsync(cancellationToken) is { } bornSame)
        {
            return bornSame;
        }

        var atAddress = await db.Customers.Where(c => c.NameKey == nameKey && c.MailingZip == zip).ToListAsync(cancellationToken);
        if (atAddress.Where(c => string.Equals(c.MailingLine1, line1, StringComparison.OrdinalIgnoreCase)).OrderBy(c => c.Id).FirstOrDefault() is { } sameAddress)
        {
            return sameAddress;
        }

        var created = Customer.Create(party.Kind, name, Blank(party.Email), Blank(party.Phone), line1, city, state, zip, now);
        if (digits is not null)
        {
            created.SetIdentityNumber(party.IdentityKind ?? (person ? IdentityNumberKind.Ssn : IdentityNumberKind.TaxId),
                protector.Protect(digits), IdentityNumbers.LastFour(digits), protector.Hash(digits));
        }

        if (party.BirthDate is { } birth)
        {
            created.RecordIdentification(birth, null);
        }

        db.Customers.Add(created);
        return created;
    }

    /// <summary>
    /// A new party's details checked and trimmed: a name, a mailing address an invoice can be mailed to, a nine-digit
    /// identity number if any, a date of birth if any. Each refusal names its field (after <paramref name="prefix"/>).
    /// </summary>
    public static (string Name, string Line1, string City, string State, string Zip, string? IdentityDigits) Check(ApplyingCustomer party, DateTimeOffset now, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(party);
        var name = party.DisplayName?.Trim() ?? "";
        if (name.Length is 0 or > 200)
        {
            throw new DomainException("Enter the party's name (at most 200 characters).", prefix + "name");
        }

        var line1 = party.MailingLine1?.Trim() ?? "";
        var city = party.MailingCity?.Trim() ?? "";
        var state = party.MailingState?.Trim().ToUpperInvariant() ?? "";
        var zip = party.MailingZip?.Trim() ?? "";
        if (line1.Length is 0 or > 200)
        {
            throw new DomainException("Enter the party's mailing address: an invoice is mailed.", prefix + "line1");
        }

        if (city.Length is 0 or > 100)
        {
            throw new DomainException("Enter the mailing address's city.", prefix + "city");
        }

        if (state.Length != 2 || !state.All(char.IsAsciiLetter))
        {
            throw new DomainException($"'{party.MailingState}' is not a two-letter state.", prefix + "state");
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(zip, @"^\d{5}(-\d{4})?$"))
        {
            throw new DomainException($"'{party.MailingZip}' is not a ZIP code (12345 or 12345-6789).", prefix + "zip");
        }

        string? digits = null;
        if (!string.IsNullOrWhiteSpace(party.IdentityNumber))
        {
            digits = IdentityNumbers.Normalize(party.IdentityNumber)
                ?? throw new DomainException("An SSN or tax id has nine digits, written like 123-45-6789 or 12-3456789.", prefix + "identityNumber");
        }

        if (party.BirthDate is { } birth && (birth > DateOnly.FromDateTime(now.UtcDateTime) || birth < new DateOnly(1900, 1, 1)))
        {
            throw new DomainException($"{birth:yyyy-MM-dd} is not a date of birth.", prefix + "birthDate");
        }

        return (name, line1, city, state, zip, digits);
    }

    /// <summary>The customers whose name key starts with what was typed, as typed or surname first (the invoice list's party search and the debt check).</summary>
    public static IQueryable<Customer> Named(OpenCisDbContext db, string text)
    {
        var queries = SearchKeys.NameQueries(text);
        var first = queries.Count > 0 ? queries[0] : text.Trim().ToLowerInvariant();
        var second = queries.Count > 1 ? queries[1] : first;
        if (first.Length == 0)
        {
            return db.Customers.Where(c => false);
        }

        // Prefixes as ranges of the name key's index (a LIKE 'x%' would read every customer).
        var (from1, to1) = SearchKeys.PrefixRange(first);
        var (from2, to2) = SearchKeys.PrefixRange(second.Length == 0 ? first : second);
        return db.Customers.Where(c => (string.Compare(c.NameKey, from1) >= 0 && string.Compare(c.NameKey, to1) < 0)
            || (string.Compare(c.NameKey, from2) >= 0 && string.Compare(c.NameKey, to2) < 0));
    }


    /// <summary>The party's city receivables account, opened (and saved, for its id) when it has none.</summary>
    public static async Task<Account> ReceivablesAccountAsync(OpenCisDbContext db, Customer party, DateOnly today, CancellationToken cancellationToken)
    {
        if (party.Id != 0)
        {
            var existing = await db.AccountCustomers.Where(ac => ac.CustomerId == party.Id && ac.Role == AccountRole.Main)
                .Join(db.Accounts.Where(a => a.PremiseId == null), ac => ac.AccountId, a => a.Id, (ac, a) => a)
                .OrderBy(a => a.Id).FirstOrDefaultAsync(cancellationToken);
            if (existing is not null)
            {
                return existing;
            }
        }

        var account = Account.OpenForReceivables(await StartService.NextAccountNumberAsync(db, cancellationToken),
            party.Kind == CustomerKind.Business ? AccountClass.Commercial : AccountClass.Residential, today);
        db.Accounts.Add(account);
        await db.SaveChangesAsync(cancellationToken);
        db.AccountCustomers.Add(new AccountCustomer { AccountId = account.Id, CustomerId = party.Id, Role = AccountRole.Main, StartedOn = today });
        return account;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
