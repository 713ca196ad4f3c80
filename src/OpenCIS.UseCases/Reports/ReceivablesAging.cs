using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Reports;

public sealed record ReceivablesAgingAccount(long AccountId, string AccountNumber, string Class, PastDueBuckets Buckets);

public sealed record ReceivablesAgingClass(string Class, int Accounts, PastDueBuckets Buckets);

/// <summary>
/// One kind of receivable: the utility accounts (<see cref="ReceivablesAging.Utility"/>), an invoice type by its code, or
/// what else sits on city receivables accounts (<see cref="ReceivablesAging.OtherCity"/>: unapplied credits, fees).
/// </summary>
public sealed record ReceivablesAgingType(string Code, string Name, PastDueBuckets Buckets);

/// <summary>The finance aging by days past due, as of any date.</summary>
/// <param name="FromHistory">True when the date is in the past and the amounts were rebuilt from postings and allocations.</param>
public sealed record ReceivablesAgingReport(DateOnly AsOf, bool FromHistory, PastDueBuckets Totals, IReadOnlyList<ReceivablesAgingClass> ByClass, IReadOnlyList<ReceivablesAgingAccount> Accounts)
{
    /// <summary>The same totals split by receivable type: utility accounts, each invoice type, the rest of the city receivables accounts.</summary>
    public IReadOnlyList<ReceivablesAgingType> ByType { get; init; } = [];

    public int AccountCount => ByClass.Sum(c => c.Accounts);
}

/// <summary>
/// Aged receivables by due date (current, 1-30, 31-60, 61-90, 90+) as of any date. When nothing
/// has been posted to receivables after the date, today's open amounts are the amounts of that
/// date, and the report reads only the open items through their partial index. Otherwise it
/// rebuilds what was open from the items posted by the date and the allocations between them
/// (<see cref="OpenItemHistory"/>): today's open amounts would show payments made after the date.
/// </summary>
public sealed class ReceivablesAging(OpenCisDbContext db)
{
    public const string Utility = "UTILITY";
    public const string OtherCity = "OTHER";

