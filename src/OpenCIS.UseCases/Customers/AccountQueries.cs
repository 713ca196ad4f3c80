using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;

namespace OpenCIS.UseCases.Customers;

public sealed record AccountSearchResult(long AccountId, string AccountNumber, string CustomerName, string ServiceAddress, string Class, string Status, long BalanceCents);

public sealed record AccountCustomerView(long CustomerId, string Name, string Role, string? Email, string? Phone, string MailingAddress, string MaskedIdentity, CustomerContact Contact)
{
    /// <summary>The customer's other accounts (current or past roles), one click from this one.</summary>
    public IReadOnlyList<OtherAccountView> OtherAccounts { get; init; } = [];
}

public sealed record OtherAccountView(string AccountNumber, string Role, string Status, string ServiceAddress);
public sealed record ServiceView(long AgreementId, string Service, string RateSchedule, DateOnly StartedOn, string? MeterSerial, string? MeterSize, decimal Units);
/// <summary>An account's or a report's receivables by days past due (<see cref="OpenCIS.Core.Ledger.PastDueBuckets"/>), in cents.</summary>
public sealed record AgingView(long CurrentCents, long Days1To30Cents, long Days31To60Cents, long Days61To90Cents, long Over90Cents, long TotalCents)
{
    public static AgingView Of(OpenCIS.Core.Ledger.PastDueBuckets b) =>
        new(b.Current.Cents, b.Days1To30.Cents, b.Days31To60.Cents, b.Days61To90.Cents, b.Over90.Cents, b.Total.Cents);
}
public sealed record BillLineView(string Code, string Description, long AmountCents, string Trace);
public sealed record RemovedMeterView(string MeterSerial, long PreviousReading, DateOnly PreviousReadOn, long FinalReading, DateOnly RemovedOn, decimal Multiplier);
public sealed record BillSegmentView(string Service, string TariffCode, string? MeterSerial, long? PreviousReading, DateOnly? PreviousReadOn, long? PresentReading, DateOnly? PresentReadOn, bool PresentReadEstimated, decimal? Multiplier, string? Usage, decimal? UsageQuantity, string? UsageUnit, long AmountCents, IReadOnlyList<BillLineView> Lines, IReadOnlyList<RemovedMeterView> RemovedMeters);
public sealed record BillView(long BillId, DateOnly BillDate, DateOnly DueDate, DateOnly PeriodStart, DateOnly PeriodEnd, long PreviousBalanceCents, long PaymentsCents, long AdjustmentsCents, long CurrentChargesCents, long AmountDueCents, string Status, long? BillingRunId, IReadOnlyList<BillSegmentView> Segments)
{
    /// <summary>Regular, Rebill, Final or Estimated.</summary>
    public string Kind { get; init; } = "Regular";

    public long? ReplacesBillId { get; init; }
    public long? ReplacedByBillId { get; init; }
    public string? CancelReason { get; init; }
    public string? CanceledBy { get; init; }
}
public sealed record PaymentView(long PaymentId, string ReceiptNumber, DateOnly ReceivedOn, long AmountCents, string Tender, string Source, string? Reference, string Cashier);
public sealed record ReadView(string MeterSerial, DateOnly ReadOn, long Reading, string Source, string Status);
public sealed record TransactionView(long TransactionId, DateOnly EffectiveOn, string Type, long AmountCents, long BalanceAfterCents, string PostedBy, DateTimeOffset PostedAt, string? Reason);
public sealed record AuditView(DateTimeOffset At, string User, string EntityType, long EntityId, string Action, string? Before, string? After, string? Reason);

public sealed record AccountOverview(
    long AccountId,
    string AccountNumber,
    string Class,
    string Status,
    string CycleCode,
    DateOnly OpenedOn,
    bool CashOnly,
    string ServiceAddress,
    string ParcelId,
    long BalanceCents,
    AgingView Aging,
    IReadOnlyList<AccountCustomerView> Customers,
    IReadOnlyList<ServiceView> Services,
    IReadOnlyList<BillView> Bills,
    IReadOnlyList<PaymentView> Payments,
    IReadOnlyList<ReadView> Reads,
    IReadOnlyList<TransactionView> Transactions)
{
    /// <summary>The premise's impervious area in square feet, which stormwater is billed on; null when none is on file.</summary>
    public decimal? ImperviousArea { get; init; }
}

