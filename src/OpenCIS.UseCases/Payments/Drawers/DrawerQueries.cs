using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.Storage.Payments.Drawers;
using OpenCIS.Storage.Payments;

namespace OpenCIS.UseCases.Payments.Drawers;

/// <summary>The cashier's open drawer as the counter screen shows it: no expected totals, so the count stays blind.</summary>
public sealed record OpenDrawerView(long DrawerId, string Cashier, DateOnly BusinessDate, DateTimeOffset OpenedAt, Money StartingFloat, int PaymentCount);

public sealed record DepositCheck(string ReceiptNumber, string AccountNumber, Tender Tender, string? Reference, Money Amount);

/// <summary>What goes to the bank from one drawer: cash less the float kept back, checks and money orders one by one.</summary>
public sealed record DepositSlip(long DrawerId, string Cashier, DateOnly BusinessDate, DrawerStatus Status, Money StartingFloat,
    Money CashDeposit, Money ChecksTotal, Money MoneyOrdersTotal, Money DepositTotal, Money CardTotal, Money AchTotal, IReadOnlyList<DepositCheck> Items);

/// <summary>One drawer's line on the cash receipts report: what its payments took in, by tender.</summary>
public sealed record CashReceiptsLine(long DrawerId, string Cashier, DrawerStatus Status, int PaymentCount, IReadOnlyDictionary<Tender, Money> ByTender, Money Total, Money? OverShort);

/// <summary>The day's counter receipts: one line per drawer and the totals by tender, all from the payments' kept tenders.</summary>
public sealed record CashReceiptsReport(DateOnly BusinessDate, IReadOnlyList<CashReceiptsLine> Drawers, IReadOnlyDictionary<Tender, Money> ByTender, Money Total);

/// <summary>What the counter and drawer screens, the API and the CLI read about drawers. The workflows' own reads under a lock are the internal statics.</summary>
public sealed class DrawerQueries(OpenCisDbContext db)
{
    /// <summary>A day has few drawers; more than this is a runaway, not a report.</summary>
    public const int DrawersPerDayMax = 500;

    /// <summary>The drawer balancing report as CSV: a line per drawer with its receipts by tender, total and over/short, then the day's totals.</summary>
    public static string CashReceiptsCsv(CashReceiptsReport report)
    {
        var tenders = Enum.GetValues<Tender>().Where(t => report.ByTender.ContainsKey(t)).ToList();
        var csv = new System.Text.StringBuilder("business_date,drawer,cashier,status,payments,"
            + string.Concat(tenders.Select(t => t.ToString().ToLowerInvariant() + ",")) + "total,over_short\r\n");
        foreach (var line in report.Drawers)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{report.BusinessDate:yyyy-MM-dd},{line.DrawerId},{Csv.Field(line.Cashier)},{line.Status},{line.PaymentCount},")
                .Append(string.Concat(tenders.Select(t => line.ByTender.GetValueOrDefault(t, Money.Zero).ToPlainString() + ",")))
                .Append(System.Globalization.CultureInfo.InvariantCulture, $"{line.Total.ToPlainString()},{line.OverShort?.ToPlainString()}\r\n");
        }

        csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{report.BusinessDate:yyyy-MM-dd},total,,,{report.Drawers.Sum(d => d.PaymentCount)},")
            .Append(string.Concat(tenders.Select(t => report.ByTender[t].ToPlainString() + ",")))
            .Append(System.Globalization.CultureInfo.InvariantCulture, $"{report.Total.ToPlainString()},{Money.Sum(report.Drawers.Select(d => d.OverShort ?? Money.Zero)).ToPlainString()}\r\n");
        return csv.ToString();
    }

    public async Task<CashReceiptsReport> CashReceiptsAsync(DateOnly businessDate, CancellationToken cancellationToken)
    {
        var drawers = await db.DrawerSessions.AsNoTracking().Where(d => d.BusinessDate == businessDate).OrderBy(d => d.Id).Take(DrawersPerDayMax + 1).ToListAsync(cancellationToken);
        if (drawers.Count > DrawersPerDayMax)
        {
            throw new DomainException($"More than {DrawersPerDayMax} drawers on {businessDate:yyyy-MM-dd}.", "date");
        }

        var ids = drawers.Select(d => d.Id).ToList();
        var tenders = await db.PaymentTenders.AsNoTracking().Where(t => ids.Contains(t.DrawerSessionId))
            .GroupBy(t => new { t.DrawerSessionId, t.Tender })
            .Select(g => new { g.Key.DrawerSessionId, g.Key.Tender, Cents = g.Sum(t => t.AmountCents) }).ToListAsync(cancellationToken);
        var counts = await db.Payments.AsNoTracking().Where(p => p.DrawerSessionId != null && ids.Contains(p.DrawerSessionId.Value))
            .GroupBy(p => p.DrawerSessionId).Select(g => new { DrawerId = g.Key!.Value, Count = g.Count() }).ToListAsync(cancellationToken);
        var lines = drawers.Select(d =>
        {
            var byTender = DrawerRules.AllTenders.ToDictionary(
                t => t, t => Money.FromCents(tenders.Where(x => x.DrawerSessionId == d.Id && x.Tender == t).Sum(x => x.Cents)));
            return new CashReceiptsLine(d.Id, d.Cashier, d.Status, counts.SingleOrDefault(c => c.DrawerId == d.Id)?.Count ?? 0, byTender, Money.Sum(byTender.Values),
                d.OverShortCents is { } overShort ? Money.FromCents(overShort) : null);
        }).ToList();
        var totals = DrawerRules.AllTenders.ToDictionary(t => t, t => Money.Sum(lines.Select(l => l.ByTender[t])));
        return new CashReceiptsReport(businessDate, lines, totals, Money.Sum(totals.Values));
    }

    /// <summary>
    /// Locks the drawer's row if it is still open, in the current transaction: PostgreSQL takes a row
    /// lock, SQLite its single write lock. False when the drawer is no longer open.
    /// </summary>
    public static async Task<bool> LockOpenDrawerAsync(OpenCisDbContext db, long drawerId, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE drawer_sessions SET status = status WHERE id = {drawerId} AND status = 'Open'", cancellationToken) == 1;

    public static async Task<List<TenderPart>> KeptTendersAsync(OpenCisDbContext db, long drawerId, CancellationToken cancellationToken) =>
        (await db.PaymentTenders.AsNoTracking().Where(t => t.DrawerSessionId == drawerId).Select(t => new { t.Tender, t.AmountCents }).ToListAsync(cancellationToken))
        .Select(t => new TenderPart(t.Tender, Money.FromCents(t.AmountCents))).ToList();

    public async Task<OpenDrawerView?> CurrentAsync(string cashier, CancellationToken cancellationToken)
    {
        var drawer = await db.DrawerSessions.AsNoTracking().SingleOrDefaultAsync(d => d.Cashier == cashier && d.Status == DrawerStatus.Open, cancellationToken);
        if (drawer is null)
        {
            return null;
        }

        var count = await db.Payments.CountAsync(p => p.DrawerSessionId == drawer.Id, cancellationToken);
        return new OpenDrawerView(drawer.Id, drawer.Cashier, drawer.BusinessDate, drawer.OpenedAt, drawer.StartingFloat, count);
    }

    public Task<List<DrawerSession>> AwaitingApprovalAsync(CancellationToken cancellationToken) =>
        db.DrawerSessions.AsNoTracking().Where(d => d.Status == DrawerStatus.Closed).OrderBy(d => d.Id).ToListAsync(cancellationToken);

    public Task<DrawerSession?> FindAsync(long drawerId, CancellationToken cancellationToken) =>
        db.DrawerSessions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == drawerId, cancellationToken);

    /// <summary>
    /// The deposit slip of a closed or approved drawer, from the payments' kept tenders. The float
    /// stays in the till; card and ACH settle through their processors and are listed, not deposited.
    /// </summary>
    public async Task<DepositSlip> DepositSlipAsync(long drawerId, CancellationToken cancellationToken)
    {
        var drawer = await FindAsync(drawerId, cancellationToken) ?? throw new DomainException($"There is no drawer {drawerId}.", "drawer");
        if (drawer.Status == DrawerStatus.Open)
        {
            throw new DomainException($"Drawer {drawerId} is still open; close it before preparing the deposit.", "drawer");
        }

        var rows = await (
            from t in db.PaymentTenders.AsNoTracking()
            join p in db.Payments on t.PaymentId equals p.Id
            join a in db.Accounts on p.AccountId equals a.Id
            where t.DrawerSessionId == drawerId
            orderby t.PaymentId, t.Id
            select new { t.PaymentId, a.AccountNumber, t.Tender, t.Reference, t.AmountCents }).ToListAsync(cancellationToken);
        Money Total(Tender tender) => Money.Sum(rows.Where(r => r.Tender == tender).Select(r => Money.FromCents(r.AmountCents)));
        // The bank gets the cash actually counted, less the float kept for tomorrow.
        var cashDeposit = Money.Max(Money.Zero, drawer.Counted()[Tender.Cash] - drawer.StartingFloat);
        var checks = Total(Tender.Check);
        var moneyOrders = Total(Tender.MoneyOrder);
        var items = rows.Where(r => r.Tender is Tender.Check or Tender.MoneyOrder)
            .Select(r => new DepositCheck(Receipts.Number(r.PaymentId), r.AccountNumber, r.Tender, r.Reference, Money.FromCents(r.AmountCents))).ToList();
        return new DepositSlip(drawer.Id, drawer.Cashier, drawer.BusinessDate, drawer.Status, drawer.StartingFloat,
            cashDeposit, checks, moneyOrders, cashDeposit + checks + moneyOrders, Total(Tender.Card), Total(Tender.Ach), items);
    }

    internal static async Task<DrawerReceipt?> ReceiptByKeyAsync(OpenCisDbContext db, RequestKey? key, string fingerprint, CancellationToken cancellationToken)
    {
        var earlier = await CounterPayments.EarlierAsync(db, key, fingerprint, cancellationToken);
        if (earlier is null)
        {
            return null;
        }

        return await new DrawerQueries(db).ReceiptAsync(earlier.Id, cancellationToken) with { AlreadyPosted = true };
    }

    /// <summary>Everything a receipt prints for one drawer payment.</summary>
    public async Task<DrawerReceipt> ReceiptAsync(long paymentId, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paymentId, cancellationToken)
            ?? throw new DomainException($"There is no payment {paymentId}.", "payment");
        if (payment.DrawerSessionId is not { } drawerId)
        {
            throw new DomainException($"Payment {payment.ReceiptNumber} was not taken at a drawer.", "payment");
        }

        var accountNumber = await db.Accounts.Where(a => a.Id == payment.AccountId).Select(a => a.AccountNumber).SingleAsync(cancellationToken);
        var balanceAfter = await db.FinancialTransactions.Where(t => t.Id == payment.FinancialTransactionId).Select(t => t.BalanceAfterCents).SingleAsync(cancellationToken);
        var parts = (await db.PaymentTenders.AsNoTracking().Where(t => t.PaymentId == paymentId).OrderBy(t => t.Id).ToListAsync(cancellationToken))
            .Select(t => new TenderPart(t.Tender, Money.FromCents(t.AmountCents), t.Reference, t.CardToken, t.CardLastFour)).ToList();
        var change = Money.FromCents(payment.ChangeDueCents ?? 0);
        var amount = Money.FromCents(payment.AmountCents);
        return new DrawerReceipt(payment.Id, payment.ReceiptNumber, drawerId, payment.Cashier, accountNumber, amount, amount + change, change,
            parts, payment.ReceivedOn, payment.ReceivedAt, Money.FromCents(balanceAfter), AlreadyPosted: false);
    }
}
