using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Billing;

namespace OpenCIS.UseCases.Billing;

public sealed record PostalAddress(string Line1, string City, string State, string Zip)
{
    public string CityLine => $"{City}, {State} {Zip}";

    public override string ToString() => $"{Line1}, {CityLine}";
}

/// <summary>The utility as its bills name it, and what a bill says about late payment.</summary>
public sealed record BillSettings(string UtilityName, string UtilityAddress, string UtilityPhone, string RemitTo, decimal LateChargePercent, string? LateChargeNoticeText)
{
    /// <summary>Where customers reach the portal (<c>OPENCIS_PUBLIC_URL</c>): a bill's QR code opens its payment page there.</summary>
    public string PortalUrl { get; init; } = Portal.PortalSettings.DefaultPublicUrl;

    /// <summary>The portal page that pays <paramref name="billId"/> of <paramref name="accountNumber"/>, which the bill's QR code opens.</summary>
    public string PayUrl(string accountNumber, long billId) => $"{PortalUrl}/portal/accounts/{accountNumber}/pay?bill={billId}";

    public static readonly BillSettings Default = new(
        "City of Riverbend Utilities", "100 Main Street, Riverbend, OR 97401", "541-555-0100", "City of Riverbend Utilities, PO Box 100, Riverbend, OR 97401", 10m, null);

    /// <summary>
    /// OPENCIS_UTILITY_NAME, OPENCIS_UTILITY_ADDRESS, OPENCIS_UTILITY_PHONE, OPENCIS_REMIT_TO,
    /// OPENCIS_LATE_CHARGE_PERCENT and OPENCIS_LATE_CHARGE_NOTICE (a full text that replaces the
    /// default notice; "{due}" in it becomes the bill's due date). Each falls back to <see cref="Default"/>.
    /// </summary>
    public static BillSettings FromConfiguration(IConfiguration configuration)
    {
        string Text(string key, string fallback) => configuration[key] is { Length: > 0 } value ? value : fallback;
        var percent = Default.LateChargePercent;
        if (configuration["OPENCIS_LATE_CHARGE_PERCENT"] is { Length: > 0 } text
            && (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out percent) || percent > 100m))
        {
            throw new InvalidOperationException($"OPENCIS_LATE_CHARGE_PERCENT must be a percentage from 0 to 100, such as 1.5; it is '{text}'.");
        }

        return new BillSettings(
            Text("OPENCIS_UTILITY_NAME", Default.UtilityName),
            Text("OPENCIS_UTILITY_ADDRESS", Default.UtilityAddress),
            Text("OPENCIS_UTILITY_PHONE", Default.UtilityPhone),
            Text("OPENCIS_REMIT_TO", Default.RemitTo),
            percent,
            configuration["OPENCIS_LATE_CHARGE_NOTICE"] is { Length: > 0 } notice ? notice : null)
        {
            PortalUrl = (configuration["OPENCIS_PUBLIC_URL"] is { Length: > 0 } url ? url : Portal.PortalSettings.DefaultPublicUrl).TrimEnd('/'),
        };
    }

    public string LateChargeNotice(DateOnly dueDate)
    {
        var due = dueDate.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);
        return LateChargeNoticeText is { } text
            ? text.Replace("{due}", due, StringComparison.Ordinal)
            : $"A late charge of {LateChargePercent.ToString("0.##", CultureInfo.InvariantCulture)}% of the unpaid balance will be added to any amount not received by the due date, {due}.";
    }
}

public sealed record BillDocumentLine(int Sequence, string Code, string Description, long AmountCents, string Trace);

public sealed record BillDocumentRemovedMeter(string MeterSerial, long PreviousReading, DateOnly PreviousReadOn, long FinalReading, DateOnly RemovedOn, decimal Multiplier);

