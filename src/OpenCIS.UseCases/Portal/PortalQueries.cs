using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Portal;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Customers;

namespace OpenCIS.UseCases.Portal;

/// <summary>A bill as the customer sees it in the portal.</summary>
public sealed record PortalBill(long BillNumber, DateOnly BillDate, DateOnly DueDate, DateOnly PeriodStart, DateOnly PeriodEnd, Money CurrentCharges, Money AmountDue);

/// <summary>
/// A payment on the account: posted ones with their receipt, the customer's online payments still waiting for the processor, and
/// their e-checks waiting for the next ACH file (<paramref name="ECheckId"/>, which the customer may still cancel).
/// </summary>
public sealed record PortalPayment(DateOnly On, Money Amount, string How, string? ReceiptNumber, bool Pending, long? ECheckId = null, string? BankAccount = null);

/// <summary>One of a login's accounts, for the list.</summary>
public sealed record PortalAccountSummary(string AccountNumber, string ServiceAddress, string Status, Money Balance, PortalBill? CurrentBill);

/// <summary>One account's page: the balance, the current bill, and the history of bills and payments.</summary>
public sealed record PortalAccountView(string AccountNumber, string ServiceAddress, string Status, Money Balance, PortalBill? CurrentBill, IReadOnlyList<PortalBill> Bills, IReadOnlyList<PortalPayment> Payments)
{
    public bool Open => Status != nameof(Storage.Customers.AccountStatus.Closed);
}

/// <summary>One service's use over time, with last year's beside it: by bill, or by day from interval reads.</summary>
public sealed record PortalUsageSeries(string Service, string Unit, bool Daily, IReadOnlyList<Core.Portal.UsageCompared> Points);

/// <summary>An online payment as the page the processor sends the customer back to shows it.</summary>
public sealed record PortalOnlinePaymentView(long Id, string AccountNumber, Money Amount, Money Fee, string Status, string? ReceiptNumber, string? Card, Money? NewBalance);

/// <summary>
/// What the portal shows a customer, always through <see cref="PortalAccess"/>: the login's accounts, one account's page,
/// its bills' PDFs, and an online payment's state. Each read is bounded (the last 24 bills and payments).
/// </summary>
public sealed class PortalQueries(OpenCisDbContext db, AccountQueries accounts, BillDocuments documents, TimeProvider clock)
{
    public const int HistoryMax = 24;

    /// <summary>How long an online payment the processor has not confirmed shows as pending.</summary>
    public static readonly TimeSpan PendingShownFor = TimeSpan.FromDays(1);

    public async Task<IReadOnlyList<PortalAccountSummary>> AccountsAsync(string portalUserId, CancellationToken cancellationToken = default)
    {
        var ids = await PortalAccess.AccountIdsAsync(db, portalUserId, cancellationToken);
        var summaries = await accounts.SummariesAsync(ids, cancellationToken);
        var latest = await LatestBillsAsync(ids, cancellationToken);
        return summaries.Select(s => new PortalAccountSummary(s.AccountNumber, s.ServiceAddress, s.Status, Money.FromCents(s.BalanceCents), latest.GetValueOrDefault(s.AccountId))).ToList();
    }

