using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Reports;

public sealed record CashReceiptsRow(DateOnly ReceivedOn, string Cashier, string Tender, int Payments, Money Amount);

/// <summary>Payments received in a period by day, cashier and tender, bankruptcy trustees' payments among them. Returned payments are reversals posted later and are not netted here.</summary>
public sealed record CashReceiptsReport(DateOnly From, DateOnly Through, IReadOnlyList<CashReceiptsRow> Rows)
{
    public Money Total => Money.Sum(Rows.Select(r => r.Amount));
    public int Payments => Rows.Sum(r => r.Payments);
}

public sealed record RevenueRow(string GlAccount, string Name, string Service, string Fund, Money Billed);

public sealed record ReceiptsByTender(string Tender, int Payments, Money Amount);

/// <summary>
/// A month's accounting: revenue by GL account and service (credits less debits, so cancelled bills
/// and adjustments net out), and receipts by tender, which are the debits to cash.
/// </summary>
public sealed record MonthlyAccountingReport(int Year, int Month, IReadOnlyList<RevenueRow> Revenue, IReadOnlyList<ReceiptsByTender> Receipts, Money CashDebits)
{
    public Money TotalRevenue => Money.Sum(Revenue.Select(r => r.Billed));
    public Money TotalReceipts => Money.Sum(Receipts.Select(r => r.Amount));
}

/// <summary>Cash receipts and the monthly accounting report, summed in the database.</summary>
public sealed class AccountingReports(OpenCisDbContext db)
{
    public async Task<CashReceiptsReport> CashReceiptsAsync(DateOnly from, DateOnly through, CancellationToken cancellationToken = default)
    {
        if (through < from)
        {
            throw new DomainException($"The period ends {through:yyyy-MM-dd}, before it starts {from:yyyy-MM-dd}.", "through");
        }

        var rows = await db.Payments.AsNoTracking().Where(p => p.ReceivedOn >= from && p.ReceivedOn <= through)
            .GroupBy(p => new { p.ReceivedOn, p.Cashier, p.Tender })
            .Select(g => new { g.Key.ReceivedOn, g.Key.Cashier, g.Key.Tender, Count = g.Count(), Cents = g.Sum(p => p.AmountCents) })
            .ToListAsync(cancellationToken);
        // Bankruptcy trustees' checks and EFTs are cash in too, though they pay a claim rather than an account.
        rows.AddRange(await db.BankruptcyPayments.AsNoTracking().Where(p => p.ReceivedOn >= from && p.ReceivedOn <= through)
            .GroupBy(p => new { p.ReceivedOn, p.PostedBy, p.Tender })
            .Select(g => new { g.Key.ReceivedOn, Cashier = g.Key.PostedBy, g.Key.Tender, Count = g.Count(), Cents = g.Sum(p => p.AmountCents) })
            .ToListAsync(cancellationToken));
        rows = [.. rows.GroupBy(r => new { r.ReceivedOn, r.Cashier, r.Tender }).Select(g => new { g.Key.ReceivedOn, g.Key.Cashier, g.Key.Tender, Count = g.Sum(r => r.Count), Cents = g.Sum(r => r.Cents) })];
        return new CashReceiptsReport(from, through,
            [.. rows.OrderBy(r => r.ReceivedOn).ThenBy(r => r.Cashier, StringComparer.Ordinal).ThenBy(r => r.Tender.ToString(), StringComparer.Ordinal)
                .Select(r => new CashReceiptsRow(r.ReceivedOn, r.Cashier, r.Tender.ToString(), r.Count, Money.FromCents(r.Cents)))]);
    }

    public async Task<MonthlyAccountingReport> MonthlyAsync(int year, int month, CancellationToken cancellationToken = default)
    {
        if (month is < 1 or > 12 || year is < 2000 or > 9999)
        {
            throw new DomainException($"{year:0000}-{month:00} is not a month.", "month");
        }

        var first = new DateOnly(year, month, 1);
        var last = first.AddMonths(1).AddDays(-1);
        var gl = await db.GlEntries.AsNoTracking().Where(g => g.EffectiveOn >= first && g.EffectiveOn <= last)
            .GroupBy(g => g.GlAccount)
            .Select(g => new { GlAccount = g.Key, Debits = g.Sum(x => x.DebitCents), Credits = g.Sum(x => x.CreditCents) })
            .ToListAsync(cancellationToken);
        var chart = await Ledger.LedgerConfiguration.LoadChartAsync(db, cancellationToken);
        var revenue = gl.Where(g => g.GlAccount.StartsWith('4')).OrderBy(g => g.GlAccount, StringComparer.Ordinal)
            .Select(g => new RevenueRow(g.GlAccount, chart.NameOf(g.GlAccount), GlAccounts.ServiceFor(g.GlAccount)?.ToString() ?? "", chart.FundOf(g.GlAccount), Money.FromCents(g.Credits - g.Debits)))
            .ToList();
        var receipts = await CashReceiptsAsync(first, last, cancellationToken);
        var byTender = receipts.Rows.GroupBy(r => r.Tender).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ReceiptsByTender(g.Key, g.Sum(r => r.Payments), Money.Sum(g.Select(r => r.Amount)))).ToList();
        var cash = gl.Where(g => g.GlAccount == GlAccounts.Cash).Sum(g => g.Debits);
        return new MonthlyAccountingReport(year, month, revenue, byTender, Money.FromCents(cash));
    }

    public static string Csv(CashReceiptsReport report)
    {
        var csv = new StringBuilder("date,cashier,tender,payments,amount\r\n");
        foreach (var row in report.Rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{row.ReceivedOn:yyyy-MM-dd},{Core.Common.Csv.Field(row.Cashier)},{row.Tender},{row.Payments},{row.Amount.ToPlainString()}\r\n");
        }

        csv.Append(CultureInfo.InvariantCulture, $"total,,,{report.Payments},{report.Total.ToPlainString()}\r\n");
        return csv.ToString();
    }

    public static string Csv(MonthlyAccountingReport report)
    {
        var csv = new StringBuilder("section,gl_account_or_tender,name,service,fund,payments,amount\r\n");
        foreach (var row in report.Revenue)
        {
            csv.Append(CultureInfo.InvariantCulture, $"revenue,{row.GlAccount},{Core.Common.Csv.Field(row.Name)},{row.Service},{row.Fund},,{row.Billed.ToPlainString()}\r\n");
        }

        foreach (var row in report.Receipts)
        {
            csv.Append(CultureInfo.InvariantCulture, $"receipts,{row.Tender},,,,{row.Payments},{row.Amount.ToPlainString()}\r\n");
        }

        csv.Append(CultureInfo.InvariantCulture, $"total revenue,,,,,,{report.TotalRevenue.ToPlainString()}\r\n");
        csv.Append(CultureInfo.InvariantCulture, $"total receipts,,,,,{report.Receipts.Sum(r => r.Payments)},{report.TotalReceipts.ToPlainString()}\r\n");
        return csv.ToString();
    }
}