/// <summary>One service on a printed bill: its tariff by name, its reads and usage, and its lines.</summary>
public sealed record BillDocumentSegment(
    string Service,
    string TariffCode,
    string TariffName,
    string? MeterSerial,
    long? PreviousReading,
    DateOnly? PreviousReadOn,
    long? PresentReading,
    DateOnly? PresentReadOn,
    bool PresentReadEstimated,
    decimal? Multiplier,
    decimal? UsageQuantity,
    string? UsageUnit,
    long AmountCents,
    IReadOnlyList<BillDocumentLine> Lines,
    IReadOnlyList<BillDocumentRemovedMeter> RemovedMeters)
{
    public string? Usage => UsageQuantity is { } quantity ? $"{quantity.ToString("#,##0.###", CultureInfo.InvariantCulture)} {UsageUnit}" : null;

    /// <summary>How the usage was found, in the words a clerk would say on the phone.</summary>
    public string ReadsInWords
    {
        get
        {
            var parts = new List<string>();
            foreach (var removed in RemovedMeters)
            {
                parts.Add($"Meter {removed.MeterSerial} read {removed.PreviousReading:N0} on {Day(removed.PreviousReadOn)} and was removed on {Day(removed.RemovedOn)} with a final read of {removed.FinalReading:N0} (multiplier {removed.Multiplier:0.###}).");
            }

            if (MeterSerial is not null && PresentReading is { } present && PreviousReading is { } previous)
            {
                var estimated = PresentReadEstimated ? " That present read is Estimated: no actual read was available, and the next actual read corrects the difference." : "";
                parts.Add($"Meter {MeterSerial} read {previous:N0} on {Day(PreviousReadOn)} and {present:N0} on {Day(PresentReadOn)}, multiplier {Multiplier:0.###}.{estimated}");
            }

            if (Usage is { } usage)
            {
                parts.Add(MeterSerial is null ? $"Billed on the water usage of {usage}." : $"Usage billed: {usage}{(RemovedMeters.Count > 0 ? " (all meters of the period together)" : "")}.");
            }
            else if (MeterSerial is null)
            {
                parts.Add("Not metered: charged by the rate schedule's fixed and flat charges.");
            }

            return string.Join(' ', parts);
        }
    }

    private static string Day(DateOnly? day) => day?.ToString("MMM d, yyyy", CultureInfo.InvariantCulture) ?? "(unknown)";
}

/// <summary>A payment or adjustment posted between the previous bill and this one.</summary>
public sealed record BillActivity(DateOnly EffectiveOn, string Type, string Description, long AmountCents);

/// <summary>
/// A bill of an account on budget billing: the budget amount beside the actual charges, what moved into (or, negative, out
/// of) the deferred balance, that balance after the bill, and whether the bill trued it up.
/// </summary>
public sealed record BillBudget(long BudgetAmountCents, long DeferredCents, long DeferredBalanceCents, bool TrueUp)
{
    /// <summary>The account summary's line between the current charges and the amount due: what budget billing changed.</summary>
    public string SummaryLabel => TrueUp ? "Budget true-up: deferred balance settled" : "Budget billing: charges deferred";

    /// <summary>The summary line's amount: what the bill added beyond its current charges (negative: less).</summary>
    public long SummaryCents => -DeferredCents;

    public string InWords => TrueUp
        ? $"Budget billing true-up: this bill settles your deferred balance of {Money.FromCents(-DeferredCents)}; your budget amount is {Money.FromCents(BudgetAmountCents)}."
        : $"Budget billing: you are billed your budget amount of {Money.FromCents(BudgetAmountCents)} for actual charges of this period; your deferred balance is now {Money.FromCents(DeferredBalanceCents)}.";
}

/// <summary>
/// Everything a bill prints, as of its issue: who and where, the period, reads and usage, each
/// charge with its calculation, the account summary, due date, its bill messages (those of its audience on its date, as
/// printed then), late-charge notice and scan line.
/// The PDF, the print-vendor file, the explanation screen and the API all show this one record.
/// </summary>
public sealed record BillDocument(
    long BillId,
    string Status,
    long? BillingRunId,
    string AccountNumber,
    string CustomerName,
    PostalAddress MailingAddress,
    PostalAddress ServiceAddress,
    DateOnly BillDate,
    DateOnly DueDate,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    long PreviousBalanceCents,
    long PaymentsCents,
    long AdjustmentsCents,
    long CurrentChargesCents,
    long AmountDueCents,
    IReadOnlyList<BillActivity> ActivitySinceLastBill,
    IReadOnlyList<BillDocumentSegment> Segments,
    string LateChargeNotice,
    string ScanLine,
    string UtilityName,
    string UtilityAddress,
    string UtilityPhone,
    string RemitTo,
    IReadOnlyList<string> Messages,
    string? ShutOffWarning = null,
    BillBudget? Budget = null,
    bool MailReturned = false,
    bool Paperless = false,
    string? PayUrl = null,
    string Language = "en")
{
    /// <summary>What the bill itself added to the balance: its current charges, or on budget billing its budget amount (or true-up).</summary>
    public long BilledCents => CurrentChargesCents - (Budget?.DeferredCents ?? 0);

    /// <summary>What is carried from earlier bills and still unpaid at this bill's issue: past due.</summary>
    public long PastDueCents => Math.Max(0, AmountDueCents - BilledCents);

    public int PeriodDays => PeriodEnd.DayNumber - PeriodStart.DayNumber + 1;

    /// <summary>What the remittance stub asks for: nothing when the account is in credit.</summary>
    public long AmountToPayCents => Math.Max(0, AmountDueCents);
}