    public async Task<PortalAccountView> AccountAsync(string portalUserId, string accountNumber, CancellationToken cancellationToken = default)
    {
        var accountId = await PortalAccess.AccountIdAsync(db, portalUserId, accountNumber, cancellationToken);
        var summary = (await accounts.SummariesAsync([accountId], cancellationToken))[0];
        var bills = (await db.Bills.AsNoTracking().Where(b => b.AccountId == accountId && b.Status == BillStatus.Issued)
                .OrderByDescending(b => b.BillDate).ThenByDescending(b => b.Id).Take(HistoryMax).ToListAsync(cancellationToken))
            .Select(View).ToList();
        var posted = await db.Payments.AsNoTracking().Where(p => p.AccountId == accountId).OrderByDescending(p => p.Id).Take(HistoryMax)
            .Select(p => new { p.Id, p.ReceivedOn, p.AmountCents, p.Tender, p.Source }).ToListAsync(cancellationToken);
        // A checkout left on the processor's page is never confirmed: shown as pending for a day (Stripe expires its sessions
        // then), no longer. (Times compared here: SQLite cannot compare them in a query, and the rows are few.)
        var since = clock.GetUtcNow() - PendingShownFor;
        var pending = (await db.OnlinePayments.AsNoTracking().Where(p => p.AccountId == accountId && p.PortalUserId == portalUserId && p.Status == OnlinePaymentStatus.Pending)
                .OrderByDescending(p => p.Id).Take(HistoryMax).ToListAsync(cancellationToken))
            .Where(p => p.StartedAt >= since).ToList();
        // E-checks wait for the next ACH file however long that takes: they show until it carries them (or they are cancelled).
        var eChecks = await db.OneTimeDebits.AsNoTracking().Where(d => d.AccountId == accountId && d.PortalUserId == portalUserId && d.Status == OneTimeDebitStatus.Pending)
            .OrderByDescending(d => d.Id).Take(HistoryMax).Select(d => new { d.Id, d.AuthorizedOn, d.AmountCents, d.DfiAccountLastFour }).ToListAsync(cancellationToken);
        var payments = eChecks.Select(d => new PortalPayment(d.AuthorizedOn, Money.FromCents(d.AmountCents), "ECheck", null, Pending: true, d.Id, Storage.Payments.Ach.AchEnrollment.Mask(d.DfiAccountLastFour)))
            .Concat(pending.Select(p => new PortalPayment(DateOnly.FromDateTime(p.StartedAt.UtcDateTime), Money.FromCents(p.AmountCents), nameof(Tender.Card), null, Pending: true)))
            .Concat(posted.Select(p => new PortalPayment(p.ReceivedOn, Money.FromCents(p.AmountCents), p.Source == PaymentSource.Online ? "Online" : p.Tender.ToString(),
                Receipts.Number(p.Id), Pending: false)))
            .ToList();
        return new PortalAccountView(summary.AccountNumber, summary.ServiceAddress, summary.Status, Money.FromCents(summary.BalanceCents), bills.FirstOrDefault(), bills, payments);
    }

    /// <summary>
    /// The account's use: for each metered service its last 12 bills beside the same bills a year before, and, where the meter
    /// has interval reads, its last 30 days beside the same days a year before.
    /// </summary>
    public async Task<IReadOnlyList<PortalUsageSeries>> UsageAsync(string portalUserId, string accountNumber, CancellationToken cancellationToken = default)
    {
        var accountId = await PortalAccess.AccountIdAsync(db, portalUserId, accountNumber, cancellationToken);
        var segments = await db.Bills.AsNoTracking().Where(b => b.AccountId == accountId && b.Status == BillStatus.Issued)
            .OrderByDescending(b => b.PeriodEnd).Take(60)
            .SelectMany(b => b.Segments.Where(s => s.UsageQuantity != null && s.UsageUnit != null), (b, s) => new { b.PeriodEnd, s.Service, s.UsageQuantity, s.UsageUnit })
            .ToListAsync(cancellationToken);
        var series = segments.GroupBy(s => (s.Service, s.UsageUnit)).OrderBy(g => g.Key.Service)
            .Select(g => new PortalUsageSeries(g.Key.Service.ToString(), Core.Common.UnitConversion.Abbreviation(g.Key.UsageUnit!.Value), false,
                Core.Portal.UsageComparison.ByBill([.. g.GroupBy(s => s.PeriodEnd).Select(p => new Core.Portal.UsagePoint(p.Key, p.Sum(s => s.UsageQuantity!.Value)))], 12)))
            .ToList();

        var meterIds = await db.ServiceAgreements.AsNoTracking().Where(a => a.AccountId == accountId && a.EndedOn == null)
            .Join(db.Meters, a => a.ServicePointId, m => m.ServicePointId, (a, m) => m.Id).ToListAsync(cancellationToken);
        if (meterIds.Count > 0)
        {
            var latest = await db.IntervalDays.AsNoTracking().Where(d => meterIds.Contains(d.MeterId) && d.Unit == Core.Common.Unit.Kwh)
                .OrderByDescending(d => d.Day).Select(d => (DateOnly?)d.Day).FirstOrDefaultAsync(cancellationToken);
            if (latest is { } through)
            {
                var from = through.AddYears(-1).AddDays(-31);
                var days = (await db.IntervalDays.AsNoTracking().Where(d => meterIds.Contains(d.MeterId) && d.Unit == Core.Common.Unit.Kwh && d.Day >= from && d.Day <= through)
                        .Select(d => new { d.Day, d.Hours }).ToListAsync(cancellationToken))
                    .GroupBy(d => d.Day).ToDictionary(g => g.Key, g => g.Sum(d => Storage.Metering.IntervalDayRow.ParseHours(d.Hours).Sum()));
                series.Add(new PortalUsageSeries(nameof(Core.Billing.Service.Electric), "kWh", true, Core.Portal.UsageComparison.ByDay(days, through, 30)));
            }
        }

        return series;
    }

