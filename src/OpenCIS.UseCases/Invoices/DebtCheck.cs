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

        var (customerIds, logged) = by switch
        {
            DebtCheckBy.Name => (await ByNameAsync(text, cancellationToken), text),
            DebtCheckBy.TaxId => await ByIdentityAsync(text, cancellationToken),
            DebtCheckBy.Address => (await ByAddressAsync(text, cancellationToken), text),
            DebtCheckBy.Parcel => (await ByParcelAsync(text.ToUpperInvariant(), cancellationToken), text.ToUpperInvariant()),
            _ => throw new DomainException($"'{by}' is not a way to look up: name, taxId, address or parcel.", "by"),
        };
        var today = calendar.Today();
        var debtors = await DebtorsAsync(customerIds, today, cancellationToken);
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
        var blocking = await holds.ForAsync([.. debtors.Select(d => d.CustomerId)], by == DebtCheckBy.Parcel ? [logged] : [], blockingOnly: true, cancellationToken);
        return new DebtCheckResult(log.Id, by, logged, today, debtors, blocking);
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

    private async Task<List<DebtorView>> DebtorsAsync(List<long> customerIds, DateOnly today, CancellationToken cancellationToken)
    {
        if (customerIds.Count == 0)
        {
            return [];
        }

        var customers = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToListAsync(cancellationToken);
        var links = await db.AccountCustomers.AsNoTracking().Where(ac => customerIds.Contains(ac.CustomerId) && ac.Role == AccountRole.Main)
            .Join(db.Accounts, ac => ac.AccountId, a => a.Id, (ac, a) => new { ac.CustomerId, Account = a }).ToListAsync(cancellationToken);
        var accountIds = links.Select(l => l.Account.Id).Distinct().ToList();
        // Only what is there to read: a check is asked hundreds of times a minute at the permit counters.
        var open = (accountIds.Count == 0 ? [] : await db.OpenItems.AsNoTracking().Where(o => accountIds.Contains(o.AccountId) && o.OpenCents != 0)
                .Select(o => new { o.AccountId, o.FinancialTransactionId, o.DueOn, o.OpenCents }).ToListAsync(cancellationToken))
            .ToLookup(o => o.AccountId);
        var premiseIds = links.Where(l => l.Account.PremiseId != null).Select(l => l.Account.PremiseId!.Value).Distinct().ToList();
        var premises = premiseIds.Count == 0 ? [] : await db.Premises.AsNoTracking().Where(p => premiseIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var receivables = links.Where(l => l.Account.PremiseId is null && open[l.Account.Id].Any()).Select(l => l.Account.Id).ToList();
        var invoiceRows = receivables.Count == 0 ? [] : await db.Invoices.AsNoTracking().Where(i => receivables.Contains(i.AccountId))
            .Join(db.InvoiceTypes, i => i.TypeCode, t => t.Code, (i, t) => new { Invoice = i, TypeName = t.Name }).ToListAsync(cancellationToken);
        var invoices = invoiceRows.ToDictionary(r => r.Invoice.FinancialTransactionId, r => r.Invoice);
        // An invoice's late charge (its own charge on the account) is owed with the invoice.
        var lateCharges = receivables.Count == 0 ? [] : await db.InvoiceLateCharges.AsNoTracking().Where(l => receivables.Contains(l.AccountId))
            .ToDictionaryAsync(l => l.FinancialTransactionId, l => l.InvoiceId, cancellationToken);
        var owing = accountIds.Where(id => open[id].Any(o => o.OpenCents > 0)).ToList();
        var lastPaid = owing.Count == 0 ? [] : await db.Payments.AsNoTracking().Where(p => owing.Contains(p.AccountId)).GroupBy(p => p.AccountId)
            .Select(g => new { AccountId = g.Key, Last = g.Max(p => p.ReceivedOn) }).ToDictionaryAsync(x => x.AccountId, x => (DateOnly?)x.Last, cancellationToken);
        var bankruptcies = accountIds.Count == 0 ? [] : await db.BankruptcyAccounts.AsNoTracking().Where(a => accountIds.Contains(a.AccountId))
            .Join(db.BankruptcyCases, a => a.CaseId, c => c.Id, (a, c) => new
            {
                a.AccountId, c.CaseNumber, c.Chapter, c.Court, c.PetitionDate, c.Status, c.ClosedOn,
                Open = db.BankruptcyClaims.Where(x => x.CaseAccountId == a.Id).Sum(x => x.OpenCents),
                Oldest = db.BankruptcyClaims.Where(x => x.CaseAccountId == a.Id && x.OpenCents > 0).Min(x => (DateOnly?)x.DueOn),
            })
            .ToListAsync(cancellationToken);
        var typeNames = invoiceRows.Select(r => (r.Invoice.TypeCode, r.TypeName)).Distinct().ToDictionary(r => r.TypeCode, r => r.TypeName);
        // A lien secures part of an account's balance (it is not a debt of its own): the account's debt names it.
        var liens = owing.Count == 0 ? [] : (await db.Liens.AsNoTracking()
                .Where(l => owing.Contains(l.AccountId) && (l.Status == Core.Liens.LienStatus.Noticed || l.Status == Core.Liens.LienStatus.Filed || l.Status == Core.Liens.LienStatus.PartlyPaid))
                .ToListAsync(cancellationToken))
            .GroupBy(l => l.AccountId).ToDictionary(g => g.Key, g => g.OrderBy(l => l.Id).Last());

        var debtors = new List<DebtorView>();
        foreach (var customer in customers.OrderBy(c => c.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Id))
        {
            var debts = new List<DebtView>();
            foreach (var account in links.Where(l => l.CustomerId == customer.Id).Select(l => l.Account).DistinctBy(a => a.Id).OrderBy(a => a.AccountNumber, StringComparer.Ordinal))
            {
                var items = open[account.Id].ToList();
                if (account.PremiseId is { } premiseId)
                {
                    var owed = Money.FromCents(items.Sum(o => o.OpenCents));
                    if (owed.IsPositive)
                    {
                        var pastDue = Money.FromCents(items.Where(o => o.OpenCents > 0 && o.DueOn < today).Sum(o => o.OpenCents));
                        var oldest = items.Where(o => o.OpenCents > 0).Select(o => (DateOnly?)o.DueOn).Min();
                        var (description, status) = liens.TryGetValue(account.Id, out var lien)
                            ? ($"{premises[premiseId].FullAddress}; lien {lien.Number} on parcel {lien.ParcelId}", $"{Words(account.Status)}, lien {Core.Liens.PremiseLiens.Words(lien.Status)}")
                            : (premises[premiseId].FullAddress, Words(account.Status));
                        debts.Add(new DebtView("Utility account", account.AccountNumber, description, status, owed, Money.Min(pastDue, owed), oldest,
                            oldest is { } due ? statute.Until(due, lastPaid.GetValueOrDefault(account.Id)) : null));
                    }

                    continue;
                }

                var charged = items.Where(o => o.OpenCents > 0 && lateCharges.ContainsKey(o.FinancialTransactionId))
                    .ToLookup(o => lateCharges[o.FinancialTransactionId], o => o.OpenCents);
                var invoiceOpen = items.Where(o => o.OpenCents > 0 && invoices.ContainsKey(o.FinancialTransactionId)).ToList();
                foreach (var item in invoiceOpen.OrderBy(o => o.DueOn))
                {
                    var invoice = invoices[item.FinancialTransactionId];
                    var unpaid = Money.FromCents(item.OpenCents);
                    var late = Money.FromCents(charged[invoice.Id].Sum());
                    var owed = unpaid + late;
                    var standing = InvoiceStandings.Of(Money.FromCents(invoice.AmountCents), unpaid, invoice.DueOn, today);
                    debts.Add(new DebtView("Invoice", invoice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        $"{typeNames.GetValueOrDefault(invoice.TypeCode, invoice.TypeCode)}{(invoice.Reference is { } r ? $" {r}" : "")}{(invoice.ParcelId is { } p ? $", parcel {p}" : "")}{(late.IsPositive ? $", with its late charge of {late}" : "")}",
                        standing == InvoiceStanding.PastDue ? "Past due" : standing == InvoiceStanding.PartlyPaid ? "Partly paid" : "Open",
                        owed, invoice.DueOn < today ? owed : late, invoice.DueOn, statute.Until(invoice.DueOn, lastPaid.GetValueOrDefault(account.Id))));
                }

                // A late charge left open once its invoice is paid.
                var stillOpen = invoiceOpen.Select(o => invoices[o.FinancialTransactionId].Id).ToHashSet();
                foreach (var left in charged.Where(g => !stillOpen.Contains(g.Key)).OrderBy(g => g.Key))
                {
                    var owed = Money.FromCents(left.Sum());
                    debts.Add(new DebtView("Invoice late charge", left.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), $"Late charge of invoice {left.Key}", "Past due",
                        owed, owed, null));
                }
            }

            var accountsOf = links.Where(l => l.CustomerId == customer.Id).Select(l => l.Account.Id).ToHashSet();
            var cases = bankruptcies.Where(b => accountsOf.Contains(b.AccountId)).ToList();
            foreach (var claim in cases.Where(b => b.Open > 0))
            {
                // The pre-petition balance, owed to the city but not collectible while the stay lasts.
                debts.Add(new DebtView("Bankruptcy claim", claim.CaseNumber,
                    $"Pre-petition balance of account {links.First(l => l.Account.Id == claim.AccountId).Account.AccountNumber}, {Core.Bankruptcy.Bankruptcies.Describe(claim.Chapter, claim.CaseNumber, claim.Court, claim.PetitionDate)}",
                    "Stayed", Money.FromCents(claim.Open), Money.Zero, claim.Oldest));
            }

            var caseStatus = cases.GroupBy(b => b.CaseNumber).Select(g => g.First())
                .Select(b => new DebtorBankruptcy(b.CaseNumber, Core.Bankruptcy.Bankruptcies.Describe(b.Chapter, b.CaseNumber, b.Court, b.PetitionDate),
                    b.Status == Core.Bankruptcy.BankruptcyStatus.Open ? "Open: automatic stay in force" : $"{b.Status} {b.ClosedOn:yyyy-MM-dd}"))
                .ToList();
            debtors.Add(new DebtorView(customer.Id, customer.DisplayName, customer.MaskedIdentity,
                customer.MailingAddress, debts, caseStatus));
        }

        return debtors;
    }

    private static string Words(AccountStatus status) => status switch
    {
        AccountStatus.FinalBilled => "Final billed",
        _ => status.ToString(),
    };
}
