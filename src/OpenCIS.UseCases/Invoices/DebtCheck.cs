using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Invoices;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Invoices;
using OpenCIS.UseCases.Encryption;

namespace OpenCIS.UseCases.Invoices;

/// <summary>How a debt check looks a debtor up.</summary>
public enum DebtCheckBy
{
    Name,
    TaxId,
    Address,
    Parcel,
}

/// <summary>
/// One thing a debtor owes the city: a utility account's balance (active or final), or an open invoice; with the last day
/// it is collectible by suit (the statute of limitations from its oldest due date or last payment).
/// </summary>
public sealed record DebtView(string Kind, string Reference, string Description, string Status, Money Owed, Money PastDue, DateOnly? OldestDueOn, DateOnly? CollectibleUntil = null);

/// <summary>A bankruptcy case covering one of a debtor's accounts, and where it stands.</summary>
public sealed record DebtorBankruptcy(string CaseNumber, string Description, string Status);

/// <summary>A person or business found, with everything they owe the city and any bankruptcy case of theirs.</summary>
public sealed record DebtorView(long CustomerId, string Name, string MaskedIdentity, string MailingAddress, IReadOnlyList<DebtView> Debts, IReadOnlyList<DebtorBankruptcy>? Bankruptcies = null)
{
    public Money Owed => Money.Sum(Debts.Select(d => d.Owed));

    public Money PastDue => Money.Sum(Debts.Select(d => d.PastDue));
}

/// <summary>What a debt check found, and its number in the log of checks.</summary>
public sealed record DebtCheckResult(long CheckId, DebtCheckBy By, string Query, DateOnly AsOf, IReadOnlyList<DebtorView> Debtors, IReadOnlyList<HoldView> Holds)
{
    /// <summary>Whether a hold blocks a permit or licence for those found (or the parcel looked up).</summary>
    public bool Held => Holds.Any(h => h.Blocks);

    public Money Owed => Money.Sum(Debtors.Select(d => d.Owed));

    public bool OwesTheCity => Owed.IsPositive;
}

/// <summary>
/// The city-wide debt check: does this person or business owe the city? Found by name (as typed or surname first),
/// by tax id or SSN (its keyed hash; never compared in clear), by address (a mailing address or a service address), or
/// by parcel (the accounts at its premises and the invoices for it); each debtor with every utility account balance it
/// is the main customer of, active or final, and every open invoice. Each check is logged: who asked, how, what was
/// found (a tax id only by its last four digits).
/// </summary>
public sealed class DebtCheck(OpenCisDbContext db, FieldProtector protector, BusinessCalendar calendar, TimeProvider clock, HoldBook holds, Receivables.StatuteOptions statute)
{
    public const int DebtorsMax = 50;

