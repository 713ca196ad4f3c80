using OpenCIS.UseCases.Encryption;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;

namespace OpenCIS.UseCases.Customers;

/// <summary>A customer applying for service, as the clerk keyed them.</summary>
public sealed record ApplyingCustomer(
    CustomerKind Kind,
    string DisplayName,
    DateOnly? BirthDate,
    IdentityNumberKind? IdentityKind,
    string? IdentityNumber,
    string? Phone,
    string? Email,
    string? MailingLine1 = null,
    string? MailingCity = null,
    string? MailingState = null,
    string? MailingZip = null);

/// <summary>An existing customer who may be the one applying, with why, and what they owe on final-billed accounts.</summary>
public sealed record CustomerMatch(long CustomerId, string DisplayName, string MaskedIdentity, string? Phone, string? Email, IReadOnlyList<string> Reasons,
    IReadOnlyList<string> AccountNumbers, long UnpaidFinalCents);

/// <summary>
/// Duplicate detection for start service: looks up existing customers by the applicant's identity number (its keyed
/// hash), date of birth (then the name, compared by <see cref="DuplicateCustomers.NameKey"/>), phone digits and
/// e-mail, each by its index, and says why each matches (<see cref="DuplicateCustomers.Reasons"/>).
/// </summary>
public sealed class CustomerMatches(OpenCisDbContext db, FieldProtector protector)
{
    public const int MatchesMax = 10;

    public async Task<IReadOnlyList<CustomerMatch>> FindAsync(ApplyingCustomer applying, CancellationToken cancellationToken = default)
    {
        var keys = KeysOf(applying);
        var candidates = new List<Customer>();
        async Task AddAsync(IQueryable<Customer> query) => candidates.AddRange(await query.AsNoTracking().Take(50).ToListAsync(cancellationToken));
        if (keys.IdentityHash is { } hash)
        {
            await AddAsync(db.Customers.Where(c => c.IdentityHash == hash));
        }

        if (keys.BirthDate is { } born)
        {
            await AddAsync(db.Customers.Where(c => c.BirthDate == born));
        }

        if (keys.PhoneDigits is { Length: >= 7 } phone)
        {
            await AddAsync(db.Customers.Where(c => c.PhoneDigits == phone));
        }

        if (keys.EmailKey is { } email)
        {
            await AddAsync(db.Customers.Where(c => c.EmailKey == email));
        }

        var matches = candidates.DistinctBy(c => c.Id)
            .Select(c => (Customer: c, Reasons: DuplicateCustomers.Reasons(keys, new CustomerKeys(DuplicateCustomers.NameKey(c.DisplayName, c.Kind == CustomerKind.Person), c.BirthDate, c.IdentityHash, c.PhoneDigits, c.EmailKey))))
            .Where(m => m.Reasons.Count > 0)
            .OrderBy(m => m.Reasons.Min()).ThenBy(m => m.Customer.Id)
            .Take(MatchesMax)
            .ToList();
        if (matches.Count == 0)
        {
            return [];
        }

        var ids = matches.Select(m => m.Customer.Id).ToList();
        var accounts = await db.AccountCustomers.AsNoTracking().Where(ac => ids.Contains(ac.CustomerId) && ac.Role == AccountRole.Main)
            .Join(db.Accounts, ac => ac.AccountId, a => a.Id, (ac, a) => new { ac.CustomerId, a.Id, a.AccountNumber, a.Status })
            .ToListAsync(cancellationToken);
        var unpaid = await UnpaidFinalAsync(db, [.. accounts.Where(a => a.Status == AccountStatus.FinalBilled).Select(a => a.Id)], cancellationToken);
        return [.. matches.Select(m => new CustomerMatch(m.Customer.Id, m.Customer.DisplayName, m.Customer.MaskedIdentity, m.Customer.Phone, m.Customer.Email,
            [.. m.Reasons.Select(DuplicateCustomers.Describe)],
            [.. accounts.Where(a => a.CustomerId == m.Customer.Id).OrderBy(a => a.AccountNumber).Select(a => a.AccountNumber)],
            accounts.Where(a => a.CustomerId == m.Customer.Id).Sum(a => unpaid.GetValueOrDefault(a.Id))))];
    }

    public CustomerKeys KeysOf(ApplyingCustomer applying)
    {
        var digits = IdentityNumbers.Normalize(applying.IdentityNumber);
        return CustomerKeys.Of(applying.DisplayName, applying.Kind == CustomerKind.Person, applying.BirthDate, digits is null ? null : protector.Hash(digits), applying.Phone, applying.Email);
    }

    /// <summary>The balance owed on each of these accounts (final-billed ones, for the debt check); only those owing appear.</summary>
    public static async Task<Dictionary<long, long>> UnpaidFinalAsync(OpenCisDbContext db, IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken)
    {
        if (accountIds.Count == 0)
        {
            return [];
        }

        return (await db.OpenItems.AsNoTracking().Where(o => accountIds.Contains(o.AccountId))
                .GroupBy(o => o.AccountId).Select(g => new { g.Key, Cents = g.Sum(o => o.OpenCents) })
                .ToListAsync(cancellationToken))
            .Where(x => x.Cents > 0).ToDictionary(x => x.Key, x => x.Cents);
    }
}