    /// <summary>A bill of one of the login's accounts, ready to render; not found for any other bill.</summary>
    public async Task<BillDocument> BillAsync(string portalUserId, string accountNumber, long billNumber, CancellationToken cancellationToken = default)
    {
        var accountId = await PortalAccess.AccountIdAsync(db, portalUserId, accountNumber, cancellationToken);
        if (!await db.Bills.AnyAsync(b => b.Id == billNumber && b.AccountId == accountId && b.Status != BillStatus.Held, cancellationToken))
        {
            throw new PortalNotFoundException($"Bill {billNumber}");
        }

        return await documents.LoadAsync(billNumber, cancellationToken) ?? throw new PortalNotFoundException($"Bill {billNumber}");
    }

    /// <summary>One of the login's online payments, as the page after the processor's shows it.</summary>
    public async Task<PortalOnlinePaymentView> OnlinePaymentAsync(string portalUserId, long onlinePaymentId, CancellationToken cancellationToken = default)
    {
        var online = await db.OnlinePayments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == onlinePaymentId && p.PortalUserId == portalUserId, cancellationToken)
            ?? throw new PortalNotFoundException($"Online payment {onlinePaymentId}");
        // The login may have lost the account since; the payment stays its own to see, the account's balance does not.
        var linked = await db.PortalUserAccounts.AnyAsync(l => l.PortalUserId == portalUserId && l.AccountId == online.AccountId, cancellationToken);
        var accountNumber = await db.Accounts.Where(a => a.Id == online.AccountId).Select(a => a.AccountNumber).SingleAsync(cancellationToken);
        Money? balance = linked && online.Status == OnlinePaymentStatus.Posted
            ? Money.FromCents((await accounts.BalancesAsync([online.AccountId], cancellationToken)).GetValueOrDefault(online.AccountId))
            : null;
        return new PortalOnlinePaymentView(online.Id, accountNumber, Money.FromCents(online.AmountCents), Money.FromCents(online.FeeCents), online.Status.ToString(),
            online.PaymentId is { } paymentId ? Receipts.Number(paymentId) : null,
            online.CardBrand is { } brand ? $"{brand} {online.CardLastFour}".Trim() : null, balance);
    }

    private async Task<Dictionary<long, PortalBill>> LatestBillsAsync(IReadOnlyList<long> accountIds, CancellationToken cancellationToken) =>
        (await db.Bills.AsNoTracking().Where(b => accountIds.Contains(b.AccountId) && b.Status == BillStatus.Issued)
                .Where(b => !db.Bills.Any(later => later.AccountId == b.AccountId && later.Status == BillStatus.Issued
                    && (later.BillDate > b.BillDate || (later.BillDate == b.BillDate && later.Id > b.Id))))
                .ToListAsync(cancellationToken))
            .ToDictionary(b => b.AccountId, View);

    private static PortalBill View(Bill b) =>
        new(b.Id, b.BillDate, b.DueDate, b.PeriodStart, b.PeriodEnd, Money.FromCents(b.CurrentChargesCents), Money.FromCents(b.AmountDueCents));
}