/// <summary>
/// Loads bills as documents. Any number of bills costs the same fixed set of queries (bills with
/// their segments, lines and removed meters; accounts with premises; main customers; rate schedule
/// names; the accounts' earlier bills; their payments and adjustments), so a whole run is printed
/// chunk by chunk without a query per bill.
/// </summary>
public sealed class BillDocuments(OpenCisDbContext db, BillSettings settings)
{
    /// <summary>Bills per load: bounds the IN lists sent to the database and the memory a chunk holds.</summary>
    public const int MaxBillsPerLoad = 500;

    public BillSettings Settings => settings;

    public async Task<BillDocument?> LoadAsync(long billId, CancellationToken cancellationToken = default) =>
        (await LoadManyAsync([billId], cancellationToken)).SingleOrDefault();

    /// <summary>The latest issued bill of an account, or null when it has none (or no such account).</summary>
    public async Task<long?> LatestBillIdAsync(string accountNumber, CancellationToken cancellationToken = default) =>
        await db.Bills.AsNoTracking()
            .Where(b => b.Status == BillStatus.Issued)
            .Join(db.Accounts.Where(a => a.AccountNumber == accountNumber), b => b.AccountId, a => a.Id, (b, a) => (long?)b.Id)
            .MaxAsync(cancellationToken);

    /// <summary>The bills of a run in bill-number order, <paramref name="chunkSize"/> (at most <see cref="MaxBillsPerLoad"/>) at a time.</summary>
    public async IAsyncEnumerable<IReadOnlyList<BillDocument>> ForRunAsync(long runId, int chunkSize = MaxBillsPerLoad, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSize, MaxBillsPerLoad);
        var afterId = 0L;
        while (true)
        {
            var ids = await db.Bills.AsNoTracking().Where(b => b.BillingRunId == runId && b.Id > afterId)
                .OrderBy(b => b.Id).Select(b => b.Id).Take(chunkSize).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                yield break;
            }