    /// <param name="alwaysRebuild">Rebuild from history even when today's open amounts would do: a check that the two agree.</param>
    public async Task<ReceivablesAgingReport> RunAsync(DateOnly asOf, bool detail, CancellationToken cancellationToken = default, bool alwaysRebuild = false)
    {
        // The receivables account's entries are indexed by (gl_account, effective_on): a seek, not a scan.
        var lastPosting = await db.GlEntries.Where(g => g.GlAccount == GlAccounts.AccountsReceivable).MaxAsync(g => (DateOnly?)g.EffectiveOn, cancellationToken);
        var fromHistory = alwaysRebuild || (lastPosting is { } last && last > asOf);
        var items = alwaysRebuild ? await HistoryAsync(asOf, cancellationToken)
            : fromHistory ? await RewindAsync(asOf, cancellationToken)
            : await OpenNowAsync(cancellationToken);
        var accounts = await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.AccountNumber, a.Class, Utility = a.PremiseId != null }).ToDictionaryAsync(a => a.Id, cancellationToken);

        var rows = items.GroupBy(i => i.AccountId)
            .Select(g => new ReceivablesAgingAccount(g.Key, accounts[g.Key].AccountNumber, accounts[g.Key].Class.ToString(), PastDueBuckets.Of(g.Select(i => i.Item), asOf)))
            .Where(r => !r.Buckets.Total.IsZero || !r.Buckets.PastDue.IsZero)
            .ToList();
        var byClass = rows.GroupBy(r => r.Class).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ReceivablesAgingClass(g.Key, g.Count(), g.Aggregate(PastDueBuckets.Empty, (sum, r) => sum + r.Buckets)))
            .ToList();
        var totals = byClass.Aggregate(PastDueBuckets.Empty, (sum, c) => sum + c.Buckets);
        IReadOnlyList<ReceivablesAgingAccount> detailRows = detail
            ? [.. rows.OrderBy(r => r.AccountNumber, StringComparer.Ordinal)]
            : [];

        // By type: an invoice's charge (and its late charge) by its invoice's type; everything else on a utility account is utility, the rest of a city receivables account other.
        var invoiceItems = await (from i in db.Invoices.AsNoTracking()
                                  join o in db.OpenItems on new { i.AccountId, i.FinancialTransactionId } equals new { o.AccountId, o.FinancialTransactionId }
                                  select new { o.Id, i.TypeCode }).ToDictionaryAsync(x => x.Id, x => x.TypeCode, cancellationToken);
        // An invoice's late charge is receivable of the invoice's type.
        foreach (var charge in await (from l in db.InvoiceLateCharges.AsNoTracking()
                                      join i in db.Invoices on l.InvoiceId equals i.Id
                                      join o in db.OpenItems on new { l.AccountId, l.FinancialTransactionId } equals new { o.AccountId, o.FinancialTransactionId }
                                      select new { o.Id, i.TypeCode }).ToListAsync(cancellationToken))
        {
            invoiceItems[charge.Id] = charge.TypeCode;
        }

        var typeNames = await db.InvoiceTypes.AsNoTracking().ToDictionaryAsync(t => t.Code, t => t.Name, cancellationToken);
        var byType = items
            .GroupBy(i => invoiceItems.TryGetValue(i.ItemId, out var code) ? code : accounts[i.AccountId].Utility ? Utility : OtherCity)
            .Select(g => new ReceivablesAgingType(g.Key, g.Key switch
            {
                Utility => "Utility accounts",
                OtherCity => "Other on city receivables accounts",
                _ => typeNames.GetValueOrDefault(g.Key, g.Key),
            }, PastDueBuckets.Of(g.Select(i => i.Item), asOf)))
            .Where(t => !t.Buckets.Total.IsZero || !t.Buckets.PastDue.IsZero)
            .OrderBy(t => t.Code == Utility ? 0 : t.Code == OtherCity ? 2 : 1).ThenBy(t => t.Code, StringComparer.Ordinal)
            .ToList();
        return new ReceivablesAgingReport(asOf, fromHistory, totals, byClass, detailRows) { ByType = byType };
    }

    private async Task<List<(long ItemId, long AccountId, PastDueItem Item)>> OpenNowAsync(CancellationToken cancellationToken)
    {
        var open = await db.OpenItems.AsNoTracking().Where(o => o.OpenCents != 0)
            .Select(o => new { o.Id, o.AccountId, o.DueOn, o.OpenCents }).ToListAsync(cancellationToken);
        return open.ConvertAll(o => (o.Id, o.AccountId, new PastDueItem(o.DueOn, Money.FromCents(o.OpenCents))));
    }

    /// <summary>
    /// Today's open items posted by the date, put back as they were: every allocation whose other
    /// item was posted after the date is undone. Starts from the recent items, so it reads history
    /// only as far back as the date.
    /// </summary>
    private async Task<List<(long ItemId, long AccountId, PastDueItem Item)>> RewindAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        var openNow = await db.OpenItems.AsNoTracking().Where(o => o.OpenCents != 0 && o.PostedOn <= asOf)
            .Select(o => new { o.Id, o.AccountId, o.DueOn, o.OpenCents }).ToListAsync(cancellationToken);
        // Applications that took effect after the date, between an item posted by it and one posted after it
        // (the later one made them): a charge paid later was still open on the date, a credit used later still unapplied.
        var later = await (
                from a in db.ItemAllocations.AsNoTracking()
                where a.EffectiveOn > asOf && (a.ChargePostedOn <= asOf || a.CreditPostedOn <= asOf)
                join item in db.OpenItems on (a.ChargePostedOn <= asOf ? a.ChargeItemId : a.CreditItemId) equals item.Id
                select new { a.AmountCents, ChargeWasOpen = a.ChargePostedOn <= asOf, item.Id, item.AccountId, item.DueOn })
            .ToListAsync(cancellationToken);
        return [.. OpenItemRewind.ItemsOpenOn(
            openNow.Select(o => new OpenNowItem(o.Id, o.AccountId, o.DueOn, Money.FromCents(o.OpenCents))),
            later.Select(l => new LaterAllocation(l.Id, l.AccountId, l.DueOn, Money.FromCents(l.ChargeWasOpen ? l.AmountCents : -l.AmountCents))))];
    }

    private async Task<List<(long ItemId, long AccountId, PastDueItem Item)>> HistoryAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        var items = await db.OpenItems.AsNoTracking().Where(o => o.PostedOn <= asOf)
            .Select(o => new { o.Id, o.AccountId, o.PostedOn, o.DueOn, o.AmountCents }).ToListAsync(cancellationToken);
        var allocations = await (
                from a in db.ItemAllocations.AsNoTracking()
                join charge in db.OpenItems on a.ChargeItemId equals charge.Id
                join credit in db.OpenItems on a.CreditItemId equals credit.Id
                where charge.PostedOn <= asOf && credit.PostedOn <= asOf
                select new { a.ChargeItemId, a.CreditItemId, a.AmountCents })
            .ToListAsync(cancellationToken);
        return [.. OpenItemHistory.ItemsOpenOn(
            items.Select(i => new HistoricItem(i.Id, i.AccountId, i.PostedOn, i.DueOn, Money.FromCents(i.AmountCents))),
            allocations.Select(a => new HistoricAllocation(a.ChargeItemId, a.CreditItemId, Money.FromCents(a.AmountCents))),
            asOf)];
    }

    /// <summary>The accounts of a detail report most past due: oldest buckets first, then the balance.</summary>
    public static IReadOnlyList<ReceivablesAgingAccount> MostPastDue(ReceivablesAgingReport report, int count) =>
        [.. report.Accounts
            .OrderByDescending(a => a.Buckets.Over90.Cents).ThenByDescending(a => a.Buckets.PastDue.Cents).ThenByDescending(a => a.Buckets.Total.Cents)
            .ThenBy(a => a.AccountNumber, StringComparer.Ordinal)
            .Take(count)];

    public static string Csv(ReceivablesAgingReport report)
    {
        var csv = new StringBuilder();
        static string Cells(PastDueBuckets b) => string.Join(',', new[] { b.Current, b.Days1To30, b.Days31To60, b.Days61To90, b.Over90, b.Total }.Select(m => m.ToPlainString()));
        if (report.Accounts.Count > 0)
        {
            csv.Append("account,class,current,days_1_30,days_31_60,days_61_90,over_90,total\r\n");
            foreach (var row in report.Accounts)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{row.AccountNumber},{Core.Common.Csv.Field(row.Class)},{Cells(row.Buckets)}\r\n");
            }
        }
        else
        {
            csv.Append("class,accounts,current,days_1_30,days_31_60,days_61_90,over_90,total\r\n");
            foreach (var row in report.ByClass)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{Core.Common.Csv.Field(row.Class)},{row.Accounts},{Cells(row.Buckets)}\r\n");
            }
        }

        csv.Append(CultureInfo.InvariantCulture, $"total,{report.AccountCount},{Cells(report.Totals)}\r\n");
        return csv.ToString();
    }
}