/// <summary>What the account search and the account page show. Read-only; every query is bounded.</summary>
public sealed partial class AccountQueries(OpenCisDbContext db, BusinessCalendar calendar)
{
    public const int SearchLimit = 50;

    /// <summary>Where a city receivables account (no premise; a party's invoices) is shown in place of a service address.</summary>
    public const string CityReceivables = "City receivables (invoices)";

    /// <summary>
    /// Finds accounts by account number, customer name, service address, meter serial, phone (however punctuated),
    /// e-mail, parcel, ZIP code, bill number and receipt number. The text's shape decides which lookups run: digits
    /// look up account, bill and phone numbers and ZIP codes; letters and digits together (a parcel, a meter) look up
    /// those; an @ looks up e-mail; words look up the starts of street lines and names (a person's surname first).
    /// Each goes through an index (a prefix is a range of the index). Only when none finds anything are the words
    /// looked for anywhere in names and street lines. The accounts found come back in account-number order.
    /// </summary>
    public async Task<IReadOnlyList<AccountSearchResult>> SearchAsync(string query, CancellationToken cancellationToken = default)
    {
        var text = (query ?? "").Trim();
        if (text.Length < 2)
        {
            throw new DomainException("Type at least two characters to search.", "q");
        }

        var current = db.AccountCustomers.Where(ac => ac.EndedOn == null);
        var lookups = new List<IQueryable<long>>();
        var punctuatedDigits = text.All(c => char.IsAsciiDigit(c) || " -.()+/".Contains(c, StringComparison.Ordinal));
        if (punctuatedDigits)
        {
            var digits = new string([.. text.Where(char.IsAsciiDigit)]);
            if (digits.Length >= 2)
            {
                var (from, to) = SearchKeys.PrefixRange(digits);
                lookups.Add(db.Accounts.Where(a => string.Compare(a.AccountNumber, from) >= 0 && string.Compare(a.AccountNumber, to) < 0).Select(a => a.Id));
            }

            if (SearchKeys.PhoneDigits(text) is { Length: >= 7 } phone)
            {
                // A whole number is found through its index; seven digits, a local number, by how the numbers end.
                var byPhone = phone.Length >= 10 ? db.Customers.Where(c => c.PhoneDigits == phone) : db.Customers.Where(c => c.PhoneDigits!.EndsWith(phone));
                lookups.Add(current.Join(byPhone, ac => ac.CustomerId, c => c.Id, (ac, c) => ac.AccountId));
            }

            if (ZipCode().IsMatch(text))
            {
                var zip = text[..5];
                lookups.Add(db.Accounts.Join(db.Premises.Where(p => p.Zip == zip || p.Zip == text), a => a.PremiseId, p => p.Id, (a, p) => a.Id));
            }

            if (text.All(char.IsAsciiDigit) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var billNumber))
            {
                lookups.Add(db.Bills.Where(b => b.Id == billNumber).Select(b => b.AccountId));
            }
        }

        if (ReceiptNumber().Match(text) is { Success: true } receipt && long.TryParse(receipt.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var paymentId))
        {
            lookups.Add(db.Payments.Where(p => p.Id == paymentId).Select(p => p.AccountId));
        }

        if (text.Contains('@', StringComparison.Ordinal))
        {
            var (from, to) = SearchKeys.PrefixRange(SearchKeys.Email(text)!);
            lookups.Add(current.Join(db.Customers.Where(c => string.Compare(c.EmailKey, from) >= 0 && string.Compare(c.EmailKey, to) < 0), ac => ac.CustomerId, c => c.Id, (ac, c) => ac.AccountId));
        }

        var hasLetter = text.Any(char.IsLetter);
        var hasDigit = text.Any(char.IsAsciiDigit);
        if (hasLetter && hasDigit && !text.Contains(' ', StringComparison.Ordinal) && !text.Contains('@', StringComparison.Ordinal))
        {
            // A parcel ("R833310-00001") or a meter serial ("W0000123"), as printed, in capitals.
            var (from, to) = SearchKeys.PrefixRange(text.ToUpperInvariant());
            lookups.Add(db.Accounts.Join(db.Premises.Where(p => string.Compare(p.ParcelId, from) >= 0 && string.Compare(p.ParcelId, to) < 0), a => a.PremiseId, p => p.Id, (a, p) => a.Id));
            lookups.Add(db.Meters.Where(m => string.Compare(m.Serial, from) >= 0 && string.Compare(m.Serial, to) < 0 && m.ServicePointId != null)
                .Join(db.ServiceAgreements, m => m.ServicePointId, sa => sa.ServicePointId, (m, sa) => sa.AccountId));
        }