            yield return await LoadManyAsync(ids, cancellationToken);
            afterId = ids[^1];
        }
    }

    /// <summary>The documents of the given bills in bill-number order; unknown ids are left out.</summary>
    public async Task<IReadOnlyList<BillDocument>> LoadManyAsync(IReadOnlyCollection<long> billIds, CancellationToken cancellationToken = default)
    {
        if (billIds.Count > MaxBillsPerLoad)
        {
            throw new ArgumentOutOfRangeException(nameof(billIds), billIds.Count, $"Load at most {MaxBillsPerLoad} bills at a time.");
        }

        var ids = billIds.Distinct().ToList();
        var bills = await db.Bills.AsNoTracking().Where(b => ids.Contains(b.Id))
            .Include(b => b.Segments).ThenInclude(s => s.Lines)
            .Include(b => b.Segments).ThenInclude(s => s.RemovedMeters)
            .AsSplitQuery().OrderBy(b => b.Id).ToListAsync(cancellationToken);
        if (bills.Count == 0)
        {
            return [];
        }

        var accountIds = bills.Select(b => b.AccountId).Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id))
            .Join(db.Premises, a => a.PremiseId, p => p.Id, (a, p) => new { Account = a, Premise = p })
            .ToDictionaryAsync(x => x.Account.Id, cancellationToken);
        var mainCustomers = (await db.AccountCustomers.AsNoTracking().Where(ac => accountIds.Contains(ac.AccountId) && ac.Role == AccountRole.Main)
                .Join(db.Customers, ac => ac.CustomerId, c => c.Id, (ac, c) => new { ac.AccountId, ac.StartedOn, ac.EndedOn, Customer = c })
                .ToListAsync(cancellationToken))
            .ToLookup(x => x.AccountId);
        // The accounts' verified portal logins: a paperless account's bills reach them by e-mail, and the bill is printed in the
        // language of the login that claimed the account first (the customer's own choice; English without one).
        var portalLogins = await Customers.AccountLanguages.OfAsync(db, accountIds, cancellationToken);
        // A shut-off notice pending when the bill is issued is printed on it.
        var standings = await db.AccountCollections.AsNoTracking()
            .Where(c => accountIds.Contains(c.AccountId) && c.FinalNoticeOn != null
                && (c.Status == CollectionStatus.FinalNotice || c.Status == CollectionStatus.DoorHanger || c.Status == CollectionStatus.DisconnectEligible))
            .ToDictionaryAsync(c => c.AccountId, cancellationToken);
        var schedules = (await db.RateSchedules.AsNoTracking().Select(r => new { r.Code, r.Name, r.EffectiveFrom }).ToListAsync(cancellationToken))
            .ToLookup(r => r.Code, StringComparer.Ordinal);

        // Payments and adjustments since the previous bill: what the bill's summary adds up, listed.
        // The previous bill and the window are found the way the billing run found them.
        var lastBillId = bills[^1].Id;
        var earlierBills = (await db.Bills.AsNoTracking()
                .Where(b => accountIds.Contains(b.AccountId) && b.Status == BillStatus.Issued && b.Id < lastBillId)
                .Select(b => new { b.Id, b.AccountId, b.FinancialTransactionId })
                .ToListAsync(cancellationToken))
            .ToLookup(b => b.AccountId);
        long SinceTransactionId(Bill bill) =>
            earlierBills[bill.AccountId].Where(e => e.Id < bill.Id).MaxBy(e => e.Id)?.FinancialTransactionId ?? 0;
        var fromTransactionId = bills.Min(SinceTransactionId);
        var activity = (await db.FinancialTransactions.AsNoTracking()
                .Where(t => accountIds.Contains(t.AccountId) && t.Id > fromTransactionId && t.Type != FinancialTransactionType.Bill)
                .Select(t => new { t.Id, t.AccountId, t.Type, t.AmountCents, t.EffectiveOn, t.Reason })
                .ToListAsync(cancellationToken))
            .ToLookup(t => t.AccountId);

        var documents = new List<BillDocument>(bills.Count);
        foreach (var bill in bills)
        {
            var (account, premise) = (accounts[bill.AccountId].Account, accounts[bill.AccountId].Premise);
            var customer = mainCustomers[bill.AccountId]
                .Where(c => c.StartedOn <= bill.BillDate && (c.EndedOn is null || c.EndedOn >= bill.BillDate))
                .OrderByDescending(c => c.StartedOn).FirstOrDefault()?.Customer
                ?? mainCustomers[bill.AccountId].OrderByDescending(c => c.StartedOn).FirstOrDefault()?.Customer;
            // The window ends at the bill's own posting; a bill of nothing posted none, and then its bill date bounds it.
            var since = SinceTransactionId(bill);
            var through = bill.FinancialTransactionId;
            var items = activity[bill.AccountId]
                .Where(t => t.Id > since && (through is { } own ? t.Id < own : t.EffectiveOn <= bill.BillDate))
                .OrderBy(t => t.Id)
                .Select(t => new BillActivity(t.EffectiveOn, TypeInWords(t.Type), t.Reason ?? TypeInWords(t.Type), t.AmountCents))
                .ToList();

            string TariffName(string code) =>
                schedules[code].Where(s => s.EffectiveFrom <= bill.PeriodEnd).MaxBy(s => s.EffectiveFrom)?.Name
                ?? schedules[code].MinBy(s => s.EffectiveFrom)?.Name
                ?? code;

            documents.Add(new BillDocument(
                bill.Id,
                bill.Status.ToString(),
                bill.BillingRunId,
                account.AccountNumber,
                customer?.DisplayName ?? "",
                customer is null ? new PostalAddress(premise.AddressLine1, premise.City, premise.State, premise.Zip) : new PostalAddress(customer.MailingLine1, customer.MailingCity, customer.MailingState, customer.MailingZip),
                new PostalAddress(premise.AddressLine1, premise.City, premise.State, premise.Zip),
                bill.BillDate,
                bill.DueDate,
                bill.PeriodStart,
                bill.PeriodEnd,
                bill.PreviousBalanceCents,
                bill.PaymentsCents,
                bill.AdjustmentsCents,
                bill.CurrentChargesCents,
                bill.AmountDueCents,
                items,
                bill.Segments.OrderBy(s => s.Service).ThenBy(s => s.Id).Select(s => new BillDocumentSegment(
                    s.Service.ToString(),
                    s.TariffCode,
                    TariffName(s.TariffCode),
                    s.MeterSerial,
                    s.PreviousReading,
                    s.PreviousReadOn,
                    s.PresentReading,
                    s.PresentReadOn,
                    s.PresentReadEstimated,
                    s.Multiplier,
                    s.UsageQuantity,
                    s.UsageUnit is { } unit ? UnitConversion.Abbreviation(unit) : null,
                    s.AmountCents,
                    s.Lines.OrderBy(l => l.Sequence).Select(l => new BillDocumentLine(l.Sequence, l.Code, l.Description, l.AmountCents, l.Trace)).ToList(),
                    s.RemovedMeters.OrderBy(m => m.RemovedOn).Select(m => new BillDocumentRemovedMeter(m.MeterSerial, m.PreviousReading, m.PreviousReadOn, m.FinalReading, m.RemovedOn, m.Multiplier)).ToList()))
                    .ToList(),
                settings.LateChargeNotice(bill.DueDate),
                Core.Billing.ScanLine.For(account.AccountNumber, bill.Id, Money.FromCents(bill.AmountDueCents), bill.DueDate).ToString(),
                settings.UtilityName,
                settings.UtilityAddress,
                settings.UtilityPhone,
                settings.RemitTo,
                BillMessages.Read(bill.Messages),
                standings.TryGetValue(bill.AccountId, out var standing) && standing.FinalNoticeOn <= bill.BillDate ? ShutOffWarning(standing, bill.BillDate) : null,
                bill.BudgetAmountCents is { } budget ? new BillBudget(budget, bill.BudgetDeferredCents ?? 0, bill.BudgetBalanceCents ?? 0, bill.BudgetTrueUp) : null,
                customer?.MailReturnedOn is not null,
                // Paperless goes by e-mail while there is an address that works (a verified portal login's, or the holder's that has
                // not failed and is an address at all); without one it goes by mail again.
                account.BillDelivery == Storage.Customers.BillDelivery.Email
                    && (portalLogins.ContainsKey(account.Id) || (customer is { Email: { } email, EmailFailedOn: null } && Mail.QueueMail.IsAddress(email))),
                settings.PayUrl(account.AccountNumber, bill.Id),
                Customers.AccountLanguages.Of(portalLogins, account.Id)));
        }

        return documents;
    }

    private static string ShutOffWarning(AccountCollection standing, DateOnly billDate) =>
        $"SHUT-OFF NOTICE: a final notice was mailed {standing.FinalNoticeOn:MMMM d, yyyy}. Service may be disconnected "
        + (standing.EarliestDisconnectOn is { } earliest && earliest >= billDate ? $"on or after {earliest:MMMM d, yyyy} " : "at any time ")
        + $"unless the past-due amount of {Money.FromCents(standing.PastDueCents)} is paid. Call us to arrange payment.";

    internal static string TypeInWords(FinancialTransactionType type) => type switch
    {
        FinancialTransactionType.CollectionFee => "Collection fee",
        FinancialTransactionType.ServiceFee => "Service fee",
        FinancialTransactionType.LienFee => "Lien filing fee",
        FinancialTransactionType.CollectionWaiver => "Charge waived",
        FinancialTransactionType.LateCharge => "Late charge",
        FinancialTransactionType.DepositCharge => "Deposit charge",
        FinancialTransactionType.DepositApplication => "Deposit applied",
        FinancialTransactionType.ReturnedPayment => "Returned payment",
        FinancialTransactionType.ReturnedPaymentFee => "Returned payment fee",
        FinancialTransactionType.BalanceTransfer => "Balance transfer",
        FinancialTransactionType.WriteOff => "Write-off",
        FinancialTransactionType.WriteOffReversal => "Write-off reversed",
        FinancialTransactionType.BillCancellation => "Bill canceled",
        FinancialTransactionType.BudgetSettlement => "Budget billing ended: deferred balance settled",
        FinancialTransactionType.ContractualAdjustment => "Contractual adjustment",
        FinancialTransactionType.HardshipWaiver => "Hardship waiver",
        FinancialTransactionType.BankruptcyTransfer => "Pre-petition balance to bankruptcy claim",
        FinancialTransactionType.BankruptcyReturn => "Bankruptcy dismissed: pre-petition balance returned",
        _ => type.ToString(),
    };
}