    public async Task<DebtCheckResult> ExecuteAsync(DebtCheckBy by, string? query, string user, string source, CancellationToken cancellationToken = default)
    {
        var text = query?.Trim() ?? "";
        if (text.Length < 2)
        {
            throw new DomainException("Give at least two characters to look up.", "query");
        }

        // One connection for the whole check: taken from the pool once, and reset once on its return, not at every read.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var (customerIds, logged) = by switch
            {
                DebtCheckBy.Name => (await ByNameAsync(text, cancellationToken), text),
                DebtCheckBy.TaxId => await ByIdentityAsync(text, cancellationToken),
                DebtCheckBy.Address => (await ByAddressAsync(text, cancellationToken), text),
                DebtCheckBy.Parcel => (await ByParcelAsync(text.ToUpperInvariant(), cancellationToken), text.ToUpperInvariant()),
                _ => throw new DomainException($"'{by}' is not a way to look up: name, taxId, address or parcel.", "by"),
            };
            var today = calendar.Today();
            var parcel = by == DebtCheckBy.Parcel ? logged : null;
            var (debtors, anyHold) = await DebtorsAsync(customerIds, parcel, today, cancellationToken);
            var log = new DebtCheckRow
            {
                CheckedBy = user,
                CheckedAt = clock.GetUtcNow(),
                LookedUpBy = by.ToString(),
                Query = logged.Length <= 200 ? logged : logged[..200],
                Source = source,
                DebtorsFound = debtors.Count,
                OwedCents = debtors.Sum(d => d.Owed.Cents),
            };
            db.DebtChecks.Add(log);
            await db.SaveChangesAsync(cancellationToken);
            // The holds are read (and any expired or satisfied released) only when the debtors' read found one not yet released.
            var blocking = anyHold
                ? await holds.ForAsync([.. debtors.Select(d => d.CustomerId)], parcel is null ? [] : [parcel], blockingOnly: true, cancellationToken)
                : [];
            return new DebtCheckResult(log.Id, by, logged, today, debtors, blocking);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<List<long>> ByNameAsync(string text, CancellationToken cancellationToken) =>
        // Ordered by the name key the ranges read, so the database walks the matching names only: ordered by id, PostgreSQL
        // walks the primary key instead when it expects many matches, and a common surname of late customers reads the table.
        await Parties.Named(db, text).OrderBy(c => c.NameKey).ThenBy(c => c.Id).Select(c => c.Id).Take(DebtorsMax).ToListAsync(cancellationToken);

    private async Task<(List<long> Ids, string Logged)> ByIdentityAsync(string text, CancellationToken cancellationToken)
    {
        var digits = IdentityNumbers.Normalize(text) ?? throw new DomainException("An SSN or tax id has nine digits, written like 123-45-6789 or 12-3456789.", "query");
        var hash = protector.Hash(digits);
        return (await db.Customers.Where(c => c.IdentityHash == hash).OrderBy(c => c.Id).Select(c => c.Id).Take(DebtorsMax).ToListAsync(cancellationToken),
            $"***-**-{IdentityNumbers.LastFour(digits)}");
    }

    private async Task<List<long>> ByAddressAsync(string text, CancellationToken cancellationToken)
    {
        var key = SearchKeys.Address(text);
        var mailing = await db.Customers.Where(c => c.MailingLine1.ToLower().StartsWith(key)).OrderBy(c => c.Id).Select(c => c.Id).Take(DebtorsMax).ToListAsync(cancellationToken);
        var premises = db.Premises.Where(p => p.AddressKey.StartsWith(key)).Select(p => (long?)p.Id);
        var served = await AccountHoldersAsync(db.Accounts.Where(a => premises.Contains(a.PremiseId)).Select(a => a.Id), cancellationToken);
        return [.. mailing.Concat(served).Distinct().Take(DebtorsMax)];
    }

    private async Task<List<long>> ByParcelAsync(string parcel, CancellationToken cancellationToken)
    {
        var premises = db.Premises.Where(p => p.ParcelId == parcel).Select(p => (long?)p.Id);
        var served = await AccountHoldersAsync(db.Accounts.Where(a => premises.Contains(a.PremiseId)).Select(a => a.Id), cancellationToken);
        var invoiced = await db.Invoices.Where(i => i.ParcelId == parcel).Select(i => i.CustomerId).Distinct().ToListAsync(cancellationToken);
        var owners = await db.Premises.Where(p => p.ParcelId == parcel).Select(p => p.OwnerOfRecord).Distinct().ToListAsync(cancellationToken);
        var ownerKeys = owners.Where(o => o.Length > 0).SelectMany(o => new[] { SearchKeys.Name(o, true), SearchKeys.Name(o, false) }).Distinct().ToList();
        var named = await db.Customers.Where(c => ownerKeys.Contains(c.NameKey)).Select(c => c.Id).ToListAsync(cancellationToken);
        return [.. served.Concat(invoiced).Concat(named).Distinct().Take(DebtorsMax)];
    }

    /// <summary>The main customers and owners of the accounts.</summary>
    private async Task<List<long>> AccountHoldersAsync(IQueryable<long> accountIds, CancellationToken cancellationToken) =>
        await db.AccountCustomers.Where(ac => accountIds.Contains(ac.AccountId) && (ac.Role == AccountRole.Main || ac.Role == AccountRole.Owner))
            .Select(ac => ac.CustomerId).Distinct().Take(DebtorsMax).ToListAsync(cancellationToken);

    private async Task<(List<DebtorView> Debtors, bool AnyHold)> DebtorsAsync(List<long> customerIds, string? parcel, DateOnly today, CancellationToken cancellationToken)
    {
        if (customerIds.Count == 0)
        {
            // No one found: only the parcel looked up can be held.
            return ([], parcel is not null);
        }

        // In one round trip: a check is asked hundreds of times a minute at the permit counters.
        var facts = await DebtCheckReader.ReadAsync(db, customerIds, parcel, cancellationToken);
        var customers = facts.Debtors;
        var open = facts.Open.ToLookup(o => o.AccountId);
        var invoices = facts.Invoices.ToDictionary(i => i.TransactionId);
        var lateCharges = facts.LateChargeInvoices;
        // A lien secures part of an account's balance (it is not a debt of its own): the account's debt names it.
        var liens = facts.Liens.GroupBy(l => l.AccountId).ToDictionary(g => g.Key, g => g.OrderBy(l => l.Id).Last());

        var debtors = new List<DebtorView>();
        foreach (var customer in customers.OrderBy(c => c.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Id))
        {
            var debts = new List<DebtView>();
            var accounts = facts.Accounts.Where(a => a.CustomerId == customer.Id).DistinctBy(a => a.AccountId).OrderBy(a => a.AccountNumber, StringComparer.Ordinal).ToList();
            foreach (var account in accounts)
            {
                var items = open[account.AccountId].ToList();
                DateOnly? LastPaid() => facts.LastPaid.TryGetValue(account.AccountId, out var on) ? on : null;
                if (account.PremiseId is { } premiseId)
                {
                    var owed = Money.FromCents(items.Sum(o => o.OpenCents));
                    if (owed.IsPositive)
                    {
                        var pastDue = Money.FromCents(items.Where(o => o.OpenCents > 0 && o.DueOn < today).Sum(o => o.OpenCents));
                        var oldest = items.Where(o => o.OpenCents > 0).Select(o => (DateOnly?)o.DueOn).Min();
                        var address = facts.PremiseAddresses[premiseId];
                        var (description, status) = liens.TryGetValue(account.AccountId, out var lien)
                            ? ($"{address}; lien {lien.Number} on parcel {lien.ParcelId}", $"{Words(account.Status)}, lien {Core.Liens.PremiseLiens.Words(lien.Status)}")
                            : (address, Words(account.Status));
                        debts.Add(new DebtView("Utility account", account.AccountNumber, description, status, owed, Money.Min(pastDue, owed), oldest,
                            oldest is { } due ? statute.Until(due, LastPaid()) : null));
                    }

                    continue;
                }

                // An invoice's late charge (its own charge on the account) is owed with the invoice.
                var charged = items.Where(o => o.OpenCents > 0 && lateCharges.ContainsKey(o.TransactionId))
                    .ToLookup(o => lateCharges[o.TransactionId], o => o.OpenCents);
                var invoiceOpen = items.Where(o => o.OpenCents > 0 && invoices.ContainsKey(o.TransactionId)).ToList();
                foreach (var item in invoiceOpen.OrderBy(o => o.DueOn))
                {
                    var invoice = invoices[item.TransactionId];
                    var unpaid = Money.FromCents(item.OpenCents);
                    var late = Money.FromCents(charged[invoice.Id].Sum());
                    var owed = unpaid + late;
                    var standing = InvoiceStandings.Of(Money.FromCents(invoice.AmountCents), unpaid, invoice.DueOn, today);
                    debts.Add(new DebtView("Invoice", invoice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        $"{invoice.TypeName}{(invoice.Reference is { } r ? $" {r}" : "")}{(invoice.ParcelId is { } p ? $", parcel {p}" : "")}{(late.IsPositive ? $", with its late charge of {late}" : "")}",
                        standing == InvoiceStanding.PastDue ? "Past due" : standing == InvoiceStanding.PartlyPaid ? "Partly paid" : "Open",
                        owed, invoice.DueOn < today ? owed : late, invoice.DueOn, statute.Until(invoice.DueOn, LastPaid())));
                }

                // A late charge left open once its invoice is paid.
                var stillOpen = invoiceOpen.Select(o => invoices[o.TransactionId].Id).ToHashSet();
                foreach (var left in charged.Where(g => !stillOpen.Contains(g.Key)).OrderBy(g => g.Key))
                {
                    var owed = Money.FromCents(left.Sum());
                    debts.Add(new DebtView("Invoice late charge", left.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), $"Late charge of invoice {left.Key}", "Past due",
                        owed, owed, null));
                }
            }

            var accountsOf = accounts.Select(a => a.AccountId).ToHashSet();
            var cases = facts.Cases.Where(b => accountsOf.Contains(b.AccountId)).ToList();
            foreach (var claim in cases.Where(b => b.ClaimOpenCents > 0))
            {
                // The pre-petition balance, owed to the city but not collectible while the stay lasts.
                debts.Add(new DebtView("Bankruptcy claim", claim.CaseNumber,
                    $"Pre-petition balance of account {accounts.First(a => a.AccountId == claim.AccountId).AccountNumber}, {Core.Bankruptcy.Bankruptcies.Describe(claim.Chapter, claim.CaseNumber, claim.Court, claim.PetitionDate)}",
                    "Stayed", Money.FromCents(claim.ClaimOpenCents), Money.Zero, claim.ClaimOldestDue));
            }

            var caseStatus = cases.GroupBy(b => b.CaseNumber).Select(g => g.First())
                .Select(b => new DebtorBankruptcy(b.CaseNumber, Core.Bankruptcy.Bankruptcies.Describe(b.Chapter, b.CaseNumber, b.Court, b.PetitionDate),
                    b.Status == Core.Bankruptcy.BankruptcyStatus.Open ? "Open: automatic stay in force" : $"{b.Status} {b.ClosedOn:yyyy-MM-dd}"))
                .ToList();
            debtors.Add(new DebtorView(customer.Id, customer.DisplayName, customer.MaskedIdentity,
                customer.MailingAddress, debts, caseStatus));
        }

        return (debtors, facts.AnyHoldOnBooks);
    }

    private static string Words(AccountStatus status) => status switch
    {
        AccountStatus.FinalBilled => "Final billed",
        _ => status.ToString(),
    };
}