        var words = hasLetter && !text.Contains('@', StringComparison.Ordinal);
        if (words)
        {
            // A street line by its start ("1234 oak"), a name by its start, a person's surname first ("mcclure", "mcclure aaron" or "aaron mcclure").
            var (from, to) = SearchKeys.PrefixRange(SearchKeys.Address(text));
            lookups.Add(db.Accounts.Join(db.Premises.Where(p => string.Compare(p.AddressKey, from) >= 0 && string.Compare(p.AddressKey, to) < 0), a => a.PremiseId, p => p.Id, (a, p) => a.Id));
            if (!hasDigit)
            {
                foreach (var name in SearchKeys.NameQueries(text))
                {
                    var (nameFrom, nameTo) = SearchKeys.PrefixRange(name);
                    lookups.Add(current.Join(db.Customers.Where(c => string.Compare(c.NameKey, nameFrom) >= 0 && string.Compare(c.NameKey, nameTo) < 0),
                        ac => ac.CustomerId, c => c.Id, (ac, c) => ac.AccountId));
                }
            }
        }

        var found = new SortedSet<long>();
        foreach (var lookup in lookups)
        {
            // Each lookup alone, so each uses its own index; the first accounts by id of each are enough for the page.
            found.UnionWith(await lookup.Distinct().OrderBy(id => id).Take(SearchLimit).ToListAsync(cancellationToken));
        }

        if (found.Count == 0 && words)
        {
            // Nothing starts so: look for the words anywhere in names and street lines ("oak st", "mcclure" within a business's name).
            var lowered = SearchKeys.Address(text);
            found.UnionWith(await db.Accounts.Join(db.Premises.Where(p => p.AddressKey.Contains(lowered)), a => a.PremiseId, p => p.Id, (a, p) => a.Id)
                .Distinct().OrderBy(id => id).Take(SearchLimit).ToListAsync(cancellationToken));
            found.UnionWith(await current.Join(db.Customers.Where(c => c.DisplayName.ToLower().Contains(lowered)), ac => ac.CustomerId, c => c.Id, (ac, c) => ac.AccountId)
                .Distinct().OrderBy(id => id).Take(SearchLimit).ToListAsync(cancellationToken));
        }

        return await SummariesAsync([.. found.Take(SearchLimit)], cancellationToken);
    }

    /// <summary>The range of the index that holds the strings starting with <paramref name="prefix"/> (ordinal order).</summary>

    [GeneratedRegex(@"^\d{5}(-\d{4})?$")]
    private static partial Regex ZipCode();

    /// <summary>A receipt number as printed (<see cref="OpenCIS.Core.Payments.Receipts.Number"/>): R and the payment's number.</summary>
    [GeneratedRegex(@"^[Rr]0*(\d{1,18})$")]
    private static partial Regex ReceiptNumber();

    public async Task<IReadOnlyList<AccountSearchResult>> SummariesAsync(IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken)
    {
        // A city receivables account has no premise: it is listed with what it is for.
        var accounts = await (from a in db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id))
                              join p in db.Premises on a.PremiseId equals p.Id into atPremise
                              from p in atPremise.DefaultIfEmpty()
                              select new { a, p }).ToListAsync(cancellationToken);
        var names = (await db.AccountCustomers.Where(ac => accountIds.Contains(ac.AccountId) && ac.Role == AccountRole.Main)
            .Join(db.Customers, ac => ac.CustomerId, c => c.Id, (ac, c) => new { ac.AccountId, c.DisplayName }).ToListAsync(cancellationToken))
            .GroupBy(x => x.AccountId).ToDictionary(g => g.Key, g => g.First().DisplayName);
        var balances = await BalancesAsync(accountIds, cancellationToken);
        return accounts.OrderBy(x => x.a.AccountNumber, StringComparer.Ordinal)
            .Select(x => new AccountSearchResult(x.a.Id, x.a.AccountNumber, names.GetValueOrDefault(x.a.Id, ""), x.p?.FullAddress ?? CityReceivables, x.a.Class.ToString(), x.a.Status.ToString(), balances.GetValueOrDefault(x.a.Id)))
            .ToList();
    }

    public Task<Dictionary<long, long>> BalancesAsync(IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken) =>
        Ledger.AccountLedger.BalancesAsync(db, accountIds, cancellationToken);

    public async Task<long?> FindAccountIdAsync(string accountNumber, CancellationToken cancellationToken = default) =>
        await db.Accounts.Where(a => a.AccountNumber == accountNumber).Select(a => (long?)a.Id).SingleOrDefaultAsync(cancellationToken);

    /// <summary>An account's overview by its number, or null when there is no such account.</summary>
    public async Task<AccountOverview?> OverviewAsync(string accountNumber, CancellationToken cancellationToken = default) =>
        await FindAccountIdAsync(accountNumber, cancellationToken) is { } id ? await OverviewAsync(id, cancellationToken) : null;

    public async Task<AccountOverview?> OverviewAsync(long accountId, CancellationToken cancellationToken = default)
    {
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null)
        {
            return null;
        }

        var premise = account.PremiseId is { } premiseId ? await db.Premises.AsNoTracking().SingleAsync(p => p.Id == premiseId, cancellationToken) : null;
        var customers = await db.AccountCustomers.AsNoTracking().Where(ac => ac.AccountId == accountId && ac.EndedOn == null)
            .Join(db.Customers, ac => ac.CustomerId, c => c.Id, (ac, c) => new { ac.Role, c }).ToListAsync(cancellationToken);
        var customerIds = customers.Select(c => c.c.Id).Distinct().ToList();
        var others = (await db.AccountCustomers.AsNoTracking().Where(ac => customerIds.Contains(ac.CustomerId) && ac.AccountId != accountId)
                .Join(db.Accounts, ac => ac.AccountId, a => a.Id, (ac, a) => new { ac.CustomerId, ac.Role, a.AccountNumber, a.Status, a.PremiseId })
                .GroupJoin(db.Premises, x => x.PremiseId, p => p.Id, (x, ps) => new { x, ps })
                .SelectMany(y => y.ps.DefaultIfEmpty(), (y, p) => new { y.x.CustomerId, y.x.Role, y.x.AccountNumber, y.x.Status, Premise = p })
                .OrderBy(x => x.AccountNumber).Take(200).ToListAsync(cancellationToken))
            .ToLookup(x => x.CustomerId, x => new OtherAccountView(x.AccountNumber, x.Role.ToString(), x.Status.ToString(),
                x.Premise is { } p ? $"{p.AddressLine1}, {p.City}, {p.State} {p.Zip}" : CityReceivables));
        var agreements = await db.ServiceAgreements.AsNoTracking().Where(sa => sa.AccountId == accountId).OrderBy(sa => sa.Service).ToListAsync(cancellationToken);
        var servicePointIds = agreements.Select(a => a.ServicePointId).ToList();
        var meters = await db.Meters.AsNoTracking().Where(m => m.ServicePointId != null && servicePointIds.Contains(m.ServicePointId.Value)).ToListAsync(cancellationToken);
        var openItems = await db.OpenItems.AsNoTracking().Where(o => o.AccountId == accountId && o.OpenCents != 0).ToListAsync(cancellationToken);
        var today = calendar.Today();
        var aging = PastDueBuckets.Of(openItems.Select(o => new PastDueItem(o.DueOn, Money.FromCents(o.OpenCents))), today);
        var bills = await db.Bills.AsNoTracking().Where(b => b.AccountId == accountId).OrderByDescending(b => b.Id).Take(24)
            .Include(b => b.Segments).ThenInclude(s => s.Lines).Include(b => b.Segments).ThenInclude(s => s.RemovedMeters).AsSplitQuery().ToListAsync(cancellationToken);
        var payments = await db.Payments.AsNoTracking().Where(p => p.AccountId == accountId).OrderByDescending(p => p.Id).Take(50).ToListAsync(cancellationToken);
        var meterIds = meters.Select(m => m.Id).ToList();
        var reads = await db.Reads.AsNoTracking().Where(r => meterIds.Contains(r.MeterId)).OrderByDescending(r => r.ReadOn).Take(36).ToListAsync(cancellationToken);
        var transactions = await db.FinancialTransactions.AsNoTracking().Where(t => t.AccountId == accountId).OrderByDescending(t => t.Id).Take(100).ToListAsync(cancellationToken);
        var serials = meters.ToDictionary(m => m.Id, m => m.Serial);

        return new AccountOverview(
            account.Id,
            account.AccountNumber,
            account.Class.ToString(),
            account.Status.ToString(),
            account.CycleCode,
            account.OpenedOn,
            account.CashOnly,
            premise?.FullAddress ?? CityReceivables,
            premise?.ParcelId ?? "",
            openItems.Sum(o => o.OpenCents),
            AgingView.Of(aging),
            customers.OrderBy(c => c.Role).Select(c => new AccountCustomerView(c.c.Id, c.c.DisplayName, c.Role.ToString(), c.c.Email, c.c.Phone,
                $"{c.c.MailingLine1}, {c.c.MailingCity}, {c.c.MailingState} {c.c.MailingZip}", c.c.MaskedIdentity,
                new CustomerContact(c.c.DisplayName, c.c.Email, c.c.Phone, c.c.MailingLine1, c.c.MailingCity, c.c.MailingState, c.c.MailingZip, c.c.NoticesByEmail))
            {
                OtherAccounts = [.. others[c.c.Id].DistinctBy(o => o.AccountNumber)],
            }).ToList(),
            agreements.Select(a =>
            {
                var meter = meters.FirstOrDefault(m => m.ServicePointId == a.ServicePointId && a.UsageFromService is null);
                return new ServiceView(a.Id, a.Service.ToString(), a.RateScheduleCode, a.StartedOn, meter?.Serial, meter?.Size, a.Units);
            }).ToList(),
            bills.Select(ToView).ToList(),
            payments.Select(p => new PaymentView(p.Id, p.ReceiptNumber, p.ReceivedOn, p.AmountCents, p.Tender.ToString(), p.Source.ToString(), p.Reference, p.Cashier)).ToList(),
            reads.Select(r => new ReadView(serials[r.MeterId], r.ReadOn, r.Reading, r.Source.ToString(), r.Status.ToString())).ToList(),
            transactions.Select(t => new TransactionView(t.Id, t.EffectiveOn, t.Type.ToString(), t.AmountCents, t.BalanceAfterCents, t.PostedBy, t.PostedAt, t.Reason)).ToList())
        {
            ImperviousArea = premise?.ImperviousArea,
        };
    }

    public async Task<IReadOnlyList<AuditView>> AuditTrailAsync(long accountId, CancellationToken cancellationToken = default) =>
        (await db.AuditEntries.AsNoTracking().Where(a => a.AccountId == accountId).OrderByDescending(a => a.Id).Take(200).ToListAsync(cancellationToken))
            .Select(a => new AuditView(a.At, a.User, a.EntityType, a.EntityId, a.Action, a.Before, a.After, a.Reason)).ToList();

    private static BillView ToView(Bill b) => new(
        b.Id, b.BillDate, b.DueDate, b.PeriodStart, b.PeriodEnd, b.PreviousBalanceCents, b.PaymentsCents, b.AdjustmentsCents, b.CurrentChargesCents, b.AmountDueCents,
        b.Status.ToString(), b.BillingRunId,
        b.Segments.OrderBy(s => s.Service).Select(s => new BillSegmentView(
            s.Service.ToString(), s.TariffCode, s.MeterSerial, s.PreviousReading, s.PreviousReadOn, s.PresentReading, s.PresentReadOn, s.PresentReadEstimated, s.Multiplier,
            s.UsageQuantity is { } q && s.UsageUnit is { } u ? new Quantity(q, u).ToString() : null,
            s.UsageQuantity,
            s.UsageUnit is { } unit ? UnitConversion.Abbreviation(unit) : null,
            s.AmountCents,
            s.Lines.OrderBy(l => l.Sequence).Select(l => new BillLineView(l.Code, l.Description, l.AmountCents, l.Trace)).ToList(),
            s.RemovedMeters.OrderBy(m => m.RemovedOn).Select(m => new RemovedMeterView(m.MeterSerial, m.PreviousReading, m.PreviousReadOn, m.FinalReading, m.RemovedOn, m.Multiplier)).ToList())).ToList())
    {
        Kind = b.Kind.ToString(),
        ReplacesBillId = b.ReplacesBillId,
        ReplacedByBillId = b.ReplacedByBillId,
        CancelReason = b.CancelReason,
        CanceledBy = b.CanceledBy,
    };
}
